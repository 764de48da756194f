-- Templates as versioned content (docs/database.md, "Template versions"; DESIGN.md section 11):
--   - a template (public.document_templates: stable id and slug, name, description, active or
--     retired) has numbered, immutable versions (public.template_versions: questions, body, title
--     rule, content hash, who published it and when); document_templates.current_version names
--     the one new interviews start on, and its questions, body and title_rule stay that version's
--     copy, so every reader of document_templates reads what it read before;
--   - any write of a template's content, through publish_template or directly (the dashboard, a
--     test), publishes a new version when the content hash changed and never rewrites an old one:
--     the triggers below do it, so there is no way around it;
--   - a published version can never change: the database refuses an update or delete (CH423), but
--     for the cascade of deleting a template nothing uses;
--   - a session pins the version it started on (chat_sessions.template_version), which
--     open_session hands back with the session, and a document records the version and its hash;
--   - retiring a template (retire_template) hides it from new interviews; its open interviews can
--     still resume and complete on their versions.
-- Only the service role (and the owner) publishes and retires.

create or replace function chat_internal.template_content_hash(
  p_questions jsonb, p_body text, p_title_rule text
) returns text
language sql immutable parallel safe
set search_path = ''
as $$
  -- jsonb's text form is canonical (keys sorted, one spacing), so equal content hashes equally
  -- whatever the JSON file's layout.
  select encode(sha256(convert_to(
    jsonb_build_object('questions', p_questions, 'body', p_body, 'title', p_title_rule)::text,
    'UTF8')), 'hex')
$$;
comment on function chat_internal.template_content_hash(jsonb, text, text) is
  'The SHA-256 (hex) of a template version''s content: questions, body and title rule.';

create table if not exists public.template_versions (
  template_id uuid not null references public.document_templates (id) on delete cascade,
  version integer not null check (version >= 1),
  questions jsonb not null
    check (jsonb_typeof(questions) = 'array' and jsonb_array_length(questions) > 0),
  body text not null check (length(body) > 0),
  title_rule text check (title_rule is null or length(title_rule) between 1 and 200),
  content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
  published_by text not null check (length(published_by) between 1 and 200),
  published_at timestamptz not null default now(),
  primary key (template_id, version),
  constraint template_versions_version_hash unique (template_id, version, content_hash)
);
comment on table public.template_versions is
  'The published versions of each template, numbered from 1; a published version never changes.';
comment on column public.template_versions.content_hash is
  'chat_internal.template_content_hash of questions, body and title_rule.';

alter table public.document_templates
  add column if not exists current_version integer,
  add column if not exists current_hash text;
comment on column public.document_templates.current_version is
  'The version new interviews start on; questions, body and title_rule are its copy.';
comment on column public.document_templates.current_hash is
  'The content hash of the current version.';

-- Every template there is becomes its version 1.
update public.document_templates t
set current_version = 1,
  current_hash = chat_internal.template_content_hash(t.questions, t.body, t.title_rule)
where t.current_version is null;
insert into public.template_versions (template_id, version, questions, body, title_rule,
  content_hash, published_by, published_at)
select t.id, 1, t.questions, t.body, t.title_rule, t.current_hash, 'migration', t.updated_at
from public.document_templates t
on conflict do nothing;
alter table public.document_templates
  alter column current_version set not null,
  alter column current_hash set not null;

-- Sessions pin their version; documents record theirs. The defaults fill the rows there are
-- (every one of them on version 1, just made) and go again.
alter table public.chat_sessions
  add column if not exists template_version integer not null default 1;
alter table public.chat_sessions alter column template_version drop default;
comment on column public.chat_sessions.template_version is
  'The template version the interview started on; it keeps it to the end.';
alter table public.generated_documents
  add column if not exists template_version integer not null default 1,
  add column if not exists template_hash text;
