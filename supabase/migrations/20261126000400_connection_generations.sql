-- Last connection wins across instances. Every claim of an interview draws a generation from one
-- sequence while holding the session's row lock, so for any session the newest claim has the
-- highest generation; open_session announces (user, connection, generation) on the
-- chat_connection_opened channel at commit, and every chat instance closes its own connection of
-- that user when it holds an older generation. The connection_id fence stays the guarantee: a
-- notification that never arrives costs promptness, never correctness.

create sequence if not exists chat_internal.connection_generation as bigint;
comment on sequence chat_internal.connection_generation is
  'Orders connection claims: a higher generation is a newer connection.';

drop function if exists chat_internal.open_session(uuid, uuid, boolean);

create function chat_internal.open_session(
  p_template_id uuid, p_connection_id uuid, p_restart boolean default false
) returns table (session_id uuid, history jsonb, turn_count integer, created boolean,
  generation bigint)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_session_id uuid;
  v_history jsonb;
  v_turn_count integer;
  v_created boolean;
  v_generation bigint;
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
  -- The generation is drawn while the row lock is held, so it follows the order of claims.
  insert into public.chat_sessions as s (user_id, template_id, connection_id)
  values (v_user, p_template_id, p_connection_id)
  on conflict (user_id, template_id) where not is_complete and abandoned_at is null do nothing
  returning s.id, s.history, s.turn_count, nextval('chat_internal.connection_generation')
  into v_session_id, v_history, v_turn_count, v_generation;
  v_created := found;
  if not v_created then
    update public.chat_sessions as s
    set connection_id = p_connection_id
    where s.user_id = v_user and s.template_id = p_template_id
      and not s.is_complete and s.abandoned_at is null
    returning s.id, s.history, s.turn_count, nextval('chat_internal.connection_generation')
    into v_session_id, v_history, v_turn_count, v_generation;
    if not found then
      raise exception 'The open session on template "%" could not be claimed', p_template_id
        using errcode = 'CH409';
    end if;
  end if;

  perform pg_notify('chat_connection_opened', json_build_object(
    'userId', v_user, 'connectionId', p_connection_id, 'generation', v_generation::text
  )::text);
  return query select v_session_id, v_history, v_turn_count, v_created, v_generation;
end;
$$;
comment on function chat_internal.open_session(uuid, uuid, boolean) is
  'Finds or creates the caller''s open interview, hands it to this connection, announces it.';

revoke all on function chat_internal.open_session(uuid, uuid, boolean)
  from public, anon, authenticated, service_role;
grant execute on function chat_internal.open_session(uuid, uuid, boolean) to authenticated;
