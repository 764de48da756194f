-- The chat function's two reads as functions, so that every call it makes is one statement.
--
-- Why: the chat function shares one postgres.js pool between all its users, and postgres.js
-- 3.4.9 pipelines a query onto a busy connection when none is idle. An explicit transaction
-- (`sql.begin`) on such a pool can therefore take in another caller's statement between its
-- BEGIN and COMMIT, and a BEGIN written while the socket pushes back is never marked as a
-- transaction, so the pool keeps using a connection left inside it: under the saturated bench
-- that surfaced as UNSAFE_TRANSACTION and as writes that waited on a transaction nobody would
-- end. With every call one statement in its own implicit transaction, there is no BEGIN on the
-- pool at all.
--
-- These act for auth.uid() exactly as the RLS policies on the tables do for a Data API read:
-- active templates for any signed-in user, a session (and its document) for its owner only.

create or replace function chat_internal.find_template(p_template_id uuid)
returns table (
  id uuid, slug text, name text, description text, questions jsonb, body text
)
language sql stable
security definer
set search_path = ''
as $$
  select t.id, t.slug, t.name, t.description, t.questions, t.body
  from public.document_templates t
  where t.id = p_template_id and t.is_active and auth.uid() is not null
$$;
comment on function chat_internal.find_template(uuid) is
  'An active template, for a signed-in caller (what RLS shows them); no row otherwise.';

create or replace function chat_internal.load_session(p_session_id uuid)
returns table (
  template_id uuid, history jsonb, turn_count integer, is_complete boolean,
  connection_id uuid, document_id uuid
)
language sql stable
security definer
set search_path = ''
as $$
  select s.template_id, s.history, s.turn_count, s.is_complete, s.connection_id, d.id
  from public.chat_sessions s
  left join public.generated_documents d on d.session_id = s.id
  where s.id = p_session_id and s.user_id = auth.uid()
$$;
comment on function chat_internal.load_session(uuid) is
  'The caller''s own session and its document id, if any; no row for anyone else''s.';

revoke all on function
  chat_internal.find_template(uuid),
  chat_internal.load_session(uuid)
  from public, anon, authenticated, service_role;
grant execute on function
  chat_internal.find_template(uuid),
  chat_internal.load_session(uuid)
  to authenticated;
