-- The only way to write an interview. These functions live in chat_internal, a schema the Data
-- API does not expose, so a user holding their own JWT cannot call them; the chat function calls
-- them inside a transaction that carries the caller's claims, and each one acts for auth.uid()
-- alone. Every write is fenced twice: by the connection that owns the interview (the newest
-- one, so a superseded connection can never write again) and by the expected turn count (an
-- optimistic version, so concurrent writers can never interleave turns).
--
-- Refusals carry their own SQLSTATE so the caller can tell them apart:
--   CH401 no signed-in user, or the user does not exist
--   CH404 template or session not found (or not the caller's), CH410 interview already closed,
--   CH409 superseded by a newer connection, CH412 history changed since it was read,
--   CH403 document not the caller's, 22023 malformed argument.

create schema if not exists chat_internal;
comment on schema chat_internal is
  'Write path of the chat function; never exposed through the Data API.';
revoke all on schema chat_internal from public;
grant usage on schema chat_internal to authenticated;

create or replace function chat_internal.require_user() returns uuid
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
begin
  if v_user is null or not exists (select 1 from auth.users u where u.id = v_user) then
    raise exception 'No signed-in user' using errcode = 'CH401';
  end if;
  return v_user;
end;
$$;
comment on function chat_internal.require_user() is
  'The caller''s user id from the request claims; refuses anonymous callers and deleted users.';

create or replace function chat_internal.assert_turns(p_turns jsonb) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_turns is null or jsonb_typeof(p_turns) <> 'array' or jsonb_array_length(p_turns) = 0 then
    raise exception 'Turns must be a non-empty JSON array' using errcode = '22023';
  end if;
  if exists (
    select 1 from jsonb_array_elements(p_turns) as t(turn)
    where jsonb_typeof(t.turn) <> 'object'
      or coalesce(t.turn ->> 'role', '') not in ('assistant', 'user')
      or jsonb_typeof(t.turn -> 'content') is distinct from 'string'
      or jsonb_typeof(t.turn -> 'at') is distinct from 'string'
  ) then
    raise exception 'Each turn needs a role (assistant or user), a content string and an at string'
      using errcode = '22023';
  end if;
end;
$$;
comment on function chat_internal.assert_turns(jsonb) is 'Refuses turns that are not well formed.';

create or replace function chat_internal.explain_refused_write(
  p_user_id uuid, p_session_id uuid, p_connection_id uuid, p_expected_turn_count integer
) returns void
language plpgsql stable
set search_path = ''
as $$
declare
  v_session record;
begin
  select s.is_complete, s.abandoned_at, s.connection_id, s.turn_count into v_session
  from public.chat_sessions s
  where s.id = p_session_id and s.user_id = p_user_id;
  if not found then
    raise exception 'Session "%" not found', p_session_id using errcode = 'CH404';
  elsif v_session.is_complete or v_session.abandoned_at is not null then
    raise exception 'Session "%" is closed', p_session_id using errcode = 'CH410';
  elsif v_session.connection_id is distinct from p_connection_id then
    raise exception 'Session "%" was taken over by a newer connection', p_session_id
      using errcode = 'CH409';
  elsif v_session.turn_count <> p_expected_turn_count then
    raise exception 'Session "%" has % turns, not the expected %',
      p_session_id, v_session.turn_count, p_expected_turn_count using errcode = 'CH412';
  end if;
  raise exception 'Session "%" refused the write', p_session_id using errcode = 'CH409';
end;
$$;
comment on function chat_internal.explain_refused_write(uuid, uuid, uuid, integer) is
  'Raises the specific reason a fenced write on a session matched no row.';

create or replace function chat_internal.open_session(
  p_template_id uuid, p_connection_id uuid, p_restart boolean default false
) returns table (session_id uuid, history jsonb, turn_count integer, created boolean)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
begin
  if p_connection_id is null then
    raise exception 'A connection id is required' using errcode = '22023';
  end if;
  if not exists (
    select 1 from public.document_templates t where t.id = p_template_id and t.is_active
  ) then
    raise exception 'Template "%" not found or inactive', p_template_id using errcode = 'CH404';
  end if;

  if p_restart then
    update public.chat_sessions s
    set abandoned_at = now(), connection_id = null
    where s.user_id = v_user and s.template_id = p_template_id
      and not s.is_complete and s.abandoned_at is null;
  end if;

  -- Two first connections racing: the unique index lets one insert win; the other claims it.
  return query
  insert into public.chat_sessions as s (user_id, template_id, connection_id)
  values (v_user, p_template_id, p_connection_id)
  on conflict (user_id, template_id) where not is_complete and abandoned_at is null do nothing
  returning s.id, s.history, s.turn_count, true;
  if found then
    return;
  end if;

  return query
  update public.chat_sessions as s
  set connection_id = p_connection_id
  where s.user_id = v_user and s.template_id = p_template_id
    and not s.is_complete and s.abandoned_at is null
  returning s.id, s.history, s.turn_count, false;
end;
$$;
comment on function chat_internal.open_session(uuid, uuid, boolean) is
  'Finds or creates the caller''s open interview on a template and hands it to this connection.';

create or replace function chat_internal.append_turns(
  p_session_id uuid, p_connection_id uuid, p_expected_turn_count integer, p_turns jsonb
) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_turn_count integer;
begin
  perform chat_internal.assert_turns(p_turns);
  update public.chat_sessions s
  set history = s.history || p_turns,
    turn_count = s.turn_count + jsonb_array_length(p_turns)
  where s.id = p_session_id and s.user_id = v_user
    and not s.is_complete and s.abandoned_at is null
    and s.connection_id = p_connection_id
    and s.turn_count = p_expected_turn_count
  returning s.turn_count into v_turn_count;
  if not found then
    perform chat_internal.explain_refused_write(
      v_user, p_session_id, p_connection_id, p_expected_turn_count
    );
  end if;
  return v_turn_count;
end;
$$;
comment on function chat_internal.append_turns(uuid, uuid, integer, jsonb) is
  'Appends turns to the caller''s open interview if this connection owns it and nothing changed.';

create or replace function chat_internal.complete_session(
  p_session_id uuid,
  p_connection_id uuid,
  p_expected_turn_count integer,
  p_turns jsonb,
  p_document jsonb,
  p_document_id uuid default null
) returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_template_id uuid;
  v_document_id uuid;
begin
  if (p_document is null) = (p_document_id is null) then
    raise exception 'Give either a document or a document id' using errcode = '22023';
  end if;
  if p_turns is not null and jsonb_array_length(p_turns) > 0 then
    perform chat_internal.assert_turns(p_turns);
  end if;

  update public.chat_sessions s
  set history = s.history || coalesce(p_turns, '[]'::jsonb),
    turn_count = s.turn_count + jsonb_array_length(coalesce(p_turns, '[]'::jsonb)),
    is_complete = true,
    completed_at = now(),
    connection_id = null
  where s.id = p_session_id and s.user_id = v_user
    and not s.is_complete and s.abandoned_at is null
    and s.connection_id = p_connection_id
    and s.turn_count = p_expected_turn_count
  returning s.template_id into v_template_id;
  if not found then
    perform chat_internal.explain_refused_write(
      v_user, p_session_id, p_connection_id, p_expected_turn_count
    );
  end if;

  if p_document_id is not null then
    update public.generated_documents d
    set session_id = p_session_id
    where d.id = p_document_id and d.user_id = v_user
      and (d.session_id is null or d.session_id = p_session_id)
    returning d.id into v_document_id;
    if not found then
      raise exception 'Document "%" does not belong to this session''s user', p_document_id
        using errcode = 'CH403';
    end if;
    return v_document_id;
  end if;

  if jsonb_typeof(p_document -> 'title') is distinct from 'string'
    or jsonb_typeof(p_document -> 'content') is distinct from 'string' then
    raise exception 'A document needs a title and a content string' using errcode = '22023';
  end if;
  insert into public.generated_documents (session_id, user_id, template_id, title, content, format)
  values (
    p_session_id, v_user, v_template_id,
    p_document ->> 'title', p_document ->> 'content',
    coalesce(p_document ->> 'format', 'markdown')
  )
  returning id into v_document_id;
  return v_document_id;
end;
$$;
comment on function chat_internal.complete_session(uuid, uuid, integer, jsonb, jsonb, uuid) is
  'Appends the last turns, stores the document and marks the interview complete, atomically.';

revoke all on all functions in schema chat_internal from public, anon, authenticated, service_role;
grant execute on function
  chat_internal.open_session(uuid, uuid, boolean),
  chat_internal.append_turns(uuid, uuid, integer, jsonb),
  chat_internal.complete_session(uuid, uuid, integer, jsonb, jsonb, uuid)
  to authenticated;