update public.generated_documents d
set template_hash = v.content_hash
from public.template_versions v
where v.template_id = d.template_id and v.version = d.template_version and d.template_hash is null;
alter table public.generated_documents
  alter column template_version drop default,
  alter column template_hash set not null;
comment on column public.generated_documents.template_version is
  'The template version that produced the document (its session''s).';
comment on column public.generated_documents.template_hash is
  'The content hash of that version.';

do $$
begin
  if not exists (select 1 from pg_constraint where conname = 'chat_sessions_template_version_fkey')
  then
    alter table public.chat_sessions
      add constraint chat_sessions_template_version_fkey
      foreign key (template_id, template_version)
      references public.template_versions (template_id, version);
  end if;
  if not exists (
    select 1 from pg_constraint where conname = 'generated_documents_template_version_fkey'
  ) then
    alter table public.generated_documents
      add constraint generated_documents_template_version_fkey
      foreign key (template_id, template_version, template_hash)
      references public.template_versions (template_id, version, content_hash);
  end if;
end;
$$;
-- Deleting a version (only with its template) checks these references.
create index if not exists chat_sessions_template_version
  on public.chat_sessions (template_id, template_version);
create index if not exists generated_documents_template_version
  on public.generated_documents (template_id, template_version, template_hash);

-- Publishing, whoever writes the row: new content is the next version. The version row is
-- written after the template's (it references it).
create or replace function chat_internal.version_template_content() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and (new.current_version is distinct from old.current_version
    or new.current_hash is distinct from old.current_hash) then
    raise exception 'Template "%": its current version follows its content; publish new content '
      'instead of setting it', old.slug using errcode = 'CH423';
  end if;
  new.current_hash := chat_internal.template_content_hash(new.questions, new.body, new.title_rule);
  if tg_op = 'INSERT' then
    new.current_version := 1;
  elsif new.current_hash <> old.current_hash then
    new.current_version := old.current_version + 1;
  end if;
  return new;
end;
$$;
comment on function chat_internal.version_template_content() is
  'Trigger: numbers a template''s new content as its next version (the same content keeps it).';

create or replace function chat_internal.record_template_version() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.current_version <> old.current_version then
    insert into public.template_versions (template_id, version, questions, body, title_rule,
      content_hash, published_by)
    values (new.id, new.current_version, new.questions, new.body, new.title_rule,
      new.current_hash,
      coalesce(nullif(current_setting('chat_internal.published_by', true), ''), current_user));
  end if;
  return null;
end;
$$;
comment on function chat_internal.record_template_version() is
  'Trigger: stores a template''s new current version, published by chat_internal.published_by '
  '(publish_template sets it) or else the writing role.';

drop trigger if exists document_templates_version_content on public.document_templates;
create trigger document_templates_version_content
  before insert or update on public.document_templates
  for each row execute function chat_internal.version_template_content();
drop trigger if exists document_templates_record_version on public.document_templates;
create trigger document_templates_record_version
  after insert or update of questions, body, title_rule on public.document_templates
  for each row execute function chat_internal.record_template_version();

create or replace function chat_internal.refuse_version_change() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_slug text;
begin
  if tg_op = 'TRUNCATE' then
    raise exception 'Published template versions can never change or be deleted'
      using errcode = 'CH423';
  end if;
  select t.slug into v_slug from public.document_templates t where t.id = old.template_id;
  -- Deleting a template that nothing uses takes its versions with it (the cascade runs after the
  -- template's row is gone); a version any session or document uses is kept by their keys.
  if tg_op = 'DELETE' and v_slug is null then
    return old;
  end if;
  raise exception 'Template "%" version % is published: it can never change or be deleted; '
    'publish a new version instead', v_slug, old.version using errcode = 'CH423';
end;
$$;
comment on function chat_internal.refuse_version_change() is
  'Trigger: refuses (CH423) any update or delete of a published template version.';

drop trigger if exists template_versions_are_immutable on public.template_versions;
create trigger template_versions_are_immutable
  before update or delete on public.template_versions
  for each row execute function chat_internal.refuse_version_change();
drop trigger if exists template_versions_are_not_truncated on public.template_versions;
create trigger template_versions_are_not_truncated
  before truncate on public.template_versions
  for each statement execute function chat_internal.refuse_version_change();

-- A session starts on its template's current version (open_session names it; a row written
-- without one, by a test or by hand, gets it too) and keeps it.
create or replace function chat_internal.pin_session_version() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if new.template_version is null then
      select t.current_version into new.template_version
      from public.document_templates t where t.id = new.template_id;
    end if;
  elsif new.template_version is distinct from old.template_version
    or new.template_id is distinct from old.template_id then
    raise exception 'Session "%" keeps the template version it started on (%)', old.id,
      old.template_version using errcode = 'CH423';
  end if;
  return new;
