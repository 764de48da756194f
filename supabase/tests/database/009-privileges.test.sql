-- The whole privilege table: every schema, table, view, sequence, function and procedure in
-- public and chat_internal, every privilege it can carry, for anon, authenticated, service_role
-- and PUBLIC. What the catalog grants (has_*_privilege, which counts PUBLIC's grants for every
-- role) must be exactly the list below: a privilege that is not on it is a failure, and so is an
-- object that gains one without a migration granting it. Then the default privileges: objects
-- created now, as a migration would create them, are nobody's but their owner's (and, in public,
-- the service role's, as the platform's defaults give it).
begin;
\ir _helpers.psql
select plan(5);

create function tests.privilege_table(p_schemas text[]) returns table (
  grantee text, object text, privilege text, granted boolean
)
language sql stable
set search_path = ''
as $$
  with grantees(grantee) as (
    values ('anon'), ('authenticated'), ('service_role'), ('public')
  ),
  relations as (
    select c.oid,
      case c.relkind when 'S' then 'sequence' when 'v' then 'view'
        when 'm' then 'materialized view' when 'f' then 'foreign table' else 'table' end
        || ' ' || n.nspname || '.' || c.relname as object,
      case c.relkind when 'S' then array['USAGE', 'SELECT', 'UPDATE']
        else array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']
      end as privileges,
      c.relkind = 'S' as is_sequence
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = any (p_schemas) and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
  ),
  routines as (
    select p.oid,
      case p.prokind when 'p' then 'procedure' else 'function' end || ' ' || n.nspname || '.'
        || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' as object
    from pg_catalog.pg_proc p
    join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname = any (p_schemas)
  )
  select g.grantee, 'schema ' || s.nspname, v.privilege,
    pg_catalog.has_schema_privilege(g.grantee, s.oid, v.privilege)
  from grantees g, pg_catalog.pg_namespace s, unnest(array['USAGE', 'CREATE']) v(privilege)
  where s.nspname = any (p_schemas)
  union all
  select g.grantee, r.object, v.privilege,
    case when r.is_sequence then pg_catalog.has_sequence_privilege(g.grantee, r.oid, v.privilege)
      else pg_catalog.has_table_privilege(g.grantee, r.oid, v.privilege) end
  from grantees g, relations r, unnest(r.privileges) v(privilege)
  union all
  select g.grantee, f.object, 'EXECUTE',
    pg_catalog.has_function_privilege(g.grantee, f.oid, 'EXECUTE')
  from grantees g, routines f
$$;

create temporary table expected_grants (grantee text, object text, privilege text)
  on commit drop;
