-- What the functions' own login roles need from the schema (the roles themselves are not created
-- here: a hosted project creates them in the dashboard, as the platform documents custom roles;
-- scripts/function_roles.sql creates them on the local stack; docs/database.md).
--
-- The cleanup's login may call the purge and nothing else, and the interviewer's may read one
-- stored interview by its id and nothing else. Neither can hold a table, bypass RLS or switch to
-- service_role, so the routines they call run as their owner: security definer, each with its
-- search path pinned, executable by service_role (and their owner) until a login role is granted
-- EXECUTE on them.

-- The purge deletes only what it selects as stale; it never reads its caller's input as SQL.
-- The batching procedure stays security invoker (a procedure that commits may not carry the SET
-- clause a security definer routine needs) and calls the function, which runs as its owner.
alter function public.purge_stale_chat_sessions(interval, integer) security definer;
alter function public.count_stale_chat_sessions(interval) security definer;

-- The interviewer's sessionId-only read: a session's history and its template, whoever owns it.
-- Such a request carries no user, so RLS cannot decide; the interviewer's key (checked by the
-- function before it calls) is what stands in the way, as it did when the read switched to
-- service_role.
create or replace function chat_internal.read_stored_interview(p_session_id uuid)
returns table (
  history jsonb, id uuid, slug text, name text, description text, questions jsonb, body text
)
language sql
stable
security definer
set search_path = ''
as $$
  select s.history, t.id, t.slug, t.name, t.description, t.questions, t.body
  from public.chat_sessions s
  join public.document_templates t on t.id = s.template_id
  where s.id = p_session_id
$$;
comment on function chat_internal.read_stored_interview(uuid) is
  'The interviewer''s sessionId-only read: the session''s history and its template, as stored.';

revoke all on function chat_internal.read_stored_interview(uuid)
  from public, anon, authenticated, service_role;
grant execute on function chat_internal.read_stored_interview(uuid) to service_role;
