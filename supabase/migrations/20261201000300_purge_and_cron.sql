-- Purging abandoned interviews, in bounded batches: a large backlog of stale sessions is deleted
-- a few thousand rows per transaction, oldest first, so the purge never holds long locks, never
-- bloats one transaction, and never blocks an interview that is being answered; pg_cron runs it
-- daily.
--
--   public.count_stale_chat_sessions(max_age)                    how many a purge would delete
--   public.purge_stale_chat_sessions(max_age, batch_size)        deletes one batch, returns how many
--   public.purge_stale_chat_sessions_in_batches(max_age, batch_size)
--                                                               a procedure: batches until done,
--                                                               committing after each (pg_cron)
--
-- Stale means: incomplete (open or abandoned), not updated within max_age, and without a
-- generated document. Complete sessions and documents are never deleted. Both arguments have
-- defaults, so `purge_stale_chat_sessions()` and `purge_stale_chat_sessions(interval '1 hour')`
-- work too.

create or replace function public.purge_stale_chat_sessions(
  max_age interval default interval '24 hours',
  batch_size integer default 5000
) returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_cutoff timestamptz;
  v_deleted integer;
begin
  if max_age is null or max_age < interval '0' then
    raise exception 'max_age must be a non-negative interval, got "%"', max_age
      using errcode = '22023';
  end if;
  if batch_size is null or batch_size < 1 then
    raise exception 'batch_size must be a positive integer, got "%"', batch_size
      using errcode = '22023';
  end if;
  v_cutoff := now() - max_age;
  -- Oldest first, through the partial index on incomplete sessions' updated_at. skip locked:
  -- a session being answered right now holds a row lock, so it is not stale; the purge moves
  -- on instead of waiting. Locking re-reads a row updated since the scan's snapshot and drops
  -- it if it no longer matches, and the delete checks the condition once more on the locked
  -- row, so a session touched while the purge runs is never deleted.
  with stale as (
    select s.id
    from public.chat_sessions s
    where not s.is_complete
      and s.updated_at < v_cutoff
      and not exists (select 1 from public.generated_documents d where d.session_id = s.id)
    order by s.updated_at
    limit batch_size
    for update of s skip locked
  )
  delete from public.chat_sessions s
  using stale
  where s.id = stale.id
    and not s.is_complete
    and s.updated_at < v_cutoff;
  get diagnostics v_deleted = row_count;
  return v_deleted;
end;
$$;
comment on function public.purge_stale_chat_sessions(interval, integer) is
  'Deletes at most batch_size incomplete chat sessions not updated within max_age, oldest first; '
  'returns how many.';

create or replace function public.count_stale_chat_sessions(
  max_age interval default interval '24 hours'
) returns bigint
language plpgsql stable
set search_path = ''
as $$
begin
  if max_age is null or max_age < interval '0' then
    raise exception 'max_age must be a non-negative interval, got "%"', max_age
      using errcode = '22023';
  end if;
  return (
    select count(*)
    from public.chat_sessions s
    where not s.is_complete
      and s.updated_at < now() - max_age
      and not exists (select 1 from public.generated_documents d where d.session_id = s.id)
  );
end;
$$;
comment on function public.count_stale_chat_sessions(interval) is
  'Dry run of the purge: how many chat sessions it would delete now; deletes nothing.';

-- A procedure, not a function, so that it can commit after each batch: locks are released and
-- the deleted rows become vacuumable as it goes. It must be called outside a transaction block
-- (pg_cron does that). The cutoff is fixed when it starts: later batches delete nothing newer.
create or replace procedure public.purge_stale_chat_sessions_in_batches(
  max_age interval default interval '24 hours',
  batch_size integer default 5000,
  inout deleted bigint default 0
)
language plpgsql
-- No `set search_path` clause: PostgreSQL runs a procedure that has any SET clause atomically,
-- and COMMIT then fails ("invalid transaction termination"). So the procedure pins the search
-- path itself, first thing in each of its transactions (a local setting ends with the
-- transaction that made it, and the caller's comes back after the call), before it evaluates
-- anything else; every name is schema-qualified as well.
as $$
declare
  v_cutoff timestamptz;
  v_batch integer;
begin
  perform pg_catalog.set_config('search_path', '', true);
  v_cutoff := pg_catalog.now() - max_age;
  deleted := 0;
  loop
    -- now() is the start of the current transaction, so this max_age keeps the first cutoff.
    v_batch := public.purge_stale_chat_sessions(pg_catalog.now() - v_cutoff, batch_size);
    deleted := deleted + v_batch;
    commit;
    perform pg_catalog.set_config('search_path', '', true);
    exit when v_batch < batch_size;
  end loop;
end;
$$;
comment on procedure public.purge_stale_chat_sessions_in_batches(interval, integer, bigint) is
  'Purges every stale chat session in batches of batch_size, committing after each; for pg_cron.';

-- New routines in public are executable by PUBLIC and, under the platform's default privileges,
-- by anon and authenticated: the purge is the service role's (and the owner's) alone.
revoke all on function public.purge_stale_chat_sessions(interval, integer)
  from public, anon, authenticated;
revoke all on function public.count_stale_chat_sessions(interval)
  from public, anon, authenticated;
revoke all on procedure public.purge_stale_chat_sessions_in_batches(interval, integer, bigint)
  from public, anon, authenticated;
grant execute on function public.purge_stale_chat_sessions(interval, integer)
  to service_role, postgres;
grant execute on function public.count_stale_chat_sessions(interval) to service_role, postgres;
grant execute on procedure public.purge_stale_chat_sessions_in_batches(interval, integer, bigint)
  to service_role, postgres;

-- The daily job. cron.schedule with a job name updates the job in place, so re-running this is
-- harmless.
create extension if not exists pg_cron with schema pg_catalog;
grant usage on schema cron to postgres;

select cron.schedule(
  'purge-stale-chat-sessions',
  '0 0 * * *',
  'call public.purge_stale_chat_sessions_in_batches()'
);