end;
$$;
comment on function chat_internal.pin_session_version() is
  'Trigger: a new session starts on its template''s current version; no session changes it.';

drop trigger if exists chat_sessions_pin_template_version on public.chat_sessions;
create trigger chat_sessions_pin_template_version
  before insert or update of template_id, template_version on public.chat_sessions
  for each row execute function chat_internal.pin_session_version();

-- A document records its session's version (or, with no session yet, the current one: a
-- document the AI service stores before the chat links it, which the link then corrects).
create or replace function chat_internal.record_document_version() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.session_id is not null
    and (tg_op = 'INSERT' or new.session_id is distinct from old.session_id) then
    select s.template_version into new.template_version
    from public.chat_sessions s where s.id = new.session_id;
  elsif tg_op = 'INSERT' and new.template_version is null then
    select t.current_version into new.template_version
    from public.document_templates t where t.id = new.template_id;
  end if;
  select v.content_hash into new.template_hash
  from public.template_versions v
  where v.template_id = new.template_id and v.version = new.template_version;
  return new;
end;
$$;
comment on function chat_internal.record_document_version() is
  'Trigger: a document records the template version (and its hash) of its session.';

drop trigger if exists generated_documents_record_template_version on public.generated_documents;
create trigger generated_documents_record_template_version
  before insert or update of session_id, template_id, template_version, template_hash
  on public.generated_documents
  for each row execute function chat_internal.record_document_version();

revoke all on function
  chat_internal.template_content_hash(jsonb, text, text),
  chat_internal.version_template_content(),
  chat_internal.record_template_version(),
  chat_internal.refuse_version_change(),
  chat_internal.pin_session_version(),
  chat_internal.record_document_version()
  from public, anon, authenticated, service_role;

-- Who reads versions: signed-in users, those of active templates and those their own interviews
-- and documents were made on; anon nobody. Only the service role writes (publishes).
alter table public.template_versions enable row level security;
revoke all on table public.template_versions from anon, authenticated, service_role;
grant select on table public.template_versions to authenticated;
grant select, insert on table public.template_versions to service_role;

