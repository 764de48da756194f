-- Drafts and documents a person can tell apart (docs/database.md, "Titles and drafts"):
--   - a template carries a title rule ("NDA: {{party_a_name}} and {{party_b_name}}"), which the
--     template engine fills from the answers (_shared/template/draft_title.ts);
--   - an interview carries the title made so far (the chat stores it: set_session_title), and a
--     document keeps the title it was stored with until its owner renames it;
--   - a user renames and deletes their own documents and discards their own open drafts;
--   - a user may hold several open drafts of one template. Connecting without naming one resumes
--     the open draft touched last (the newest), as connecting always resumed the one open draft.
--
-- Refusals, as in the write path: CH404 not found or not the caller's (a document or draft of
-- another user is not found, exactly as a missing one), CH410 a finished interview (discarding
-- it would delete its document: delete the document), 22023 an empty or multi-line title,
-- CH414 a title over 500 characters, CH416 a title holding an invisible or control character.

alter table public.document_templates
  add column if not exists title_rule text
    check (title_rule is null or length(title_rule) between 1 and 200);
comment on column public.document_templates.title_rule is
  'How a title is made from the answers, in the body''s placeholder syntax; the name without it.';

alter table public.chat_sessions
  add column if not exists title text check (title is null or length(title) between 1 and 500);
comment on column public.chat_sessions.title is
  'The interview''s title made by the template''s title rule from the answers so far (the chat '
  'sets it); null until the chat first does.';

-- Several open drafts per user and template: the unique index goes; the same columns stay
-- indexed, newest first, for the look-up on connect.
drop index if exists public.chat_sessions_one_open_per_user_template;
create index if not exists chat_sessions_open_by_user_template
  on public.chat_sessions (user_id, template_id, updated_at desc)
  where not is_complete and abandoned_at is null;

create or replace function chat_internal.checked_title(p_title text) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  v_title text := btrim(p_title, E' \t\r\n');
begin
  if v_title is null or v_title = '' then
    raise exception 'A title cannot be empty' using errcode = '22023';
  end if;
  if v_title ~ '[\r\n\t]' then
    raise exception 'A title is one line: remove its line breaks and tabs' using errcode = '22023';
  end if;
  if length(v_title) > 500 then
    raise exception 'A title holds at most 500 characters, not %', length(v_title)
      using errcode = 'CH414';
  end if;
  perform chat_internal.assert_visible(v_title, 'The title');
  return v_title;
end;
$$;
comment on function chat_internal.checked_title(text) is
  'The title trimmed, or a refusal: empty or multi-line (22023), over 500 (CH414), invisible '
  'characters (CH416).';

-- open_session gains two ways to pick the draft: p_session_id (this open draft of the caller's on
-- this template) and p_new (a new draft beside the open ones). Without either it claims the open
-- draft touched last, or creates one. The old signature is dropped: a call with three arguments
-- reaches the new one through its defaults.
drop function if exists chat_internal.open_session(uuid, uuid, boolean);
create or replace function chat_internal.open_session(
  p_template_id uuid, p_connection_id uuid, p_restart boolean default false,
  p_session_id uuid default null, p_new boolean default false
) returns table (session_id uuid, history jsonb, turn_count integer, created boolean,
  generation bigint)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
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
  if not exists (
    select 1 from public.document_templates t where t.id = p_template_id and t.is_active
  ) then
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
    insert into public.chat_sessions as s (user_id, template_id, connection_id)
    values (v_user, p_template_id, p_connection_id)
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
  return query select v_session_id, v_history, v_turn_count, v_created, v_generation;
end;
$$;
comment on function chat_internal.open_session(uuid, uuid, boolean, uuid, boolean) is
  'Finds (the named open draft, else the one touched last) or creates the caller''s interview, '
  'hands it to this connection, announces it (NOTIFY for the chat instances, a superseded '
  'broadcast on user:<uid> for the user''s devices). p_new starts a draft beside the open ones.';

