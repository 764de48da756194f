-- The chat's reads run as the caller under row level security. The chat function now runs every
-- call for a user as role `authenticated` with the caller's claims (docs/database.md), so these
-- reads are `security invoker`: the RLS policies on the tables decide what a caller sees, and the
-- functions filter by nothing but the ids they are given. One slip in a function's WHERE clause
-- can no longer show a user another user's interview: the policy stands underneath.
--
-- They are redefined here, not edited where they were first defined, because clusters have
-- applied those files; each keeps its signature, so its grants (authenticated only) stay.

create or replace function chat_internal.find_template(p_template_id uuid)
returns table (
  id uuid, slug text, name text, description text, questions jsonb, body text
)
language sql stable
security invoker
set search_path = ''
as $$
  -- "Active templates are readable by signed-in users" decides: an inactive template is no row.
  select t.id, t.slug, t.name, t.description, t.questions, t.body
  from public.document_templates t
  where t.id = p_template_id
$$;
comment on function chat_internal.find_template(uuid) is
  'A template as RLS shows it to the caller (active ones to signed-in users); no row otherwise.';

create or replace function chat_internal.load_session(p_session_id uuid)
returns table (
  template_id uuid, history jsonb, turn_count integer, is_complete boolean,
  connection_id uuid, document_id uuid
)
language sql stable
security invoker
set search_path = ''
as $$
  -- "Sessions are visible to their owner" and "Documents are visible to their owner" decide.
  select s.template_id, s.history, s.turn_count, s.is_complete, s.connection_id, d.id
  from public.chat_sessions s
  left join public.generated_documents d on d.session_id = s.id
  where s.id = p_session_id
$$;
comment on function chat_internal.load_session(uuid) is
  'A session and its document id as RLS shows them to the caller: their own only.';

create or replace function chat_internal.load_review(p_session_id uuid)
returns table (document jsonb, turn_count integer)
language sql stable
security invoker
set search_path = ''
as $$
  -- "Sessions are visible to their owner" decides whose review this can be.
  select s.review, s.review_turn_count
  from public.chat_sessions s
  where s.id = p_session_id
    and s.review is not null and s.review_turn_count = s.turn_count
$$;
comment on function chat_internal.load_review(uuid) is
  'The caller''s review of a session while it stands, as RLS shows the session to them.';