insert into expected_grants
-- The schemas: public is usable by all (the platform's grant), chat_internal by signed-in users
-- only (the chat calls its functions as them); nobody but the owner creates objects in either.
values ('anon', 'schema public', 'USAGE'), ('authenticated', 'schema public', 'USAGE'),
  ('service_role', 'schema public', 'USAGE'), ('public', 'schema public', 'USAGE'),
  ('authenticated', 'schema chat_internal', 'USAGE'), ('service_role', 'schema chat_internal', 'USAGE'),
-- The write path and the two reads: signed-in users. Its helpers and the sequence: nobody.
  ('authenticated', 'function chat_internal.find_template(p_template_id uuid)', 'EXECUTE'),
  ('authenticated', 'function chat_internal.load_session(p_session_id uuid)', 'EXECUTE'),
  ('authenticated',
   'function chat_internal.open_session(p_template_id uuid, p_connection_id uuid, '
   'p_restart boolean, p_session_id uuid, p_new boolean)', 'EXECUTE'),
-- The claim the chat makes (open_session, recording the user's newest claim), and the check of a
-- reconnect's held generation: signed-in users. The claims table: nobody.
  ('authenticated',
   'function chat_internal.claim_session(p_template_id uuid, p_connection_id uuid, '
   'p_restart boolean, p_session_id uuid, p_new boolean, p_held_generation bigint)', 'EXECUTE'),
  ('authenticated', 'function chat_internal.newer_claim_exists(p_held_generation bigint)',
   'EXECUTE'),
-- Titles and drafts: a user renames and deletes their documents and discards their drafts (the
-- documents function calls these as the user); the chat stores a draft's title with an answer.
  ('authenticated', 'function chat_internal.rename_document(p_document_id uuid, p_title text)',
   'EXECUTE'),
  ('authenticated', 'function chat_internal.delete_document(p_document_id uuid)', 'EXECUTE'),
  ('authenticated', 'function chat_internal.discard_session(p_session_id uuid)', 'EXECUTE'),
  ('authenticated',
   'function chat_internal.append_turns(p_session_id uuid, p_connection_id uuid, '
   'p_expected_turn_count integer, p_turns jsonb)', 'EXECUTE'),
  ('authenticated',
   'function chat_internal.append_turns(p_session_id uuid, p_connection_id uuid, '
   'p_expected_turn_count integer, p_turns jsonb, p_title text)', 'EXECUTE'),
  ('authenticated',
   'function chat_internal.complete_session(p_session_id uuid, p_connection_id uuid, '
   'p_expected_turn_count integer, p_turns jsonb, p_document jsonb, p_document_id uuid)',
   'EXECUTE'),
-- The v2 review: store the preview, confirm it, read it back.
  ('authenticated',
   'function chat_internal.store_review(p_session_id uuid, p_connection_id uuid, '
   'p_expected_turn_count integer, p_document jsonb)', 'EXECUTE'),
  ('authenticated',
   'function chat_internal.confirm_review(p_session_id uuid, p_connection_id uuid, '
   'p_expected_turn_count integer)', 'EXECUTE'),
  ('authenticated', 'function chat_internal.load_review(p_session_id uuid)', 'EXECUTE'),
-- The purge, its dry run, the batching procedure and the trigger function: the service role.
  ('service_role', 'function public.set_updated_at()', 'EXECUTE'),
  ('service_role', 'function public.purge_stale_chat_sessions(max_age interval, batch_size integer)',
   'EXECUTE'),
  ('service_role', 'function public.count_stale_chat_sessions(max_age interval)', 'EXECUTE'),
  ('service_role',
   'procedure public.purge_stale_chat_sessions_in_batches(IN max_age interval, '
   'IN batch_size integer, INOUT deleted bigint)', 'EXECUTE'),
-- The supersede poll of every chat instance, for no user: the service role.
  ('service_role',
   'function chat_internal.superseded_connections(p_session_ids uuid[], p_connection_ids uuid[])',
   'EXECUTE'),
-- The interviewer's sessionId-only read, for no user: the service role (and interviewer_login,
-- which scripts/function_roles.sql grants and this table does not list).
  ('service_role', 'function chat_internal.read_stored_interview(p_session_id uuid)', 'EXECUTE'),
-- The quotas: the service role (and postgres, the owner) read and change the limits; the
-- per-user windows and the quota helpers are the write path's alone.
  ('service_role', 'table chat_internal.quotas', 'SELECT'),
  ('service_role', 'table chat_internal.quotas', 'UPDATE'),
-- Template versions: signed-in users read them (RLS decides which); only the service role
-- publishes (inserts, never updates or deletes) and retires.
  ('authenticated', 'table public.template_versions', 'SELECT'),
  ('service_role', 'table public.template_versions', 'SELECT'),
  ('service_role', 'table public.template_versions', 'INSERT'),
  ('service_role',
   'function chat_internal.publish_template(p_id uuid, p_slug text, p_name text, '
   'p_description text, p_title_rule text, p_questions jsonb, p_body text, p_published_by text)',
   'EXECUTE'),
  ('service_role', 'function chat_internal.retire_template(p_slug text)', 'EXECUTE');
-- The tables: signed-in users read (RLS decides which rows), the service role does everything.
insert into expected_grants
select 'authenticated', 'table public.' || t, 'SELECT'
from unnest(array['document_templates', 'chat_sessions', 'generated_documents']) t;
insert into expected_grants
select 'service_role', 'table public.' || t, p
from unnest(array['document_templates', 'chat_sessions', 'generated_documents']) t,
  unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p;

select is(
  (select count(*)::int from tests.privilege_table(array['public', 'chat_internal'])),
  4 * (2 * 2 + 7 * 7 + 1 * 3 + 42),
  'the table covers 4 grantees x (2 schemas x 2 + 7 tables x 7 + 1 sequence x 3 + 42 routines)');
select set_eq(
  $$select grantee, object, privilege
    from tests.privilege_table(array['public', 'chat_internal']) where granted$$,
  $$select grantee, object, privilege from expected_grants$$,
  'anon, authenticated, service_role and PUBLIC hold exactly the listed privileges');

-- Default privileges: created now by postgres, the role migrations run as.
create schema tests_probe;
create table public.probe_table (id integer generated always as identity, note text);
create view public.probe_view as select 1 as one;
create function public.probe_function() returns integer language sql as 'select 1';
create procedure public.probe_procedure() language sql as 'select 1';
create table chat_internal.probe_table (id integer generated always as identity);
create sequence chat_internal.probe_sequence;
create function chat_internal.probe_function() returns integer language sql as 'select 1';

select is_empty(
  $$select grantee, object, privilege
    from tests.privilege_table(array['public', 'chat_internal'])
    where granted and object like '%probe%' and grantee in ('anon', 'authenticated', 'public')$$,
  'a new table, view, sequence, function or procedure is nobody''s in public or chat_internal');
select set_eq(
  $$select object, privilege from tests.privilege_table(array['public', 'chat_internal'])
    where granted and object like '%probe%' and grantee = 'service_role'$$,
  $$select object, privilege from (values
      ('function public.probe_function()', 'EXECUTE'),
      ('procedure public.probe_procedure()', 'EXECUTE')) f(object, privilege)
    union all
    select o, p from unnest(array['table public.probe_table', 'view public.probe_view']) o,
      unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
    union all
    select 'sequence public.probe_table_id_seq', p from unnest(array['USAGE', 'SELECT', 'UPDATE']) p$$,
  'the service role keeps the platform''s defaults in public, and gets nothing in chat_internal');
select is_empty(
  $$select 1 from tests.privilege_table(array['tests_probe'])
    where granted and grantee in ('anon', 'authenticated', 'public')$$,
  'a new schema is nobody''s either');

select * from finish();
rollback;
