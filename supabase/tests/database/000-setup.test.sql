-- Test helpers shared by every file of the pgTAP suite, in a `tests` schema that only tests use
-- (the Data API never exposes it). This file commits them; Supabase's `test db` and pg_prove
-- both run the files in name order, so every later file can rely on them.
begin;
create extension if not exists pgtap with schema extensions;

create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

create or replace function tests.create_user(p_id uuid, p_email text) returns uuid
language sql
as $$
  insert into auth.users (id, aud, role, email) values (p_id, 'authenticated', 'authenticated', p_email)
  returning id
$$;

-- Act as a signed-in user, the way PostgREST does for a request (role + claims, local).
create or replace function tests.authenticate_as(p_user_id uuid) returns void
language sql
as $$
  select set_config('role', 'authenticated', true),
    set_config('request.jwt.claims',
      json_build_object('sub', p_user_id, 'role', 'authenticated', 'aud', 'authenticated')::text,
      true);
$$;

create or replace function tests.authenticate_as_anon() returns void
language sql
as $$
  select set_config('role', 'anon', true),
    set_config('request.jwt.claims', '{"role":"anon"}', true);
$$;

create or replace function tests.clear_authentication() returns void
language sql
as $$
  select set_config('role', 'postgres', true), set_config('request.jwt.claims', '', true);
$$;

create or replace function tests.create_template(p_id uuid, p_slug text, p_active boolean default true)
returns uuid
language sql
as $$
  insert into public.document_templates (id, slug, name, questions, body, is_active)
  values (p_id, p_slug, 'Test ' || p_slug,
    '[{"id":"party","text":"Who is the other party?","type":"short_text"}]', 'Party: {{party}}',
    p_active)
  returning id
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

select plan(2);
select has_extension('pg_cron', 'pg_cron is installed');
select has_function('tests', 'authenticate_as', array['uuid'], 'test helpers are installed');
select * from finish();
commit;