-- One policy per table and command (Supabase's advisor: several permissive ones all run).
drop policy if exists "Versions of active templates and own interviews are readable"
  on public.template_versions;
create policy "Versions of active templates and own interviews are readable"
  on public.template_versions for select to authenticated
  using (
    exists (
      select 1 from public.document_templates t where t.id = template_id and t.is_active
    )
    or exists (
      select 1 from public.chat_sessions s
      where s.template_id = template_versions.template_id
        and s.template_version = template_versions.version
        and s.user_id = (select auth.uid())
    )
    or exists (
      select 1 from public.generated_documents d
      where d.template_id = template_versions.template_id
        and d.template_version = template_versions.version
        and d.user_id = (select auth.uid())
    )
  );

-- A retired template stays readable to a user whose open interview is on it, so the chat can
-- resume that interview; it is hidden from everyone else. Replaces "Active templates are readable
-- by signed-in users" (one policy per table and command).
drop policy if exists "Active templates are readable by signed-in users"
  on public.document_templates;
drop policy if exists "Templates are readable while active or resumable"
  on public.document_templates;
create policy "Templates are readable while active or resumable"
  on public.document_templates for select to authenticated
  using (is_active or exists (
    select 1 from public.chat_sessions s
    where s.template_id = document_templates.id and s.user_id = (select auth.uid())
      and not s.is_complete and s.abandoned_at is null
  ));

-- publish_template: one template's content as it should be now. A new template, or content whose
-- hash differs from the current version's, is published as the next version; the same content
-- changes nothing but the name and description. Idempotent: the seed calls it on every run.
create or replace function chat_internal.publish_template(
  p_id uuid, p_slug text, p_name text, p_description text, p_title_rule text,
  p_questions jsonb, p_body text, p_published_by text default null
) returns table (template_id uuid, version integer, content_hash text, published boolean,
  changed text[])
language plpgsql
set search_path = ''
as $$
declare
  v_old public.document_templates;
  v_new public.document_templates;
  v_changed text[] := '{}'::text[];
begin
  if p_slug is null or p_name is null or p_questions is null or p_body is null then
    raise exception 'A template needs a slug, a name, questions and a body' using errcode = '22023';
  end if;
  perform set_config('chat_internal.published_by',
    coalesce(nullif(btrim(p_published_by), ''), current_user), true);
  select * into v_old from public.document_templates t
  where t.slug = p_slug or t.id = p_id
  order by (t.slug = p_slug) desc
  limit 1
  for update;
  if v_old.id is not null and p_id is not null and v_old.id <> p_id then
    raise exception 'Template "%" has id %, not %: a template keeps its id', p_slug, v_old.id, p_id
      using errcode = '22023';
  end if;
  if v_old.id is not null and v_old.slug <> p_slug then
    raise exception 'Template % is "%", not "%": a template keeps its slug', v_old.id, v_old.slug,
      p_slug using errcode = '22023';
  end if;

  if v_old.id is null then
    insert into public.document_templates as t (id, slug, name, description, title_rule,
      questions, body)
    values (coalesce(p_id, gen_random_uuid()), p_slug, p_name, coalesce(p_description, ''),
      p_title_rule, p_questions, p_body)
    returning * into v_new;
    v_changed := array['new template'];
  else
    if v_old.questions is distinct from p_questions then v_changed := v_changed || 'questions'::text; end if;
    if v_old.body is distinct from p_body then v_changed := v_changed || 'body'::text; end if;
    if v_old.title_rule is distinct from p_title_rule then
      v_changed := v_changed || 'title rule'::text;
    end if;
    update public.document_templates as t
    set name = p_name, description = coalesce(p_description, ''), title_rule = p_title_rule,
      questions = p_questions, body = p_body
    where t.id = v_old.id
      and (t.name, t.description, t.title_rule, t.questions, t.body) is distinct from
        (p_name, coalesce(p_description, ''), p_title_rule, p_questions, p_body)
    returning * into v_new;
    if v_new.id is null then
      v_new := v_old;
    end if;
  end if;
  return query select v_new.id, v_new.current_version, v_new.current_hash,
    v_old.id is null or v_new.current_version <> v_old.current_version,
    case when v_old.id is null or v_new.current_version <> v_old.current_version
      then v_changed else '{}'::text[] end;
end;
$$;
comment on function chat_internal.publish_template(uuid, text, text, text, text, jsonb, text, text)
  is 'Publishes a template''s content as its next version when it changed (or creates the '
  'template); never rewrites a version. Says what it did: the version, and what changed.';

create or replace function chat_internal.retire_template(p_slug text)
returns table (template_id uuid, version integer, was_active boolean)
language plpgsql
set search_path = ''
as $$
declare
  v_template record;
begin
  select t.id, t.current_version, t.is_active into v_template
  from public.document_templates t where t.slug = p_slug
  for update;
  if not found then
    raise exception 'No template "%"', p_slug using errcode = 'CH404';
  end if;
  update public.document_templates t set is_active = false where t.id = v_template.id;
  return query select v_template.id, v_template.current_version, v_template.is_active;
end;
$$;
comment on function chat_internal.retire_template(text) is
  'Hides a template from new interviews; its versions stay for the sessions and documents on them.';

revoke all on function
  chat_internal.publish_template(uuid, text, text, text, text, jsonb, text, text),
  chat_internal.retire_template(text)
  from public, anon, authenticated, service_role;
grant usage on schema chat_internal to service_role;
grant execute on function
  chat_internal.publish_template(uuid, text, text, text, text, jsonb, text, text),
  chat_internal.retire_template(text)
  to service_role;

-- The chat's template read carries the current version and its hash.
drop function if exists chat_internal.find_template(uuid);
create or replace function chat_internal.find_template(p_template_id uuid)
returns table (
  id uuid, slug text, name text, description text, questions jsonb, body text, title_rule text,
  version integer, content_hash text
)
language sql stable
security invoker
set search_path = ''
as $$
  -- The policies on document_templates decide: an active template, or a retired one the caller
  -- has an open interview on (which open_session then resumes on its pinned version).
  select t.id, t.slug, t.name, t.description, t.questions, t.body, t.title_rule,
    t.current_version, t.current_hash
  from public.document_templates t
  where t.id = p_template_id
$$;
comment on function chat_internal.find_template(uuid) is
  'A template''s current version as RLS shows it to the caller; no row otherwise.';

-- The interviewer's sessionId-only read: the session's pinned version, not the current one.
drop function if exists chat_internal.read_stored_interview(uuid);
create or replace function chat_internal.read_stored_interview(p_session_id uuid)
returns table (
  history jsonb, id uuid, slug text, name text, description text, questions jsonb, body text,
  title text, version integer, hash text
)
language sql
stable
security definer
set search_path = ''
as $$
  select s.history, t.id, t.slug, t.name, t.description, v.questions, v.body, v.title_rule,
    v.version, v.content_hash
  from public.chat_sessions s
  join public.document_templates t on t.id = s.template_id
  join public.template_versions v
    on v.template_id = s.template_id and v.version = s.template_version
  where s.id = p_session_id
$$;
comment on function chat_internal.read_stored_interview(uuid) is
  'The interviewer''s sessionId-only read: the session''s history and its pinned template version.';
revoke all on function chat_internal.read_stored_interview(uuid)
  from public, anon, authenticated, service_role;
grant execute on function chat_internal.read_stored_interview(uuid) to service_role;

-- open_session: as in titles_and_drafts, and
--   - a new session is pinned to the template's current version;
--   - a retired template takes no new interview, but its open ones resume;
--   - it hands back the session's pinned version (number, hash, questions, body, title rule), so
--     the chat has it with the open it already makes: no other round trip, never one per turn.
drop function if exists chat_internal.open_session(uuid, uuid, boolean, uuid, boolean);
create or replace function chat_internal.open_session(
  p_template_id uuid, p_connection_id uuid, p_restart boolean default false,
  p_session_id uuid default null, p_new boolean default false
) returns table (session_id uuid, history jsonb, turn_count integer, created boolean,
  generation bigint, template_version integer, template_hash text, template_questions jsonb,
  template_body text, template_title_rule text)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_active boolean;
  v_current_version integer;
  v_target uuid;
  v_previous uuid;
  v_session_id uuid;
  v_history jsonb;
  v_turn_count integer;
  v_created boolean := false;
  v_generation bigint;
  v_abandoned_id uuid;
  v_abandoned_connection uuid;
begin
  if p_connection_id is null then
    raise exception 'A connection id is required' using errcode = '22023';
  end if;
  if p_new and (p_restart or p_session_id is not null) then
    raise exception 'A new draft cannot also restart or resume one' using errcode = '22023';
  end if;
  select t.is_active, t.current_version into v_active, v_current_version
  from public.document_templates t where t.id = p_template_id;
  if not found or (not v_active and (p_new or p_restart)) then
    raise exception 'Template "%" not found or inactive', p_template_id using errcode = 'CH404';
  end if;

  -- One opener at a time per user and template, so that two first connections racing find one
  -- draft, not two (the unique index did that when one draft was all there could be). The lock
  -- is the transaction's: it holds through the transaction pooler too.
  perform pg_advisory_xact_lock(hashtextextended(
    'chat_internal.open_session:' || v_user::text || ':' || p_template_id::text, 0));

  if not p_new then
    select s.id, s.connection_id into v_target, v_previous
    from public.chat_sessions s
    where s.user_id = v_user and s.template_id = p_template_id
      and not s.is_complete and s.abandoned_at is null
      and (p_session_id is null or s.id = p_session_id)
    order by s.updated_at desc, s.created_at desc, s.id desc
    limit 1
    for update;
    if p_session_id is not null and v_target is null then
      raise exception 'No open draft "%" of yours on template "%"', p_session_id, p_template_id
        using errcode = 'CH404';
    end if;
  end if;
  -- A retired template's open interview resumes; nothing starts a new one on it.
  if v_target is null and not v_active then
    raise exception 'Template "%" not found or inactive', p_template_id using errcode = 'CH404';
  end if;

  if p_restart and v_target is not null then
    update public.chat_sessions s
    set abandoned_at = now(), connection_id = null
    where s.id = v_target;
    v_abandoned_id := v_target;
    v_abandoned_connection := v_previous;
    v_target := null;
    v_previous := null;
    -- Restarts cannot pile up abandoned sessions until the purge: keep the newest 5 of this
    -- user's on this template (never one that holds a document), delete the older ones.
    delete from public.chat_sessions s
    where s.id in (
      select a.id from public.chat_sessions a
      where a.user_id = v_user and a.template_id = p_template_id
        and a.abandoned_at is not null and not a.is_complete
        and not exists (select 1 from public.generated_documents d where d.session_id = a.id)
      order by a.abandoned_at desc, a.id desc
      offset 5
    );
  end if;

  if v_target is null then
    -- Only a new session counts against the quotas (quotas.sql); a resume never does. A restart
    -- abandoned its session above, so it replaces one open interview with another.
    perform chat_internal.assert_session_start_quotas(v_user);
    insert into public.chat_sessions as s (user_id, template_id, template_version, connection_id)
    values (v_user, p_template_id, v_current_version, p_connection_id)
    returning s.id, s.history, s.turn_count, nextval('chat_internal.connection_generation')
    into v_session_id, v_history, v_turn_count, v_generation;
    v_created := true;
  else
    -- The generation is drawn while the row lock is held, so it follows the order of claims.
    update public.chat_sessions as s
    set connection_id = p_connection_id
    where s.id = v_target
    returning s.id, s.history, s.turn_count, nextval('chat_internal.connection_generation')
    into v_session_id, v_history, v_turn_count, v_generation;
  end if;

  perform pg_notify('chat_connection_opened', json_build_object(
    'userId', v_user, 'connectionId', p_connection_id, 'generation', v_generation::text
  )::text);
  -- Broadcast from Database: the user's other devices hear, at commit, that another connection
  -- took their interview (claimed it, or restarted it). Realtime delivers it on the private topic.
  if v_previous is not null and v_previous <> p_connection_id then
    perform realtime.send(
      jsonb_build_object('sessionId', v_session_id, 'templateId', p_template_id,
        'reason', 'claimed'),
      'superseded', 'user:' || v_user::text, true);
  end if;
  if v_abandoned_connection is not null and v_abandoned_connection <> p_connection_id then
    perform realtime.send(
      jsonb_build_object('sessionId', v_abandoned_id, 'templateId', p_template_id,
        'reason', 'restarted'),
      'superseded', 'user:' || v_user::text, true);
  end if;
  return query
    select v_session_id, v_history, v_turn_count, v_created, v_generation, v.version,
      v.content_hash, v.questions, v.body, v.title_rule
    from public.chat_sessions s
    join public.template_versions v
      on v.template_id = s.template_id and v.version = s.template_version
    where s.id = v_session_id;
end;
$$;
comment on function chat_internal.open_session(uuid, uuid, boolean, uuid, boolean) is
  'Finds (the named open draft, else the one touched last) or creates the caller''s interview, '
  'hands it to this connection, announces it (NOTIFY for the chat instances, a superseded '
  'broadcast on user:<uid> for the user''s devices), and hands back its pinned template version. '
  'p_new starts a draft beside the open ones; a retired template only resumes.';

revoke all on function
  chat_internal.open_session(uuid, uuid, boolean, uuid, boolean),
  chat_internal.find_template(uuid)
  from public, anon, authenticated, service_role;
grant execute on function
  chat_internal.open_session(uuid, uuid, boolean, uuid, boolean),
  chat_internal.find_template(uuid)
  to authenticated;

-- claim_session (claims_after_a_cut) is the chat's open: open_session recording the user's newest
-- claim. It passes open_session's pinned version through, so the chat has it with the claim. Its
-- body is claims_after_a_cut's, unchanged but for the returned columns (a new return type, so the
-- function is dropped and made again).
drop function if exists chat_internal.claim_session(uuid, uuid, boolean, uuid, boolean, bigint);
create or replace function chat_internal.claim_session(
  p_template_id uuid, p_connection_id uuid, p_restart boolean default false,
  p_session_id uuid default null, p_new boolean default false,
  p_held_generation bigint default null
) returns table (session_id uuid, history jsonb, turn_count integer, created boolean,
  generation bigint, template_version integer, template_hash text, template_questions jsonb,
  template_body text, template_title_rule text)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_newest chat_internal.user_claims;
  v_claim record;
