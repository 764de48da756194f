-- Last connection wins without LISTEN: behind a transaction pooler (Supabase's on port 6543,
-- PgBouncer in transaction mode) a notification reaches whichever client holds the server
-- connection, so each chat instance asks instead, in one batched statement about every second,
-- which of its open connections no longer own their sessions, and closes those with 4509.

create or replace function chat_internal.superseded_connections(
  p_session_ids uuid[], p_connection_ids uuid[]
) returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  -- A session another connection claimed, or that a restart abandoned (connection_id null), is
  -- no longer the given connection's. A completed session is not superseded: its connection
  -- closes with 1000. A session that is gone (purged) is left to the write fence.
  select w.connection_id
  from unnest(p_session_ids, p_connection_ids) as w (session_id, connection_id)
  join public.chat_sessions s on s.id = w.session_id
  where not s.is_complete and s.connection_id is distinct from w.connection_id
$$;
comment on function chat_internal.superseded_connections(uuid[], uuid[]) is
  'Of the given (session, connection) pairs, the connections that no longer own their session.';

-- No user's work: a chat instance asks about all of its connections at once, as the service role
-- (or the functions' login role, as for the purge).
revoke all on function chat_internal.superseded_connections(uuid[], uuid[])
  from public, anon, authenticated, service_role;
grant usage on schema chat_internal to service_role;
grant execute on function chat_internal.superseded_connections(uuid[], uuid[])
  to service_role, postgres;
