-- The review of a v2 interview: once every question that applies is answered, the document is
-- previewed and stored with the session; the user's confirm stores exactly that preview as the
-- generated document. The preview counts only while the history is as it was when it was made.
-- A preview meets the bar of a stored document (chat_internal.assert_document): at most 200,000
-- characters and a title of at most 500, or CH414.

alter table public.chat_sessions
  add column if not exists review jsonb,
  add column if not exists review_turn_count integer;

comment on column public.chat_sessions.review is
  'The previewed document of a v2 interview in review ({ title, content, format }), or null.';
comment on column public.chat_sessions.review_turn_count is
  'The turn count the review was made at: it stands only while turn_count still equals it.';

do $$
begin
  if not exists (
    select 1 from pg_constraint where conname = 'chat_sessions_review_has_its_turn_count'
  ) then
    alter table public.chat_sessions
      add constraint chat_sessions_review_has_its_turn_count
      check ((review is null) = (review_turn_count is null));
  end if;
end;
$$;

create or replace function chat_internal.store_review(
  p_session_id uuid, p_connection_id uuid, p_expected_turn_count integer, p_document jsonb
) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
begin
  perform chat_internal.assert_document(p_document);
  update public.chat_sessions s
  set review = jsonb_build_object(
      'title', p_document ->> 'title',
      'content', p_document ->> 'content',
      'format', 'markdown'
    ),
    review_turn_count = s.turn_count
  where s.id = p_session_id and s.user_id = v_user
    and not s.is_complete and s.abandoned_at is null
    and s.connection_id = p_connection_id
    and s.turn_count = p_expected_turn_count
    and s.history @> '[{"role": "user"}]';
  if not found then
    if exists (
      select 1 from public.chat_sessions s
      where s.id = p_session_id and s.user_id = v_user and s.turn_count = p_expected_turn_count
        and s.connection_id = p_connection_id and not s.is_complete and s.abandoned_at is null
    ) then
      raise exception 'Session "%" has no answer, so there is nothing to review', p_session_id
        using errcode = 'CH422';
    end if;
    perform chat_internal.explain_refused_write(
      v_user, p_session_id, p_connection_id, p_expected_turn_count
    );
  end if;
end;
$$;
comment on function chat_internal.store_review(uuid, uuid, integer, jsonb) is
  'Stores the previewed document of the caller''s interview, fenced like every write.';

create or replace function chat_internal.confirm_review(
  p_session_id uuid, p_connection_id uuid, p_expected_turn_count integer
) returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := chat_internal.require_user();
  v_review jsonb;
begin
  select s.review into v_review
  from public.chat_sessions s
  where s.id = p_session_id and s.user_id = v_user
    and s.review_turn_count = s.turn_count;
  if v_review is null then
    if exists (
      select 1 from public.chat_sessions s
      where s.id = p_session_id and s.user_id = v_user and not s.is_complete
        and s.abandoned_at is null and s.connection_id = p_connection_id
        and s.turn_count = p_expected_turn_count
    ) then
      raise exception 'Session "%" is not in review', p_session_id using errcode = 'CH428';
    end if;
    perform chat_internal.explain_refused_write(
      v_user, p_session_id, p_connection_id, p_expected_turn_count
    );
  end if;
  -- complete_session fences by connection and turn count again, under the row lock.
  return chat_internal.complete_session(
    p_session_id, p_connection_id, p_expected_turn_count, '[]'::jsonb, v_review, null
  );
end;
$$;
comment on function chat_internal.confirm_review(uuid, uuid, integer) is
  'Stores exactly the previewed document as the generated document and completes the interview.';

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

revoke all on function
  chat_internal.store_review(uuid, uuid, integer, jsonb),
  chat_internal.confirm_review(uuid, uuid, integer),
  chat_internal.load_review(uuid)
  from public, anon, authenticated, service_role;
grant execute on function
  chat_internal.store_review(uuid, uuid, integer, jsonb),
  chat_internal.confirm_review(uuid, uuid, integer),
  chat_internal.load_review(uuid)
  to authenticated;