begin
  if p_held_generation is not null and p_held_generation < 1 then
    raise exception 'A held generation is a positive number, not %', p_held_generation
      using errcode = '22023';
  end if;
  -- One claim of a user at a time, across their templates, so that the check below and the claim
  -- are one step: no newer claim can slip in between.
  perform pg_advisory_xact_lock(hashtextextended(
    'chat_internal.claim_session:' || v_user::text, 0));
  select * into v_newest from chat_internal.user_claims c where c.user_id = v_user;
  if p_held_generation is not null and v_newest.user_id is not null
    and chat_internal.claim_is_newer(v_newest, p_held_generation) then
    raise exception 'A newer connection (generation %) holds the interview; this one held %',
      v_newest.generation, p_held_generation using errcode = 'CH409';
  end if;
  select * into v_claim
  from chat_internal.open_session(p_template_id, p_connection_id, p_restart, p_session_id, p_new);
  -- The lock above orders a user's claims, so this claim is the newest.
  insert into chat_internal.user_claims as c (user_id, generation, held_generation)
  values (v_user, v_claim.generation, p_held_generation)
  on conflict (user_id) do update
    set generation = excluded.generation, held_generation = excluded.held_generation;
  return query select v_claim.session_id, v_claim.history, v_claim.turn_count, v_claim.created,
    v_claim.generation, v_claim.template_version, v_claim.template_hash,
    v_claim.template_questions, v_claim.template_body, v_claim.template_title_rule;
end;
$$;
comment on function chat_internal.claim_session(uuid, uuid, boolean, uuid, boolean, bigint) is
  'open_session, recording the user''s newest claim; with p_held_generation (a reconnect), '
  'refused (CH409) when a newer claim of the user exists. Hands back the pinned template version.';
revoke all on function chat_internal.claim_session(uuid, uuid, boolean, uuid, boolean, bigint)
  from public, anon, authenticated, service_role;
grant execute on function chat_internal.claim_session(uuid, uuid, boolean, uuid, boolean, bigint)
  to authenticated;
