-- Quotas: what one user may open and finish, so that no script can exhaust the service. The write
-- path (next file) enforces them in the statement that opens or completes a session, so no caller
-- of chat_internal gets past them, whatever it runs as:
--   open interviews       incomplete, not abandoned sessions a user holds at once (default 20)
--   sessions per minute   new sessions a user starts in a fixed one-minute window (default 10)
--   documents per day     documents a user finishes in the last 24 hours (default 50)
-- Resuming an interview is never counted: a reconnect must always get back in. A refusal raises
-- CH429 with a message that names the quota and when to try again, and a detail the chat reads:
--   {"quota": "sessions_per_minute", "limit": 10, "retryAfterSeconds": 42}
-- (retryAfterSeconds is absent for open interviews: those free up when the user finishes one).
--
-- The limits are one row of chat_internal.quotas. The write path reads it (security definer, as
-- the owner); the service role and postgres may read and change it; signed-in users and anon
-- cannot see it. An operator changes a limit with one statement, effective for the next call:
--   update chat_internal.quotas set documents_per_day = 100;

create schema if not exists chat_internal;
grant usage on schema chat_internal to service_role;

create table if not exists chat_internal.quotas (
  -- One row: the primary key can only be true.
  singleton boolean primary key default true check (singleton),
  open_interviews integer not null default 20 check (open_interviews > 0),
  sessions_per_minute integer not null default 10 check (sessions_per_minute > 0),
  documents_per_day integer not null default 50 check (documents_per_day > 0)
);
comment on table chat_internal.quotas is
  'The per-user quotas the write path enforces (one row); change with an update, as postgres '
  'or the service role.';
insert into chat_internal.quotas (singleton) values (true) on conflict (singleton) do nothing;

revoke all on table chat_internal.quotas from public, anon, authenticated, service_role;
grant select, update on table chat_internal.quotas to service_role;

-- One row per user: the current one-minute window and how many sessions it started. A row, not a
-- log of starts, because the abandoned sessions a restart deletes must still count, and because
-- the upsert below takes the row's lock, so a user's concurrent opens are counted one by one.
create table if not exists chat_internal.session_start_windows (
  user_id uuid primary key references auth.users (id) on delete cascade,
  window_started_at timestamptz not null,
  sessions_started integer not null check (sessions_started >= 0)
);
comment on table chat_internal.session_start_windows is
  'Sessions each user started in the current one-minute window: the sessions_per_minute quota.';
revoke all on table chat_internal.session_start_windows
  from public, anon, authenticated, service_role;

create or replace function chat_internal.quota_limits() returns chat_internal.quotas
language sql stable
set search_path = ''
as $$
  -- The defaults stand in if an operator deleted the row.
  select coalesce(
    (select q from chat_internal.quotas q where q.singleton),
    row(true, 20, 10, 50)::chat_internal.quotas
  )
$$;
comment on function chat_internal.quota_limits() is
  'The quotas in force: the row of chat_internal.quotas, or the defaults without it.';

create or replace function chat_internal.raise_quota_exceeded(
  p_quota text, p_limit integer, p_message text, p_retry_after_seconds integer
) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  raise exception '%', p_message using errcode = 'CH429',
    detail = jsonb_strip_nulls(jsonb_build_object(
      'quota', p_quota, 'limit', p_limit, 'retryAfterSeconds', p_retry_after_seconds
    ))::text;
end;
$$;
comment on function chat_internal.raise_quota_exceeded(text, integer, text, integer) is
  'Raises CH429 with the quota''s sentence and a JSON detail the chat reads.';

create or replace function chat_internal.assert_session_start_quotas(p_user_id uuid) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_limits chat_internal.quotas := chat_internal.quota_limits();
  v_open integer;
  v_window_started_at timestamptz;
  v_started integer;
  v_wait integer;
begin
  -- Counted through the unique index of open sessions: at most one row per template.
  select count(*) into v_open
  from public.chat_sessions s
  where s.user_id = p_user_id and not s.is_complete and s.abandoned_at is null;
  if v_open >= v_limits.open_interviews then
    perform chat_internal.raise_quota_exceeded('open_interviews', v_limits.open_interviews,
      format('You have %s interviews in progress, the most allowed at once: finish one, or '
        'restart one to replace it, before starting another', v_open), null);
  end if;

  -- A refusal raises and so undoes this count: refused attempts do not extend the wait.
  insert into chat_internal.session_start_windows as w
    (user_id, window_started_at, sessions_started)
  values (p_user_id, now(), 1)
  on conflict (user_id) do update set
    window_started_at = case when w.window_started_at <= now() - interval '1 minute'
      then now() else w.window_started_at end,
    sessions_started = case when w.window_started_at <= now() - interval '1 minute'
      then 1 else w.sessions_started + 1 end
  returning w.window_started_at, w.sessions_started into v_window_started_at, v_started;
  if v_started > v_limits.sessions_per_minute then
    v_wait := greatest(1, ceil(extract(epoch from
      v_window_started_at + interval '1 minute' - now()))::integer);
    perform chat_internal.raise_quota_exceeded('sessions_per_minute',
      v_limits.sessions_per_minute,
      format('You started %s interviews within a minute, the most allowed: try again in %s '
        'seconds', v_limits.sessions_per_minute, v_wait), v_wait);
  end if;
end;
$$;
comment on function chat_internal.assert_session_start_quotas(uuid) is
  'Refuses a new session past the open_interviews or sessions_per_minute quota (CH429), and '
  'counts it otherwise.';

create or replace function chat_internal.assert_document_quota(
  p_user_id uuid, p_document_id uuid
) returns void
language plpgsql stable
set search_path = ''
as $$
declare
  v_limits chat_internal.quotas := chat_internal.quota_limits();
  v_oldest timestamptz;
  v_count integer;
  v_wait integer;
begin
  -- The newest documents through the (user_id, created_at desc) index, at most the limit's
  -- worth. A document the AI service stored for this completion (p_document_id) is the one being
  -- finished, so it is not counted against it.
  select count(*), min(r.created_at) into v_count, v_oldest
  from (
    select d.created_at from public.generated_documents d
    where d.user_id = p_user_id and d.created_at > now() - interval '24 hours'
      and d.id is distinct from p_document_id
    order by d.created_at desc
    limit v_limits.documents_per_day
  ) r;
  if v_count >= v_limits.documents_per_day then
    v_wait := greatest(1, ceil(extract(epoch from
      v_oldest + interval '24 hours' - now()))::integer);
    perform chat_internal.raise_quota_exceeded('documents_per_day', v_limits.documents_per_day,
      format('You finished %s documents in the last 24 hours, the most allowed: try again in %s. '
        'Your answers are kept', v_limits.documents_per_day,
        case when v_wait >= 3600 then (v_wait / 3600) || ' h ' || (v_wait % 3600 / 60) || ' min'
          when v_wait >= 60 then ceil(v_wait / 60.0) || ' min'
          else v_wait || ' seconds' end), v_wait);
  end if;
end;
$$;
comment on function chat_internal.assert_document_quota(uuid, uuid) is
  'Refuses one more document past the documents_per_day quota (CH429).';

revoke all on function
  chat_internal.quota_limits(),
  chat_internal.raise_quota_exceeded(text, integer, text, integer),
  chat_internal.assert_session_start_quotas(uuid),
  chat_internal.assert_document_quota(uuid, uuid)
  from public, anon, authenticated, service_role;
