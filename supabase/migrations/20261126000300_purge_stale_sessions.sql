-- Purging abandoned interviews: incomplete sessions untouched for longer than max_age.
-- Complete sessions and their documents are never purged.

create or replace function public.purge_stale_chat_sessions(
  max_age interval default interval '24 hours'
) returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_deleted integer;
begin
  if max_age is null or max_age < interval '0' then
    raise exception 'max_age must be a non-negative interval, got "%"', max_age
      using errcode = '22023';
  end if;
  -- skip locked: a session being answered right now holds a row lock and is not stale anyway.
  with stale as (
    select s.id
    from public.chat_sessions s
    where not s.is_complete and s.updated_at < now() - max_age
    for update skip locked
  )
  delete from public.chat_sessions s
  using stale
  where s.id = stale.id;
  get diagnostics v_deleted = row_count;
  return v_deleted;
end;
$$;
comment on function public.purge_stale_chat_sessions(interval) is
  'Deletes incomplete chat sessions not updated within max_age; returns how many.';

revoke all on function public.purge_stale_chat_sessions(interval)
  from public, anon, authenticated;
grant execute on function public.purge_stale_chat_sessions(interval) to service_role, postgres;

create extension if not exists pg_cron with schema pg_catalog;
grant usage on schema cron to postgres;

-- cron.schedule with a job name updates the job in place, so re-running this is harmless.
select cron.schedule(
  'purge-stale-chat-sessions',
  '0 0 * * *',
  'select public.purge_stale_chat_sessions()'
);
