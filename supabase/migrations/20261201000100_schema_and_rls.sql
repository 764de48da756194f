-- Templates, interviews and generated documents: tables, indexes, row level security, grants.
-- Users read their own rows through the Data API; every write goes through the functions in
-- schema chat_internal (the write path, next file), which the Data API does not expose. The
-- purge and its pg_cron job come last (purge_and_cron).

-- Default privileges first, so that they hold for everything below and everything added later:
-- nothing new in public becomes readable, writable or executable by anon, authenticated or PUBLIC
-- until a migration grants it. Hosted Supabase grants all on new tables, sequences and functions
-- in public to anon and authenticated (per schema, for the roles postgres and supabase_admin),
-- and PostgreSQL lets PUBLIC execute every new function; that is a global default, which only a
-- global revoke takes back (a per-schema revoke cannot), so it holds in chat_internal too. The
-- service role keeps the platform's defaults. A role's defaults can be changed by its members
-- only: on hosted projects migrations run as postgres, which is not a member of supabase_admin,
-- whose new objects are the platform's own.
do $$
declare
  v_role text;
begin
  foreach v_role in array array['postgres', 'supabase_admin'] loop
    continue when not exists (select 1 from pg_catalog.pg_roles r where r.rolname = v_role);
    if not pg_catalog.pg_has_role(current_user, v_role, 'member') then
      raise notice 'default privileges of % left as they are: % is not a member of it',
        v_role, current_user;
      continue;
    end if;
    execute format('alter default privileges for role %I revoke execute on functions from public',
      v_role);
    execute format('alter default privileges for role %I in schema public '
      'revoke all on tables from anon, authenticated', v_role);
    execute format('alter default privileges for role %I in schema public '
      'revoke all on sequences from anon, authenticated', v_role);
    execute format('alter default privileges for role %I in schema public '
      'revoke all on functions from anon, authenticated', v_role);
  end loop;
end
$$;

create table if not exists public.document_templates (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null check (length(name) between 1 and 200),
  description text not null default '',
  questions jsonb not null
    check (jsonb_typeof(questions) = 'array' and jsonb_array_length(questions) > 0),
  body text not null check (length(body) > 0),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.document_templates is
  'Predefined document templates: the questions an interview asks and the Markdown body it fills.';

create table if not exists public.chat_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  template_id uuid not null references public.document_templates (id),
  history jsonb not null default '[]'::jsonb check (jsonb_typeof(history) = 'array'),
  turn_count integer not null default 0,
  connection_id uuid,
  is_complete boolean not null default false,
  completed_at timestamptz,
  abandoned_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint chat_sessions_turn_count_matches_history
    check (turn_count = jsonb_array_length(history)),
  constraint chat_sessions_completed_at_iff_complete
    check (is_complete = (completed_at is not null)),
  constraint chat_sessions_complete_or_abandoned
    check (not (is_complete and abandoned_at is not null))
);
comment on table public.chat_sessions is
  'One interview of one user on one template; history holds every turn in order.';
comment on column public.chat_sessions.turn_count is
  'Number of turns in history: the optimistic version every append checks.';
comment on column public.chat_sessions.connection_id is
  'The connection that currently owns the interview; writes from any other are refused.';
comment on column public.chat_sessions.abandoned_at is
  'Set when the user restarted the interview; the row stays for the record until purged.';

create table if not exists public.generated_documents (
  id uuid primary key default gen_random_uuid(),
  session_id uuid unique references public.chat_sessions (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  template_id uuid not null references public.document_templates (id),
  title text not null check (length(title) between 1 and 500),
  content text not null,
  format text not null default 'markdown' check (format in ('markdown', 'text', 'html')),
  created_at timestamptz not null default now()
);
comment on table public.generated_documents is
  'The document an interview produced; one per completed session.';

-- At most one open interview per user and template; also the look-up index on connect.
create unique index if not exists chat_sessions_one_open_per_user_template
  on public.chat_sessions (user_id, template_id)
  where not is_complete and abandoned_at is null;
-- The purge scans incomplete sessions by age.
create index if not exists chat_sessions_incomplete_by_updated_at
  on public.chat_sessions (updated_at)
  where not is_complete;
-- A user's own sessions and documents, newest first (the Data API's typical list).
create index if not exists chat_sessions_user_id_created_at
  on public.chat_sessions (user_id, created_at desc);
create index if not exists generated_documents_user_id_created_at
  on public.generated_documents (user_id, created_at desc);
-- Deleting a template checks the sessions and documents that reference it; without these indexes
-- that check scans both tables. (Every foreign key has an index that starts with its column.)
create index if not exists chat_sessions_template_id on public.chat_sessions (template_id);
create index if not exists generated_documents_template_id
  on public.generated_documents (template_id);

create or replace function public.set_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
comment on function public.set_updated_at() is 'Trigger: keeps updated_at at the time of the last write.';
revoke all on function public.set_updated_at() from public, anon, authenticated;

drop trigger if exists document_templates_set_updated_at on public.document_templates;
create trigger document_templates_set_updated_at
  before update on public.document_templates
  for each row execute function public.set_updated_at();

drop trigger if exists chat_sessions_set_updated_at on public.chat_sessions;
create trigger chat_sessions_set_updated_at
  before update on public.chat_sessions
  for each row execute function public.set_updated_at();

alter table public.document_templates enable row level security;
alter table public.chat_sessions enable row level security;
alter table public.generated_documents enable row level security;

-- Hosted Supabase grants all on new public tables to anon and authenticated: take it back and
-- give signed-in users read access only. Writes happen through chat_internal's functions.
revoke all on table public.document_templates, public.chat_sessions, public.generated_documents
  from anon, authenticated;
grant select on table public.document_templates, public.chat_sessions, public.generated_documents
  to authenticated;
grant all on table public.document_templates, public.chat_sessions, public.generated_documents
  to service_role;

drop policy if exists "Active templates are readable by signed-in users"
  on public.document_templates;
create policy "Active templates are readable by signed-in users"
  on public.document_templates for select to authenticated
  using (is_active);

drop policy if exists "Sessions are visible to their owner" on public.chat_sessions;
create policy "Sessions are visible to their owner"
  on public.chat_sessions for select to authenticated
  using ((select auth.uid()) = user_id);

drop policy if exists "Documents are visible to their owner" on public.generated_documents;
create policy "Documents are visible to their owner"
  on public.generated_documents for select to authenticated
  using ((select auth.uid()) = user_id);

-- Web clients may watch their own rows through Realtime (RLS applies there too).
do $$
begin
  if not exists (
    select 1 from pg_publication_tables
    where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'chat_sessions'
  ) then
    alter publication supabase_realtime add table public.chat_sessions;
  end if;
  if not exists (
    select 1 from pg_publication_tables
    where pubname = 'supabase_realtime' and schemaname = 'public'
      and tablename = 'generated_documents'
  ) then
    alter publication supabase_realtime add table public.generated_documents;
  end if;
end
$$;
