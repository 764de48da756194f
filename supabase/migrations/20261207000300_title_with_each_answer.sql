-- The chat stores an interview's title with each stored answer (issue 27, Build 5), in the call
-- that stores the answer: no extra round trip per turn. append_turns gains an overload that takes
-- the title made by the template's rule from the answers so far; the four-argument one stays.

create or replace function chat_internal.append_turns(
  p_session_id uuid, p_connection_id uuid, p_expected_turn_count integer, p_turns jsonb,
  p_title text
) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_title text := case when p_title is null then null else chat_internal.checked_title(p_title) end;
  v_turn_count integer;
begin
  -- The fenced append first: it refuses a write this connection may not make, so the title below
  -- is only ever set on a session the same call just wrote to.
  v_turn_count := chat_internal.append_turns(
    p_session_id, p_connection_id, p_expected_turn_count, p_turns);
  if v_title is not null then
    update public.chat_sessions s set title = v_title
    where s.id = p_session_id and s.title is distinct from v_title;
  end if;
  return v_turn_count;
end;
$$;
comment on function chat_internal.append_turns(uuid, uuid, integer, jsonb, text) is
  'append_turns, storing the session''s title (checked as every title is) in the same call.';

revoke all on function chat_internal.append_turns(uuid, uuid, integer, jsonb, text)
  from public, anon, authenticated, service_role;
grant execute on function chat_internal.append_turns(uuid, uuid, integer, jsonb, text)
  to authenticated;