create or replace function chat_internal.set_session_title(
  p_session_id uuid, p_connection_id uuid, p_title text
) returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_title text := chat_internal.checked_title(p_title);
begin
  -- Fenced by the connection only: a title follows the answers, and the newest connection's
  -- answers are the ones that count.
  update public.chat_sessions s
  set title = v_title
  where s.id = p_session_id and s.user_id = v_user
    and not s.is_complete and s.abandoned_at is null
    and s.connection_id = p_connection_id;
  if not found then
    perform chat_internal.explain_refused_write(v_user, p_session_id, p_connection_id, null);
  end if;
  return v_title;
end;
$$;
comment on function chat_internal.set_session_title(uuid, uuid, text) is
  'Stores the title of the caller''s open interview, if this connection owns it.';

create or replace function chat_internal.rename_document(p_document_id uuid, p_title text)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_title text := chat_internal.checked_title(p_title);
begin
  update public.generated_documents d
  set title = v_title
  where d.id = p_document_id and d.user_id = v_user;
  if not found then
    raise exception 'Document "%" not found', p_document_id using errcode = 'CH404';
  end if;
  return v_title;
end;
$$;
comment on function chat_internal.rename_document(uuid, text) is
  'Renames the caller''s document; another user''s is not found (CH404).';

create or replace function chat_internal.delete_document(p_document_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_session_id uuid;
begin
  delete from public.generated_documents d
  where d.id = p_document_id and d.user_id = v_user
  returning d.session_id into v_session_id;
  if not found then
    raise exception 'Document "%" not found', p_document_id using errcode = 'CH404';
  end if;
  -- The interview that made it goes too: its history holds every answer the document did, and
  -- a person who deletes a document means the answers as well.
  delete from public.chat_sessions s where s.id = v_session_id and s.user_id = v_user;
end;
$$;
comment on function chat_internal.delete_document(uuid) is
  'Deletes the caller''s document and the finished interview it came from (CH404 otherwise).';

create or replace function chat_internal.discard_session(p_session_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_session record;
begin
  select s.template_id, s.is_complete, s.abandoned_at into v_session
  from public.chat_sessions s
  where s.id = p_session_id and s.user_id = v_user
  for update;
  if not found or v_session.abandoned_at is not null then
    raise exception 'Draft "%" not found', p_session_id using errcode = 'CH404';
  end if;
  if v_session.is_complete then
    raise exception 'Interview "%" is finished: delete its document instead', p_session_id
      using errcode = 'CH410';
  end if;
  delete from public.chat_sessions s where s.id = p_session_id;
  -- A tab still holding the draft hears that it is gone (its next write is refused: CH404).
  perform realtime.send(
    jsonb_build_object('sessionId', p_session_id, 'templateId', v_session.template_id),
    'interview_discarded', 'user:' || v_user::text, true);
end;
$$;
comment on function chat_internal.discard_session(uuid) is
  'Deletes the caller''s open draft and broadcasts interview_discarded on user:<uid>; a finished '
  'interview is refused (CH410), another user''s is not found (CH404).';

-- The template's read for the chat carries the title rule too (a new column, so a new function).
drop function if exists chat_internal.find_template(uuid);
create or replace function chat_internal.find_template(p_template_id uuid)
returns table (
  id uuid, slug text, name text, description text, questions jsonb, body text, title_rule text
)
language sql stable
security invoker
set search_path = ''
as $$
  -- "Active templates are readable by signed-in users" decides: an inactive template is no row.
  select t.id, t.slug, t.name, t.description, t.questions, t.body, t.title_rule
  from public.document_templates t
  where t.id = p_template_id
$$;
comment on function chat_internal.find_template(uuid) is
  'A template as RLS shows it to the caller (active ones to signed-in users); no row otherwise.';

revoke all on function
  chat_internal.checked_title(text),
  chat_internal.open_session(uuid, uuid, boolean, uuid, boolean),
  chat_internal.set_session_title(uuid, uuid, text),
  chat_internal.rename_document(uuid, text),
  chat_internal.delete_document(uuid),
  chat_internal.discard_session(uuid),
  chat_internal.find_template(uuid)
  from public, anon, authenticated, service_role;
grant execute on function
  chat_internal.open_session(uuid, uuid, boolean, uuid, boolean),
  chat_internal.set_session_title(uuid, uuid, text),
  chat_internal.rename_document(uuid, text),
  chat_internal.delete_document(uuid),
  chat_internal.discard_session(uuid),
  chat_internal.find_template(uuid)
  to authenticated;
