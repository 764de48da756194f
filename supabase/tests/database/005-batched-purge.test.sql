-- The batched purge: a call deletes at most batch_size stale sessions, oldest first; repeated
-- calls drain the backlog; the dry run counts without deleting; complete sessions, documents and
-- sessions touched within the cutoff are never deleted; only the service role may run any of it.
-- The procedure that commits between batches cannot run inside this test's transaction; the
-- Deno suite (supabase/functions/cleanup/purge_procedure_test.ts) runs it for real.
begin;
\ir _helpers.psql
select plan(31);

-- The purge acts on the whole table: start from an empty one (the rollback restores any rows
-- that `npm start` or other tests left in the shared local database).
delete from public.generated_documents;
delete from public.chat_sessions;

-- Stale sessions left by other suites would blur the exact counts below; clear them (rolled back).
select public.purge_stale_chat_sessions(interval '24 hours', 2147483647);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_user('22222222-2222-4222-8222-222222222222', 'other_user@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'batch-a');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'batch-b');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-cccccccccccc', 'batch-c');

create function pg_temp.session_id(n integer) returns uuid
language sql immutable
as $$ select ('60000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid $$;

-- Seven stale sessions, n = 1 (nine days old) to n = 7 (three days old): two still open (one
-- per user), five abandoned.
insert into public.chat_sessions (id, user_id, template_id, abandoned_at, updated_at)
select pg_temp.session_id(n),
  case when n = 2 then '22222222-2222-4222-8222-222222222222'::uuid
       else '11111111-1111-4111-8111-111111111111'::uuid end,
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  case when n <= 2 then null else now() - (10 - n) * interval '1 day' end,
  now() - (10 - n) * interval '1 day'
from generate_series(1, 7) as n;

insert into public.chat_sessions (id, user_id, template_id, is_complete, completed_at,
  abandoned_at, updated_at) values
  -- stale, but touched just now (below): kept
  (pg_temp.session_id(8), '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', false, null, null, now() - interval '5 days'),
  -- fresh: incomplete, touched an hour ago
  (pg_temp.session_id(9), '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-cccccccccccc', false, null, null, now() - interval '1 hour'),
  -- complete and old, with its document
  (pg_temp.session_id(10), '22222222-2222-4222-8222-222222222222',
   'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', true, now() - interval '30 days', null,
   now() - interval '30 days'),
  -- incomplete and old, yet holding a document (written directly): kept with its document
  (pg_temp.session_id(11), '22222222-2222-4222-8222-222222222222',
   'aaaaaaaa-aaaa-4aaa-8aaa-cccccccccccc', false, null, now() - interval '20 days',
   now() - interval '20 days');
insert into public.generated_documents (id, session_id, user_id, template_id, title, content)
values
  ('d0000000-0000-4000-8000-000000000010', pg_temp.session_id(10),
   '22222222-2222-4222-8222-222222222222', 'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'Done', 'x'),
  ('d0000000-0000-4000-8000-000000000011', pg_temp.session_id(11),
   '22222222-2222-4222-8222-222222222222', 'aaaaaaaa-aaaa-4aaa-8aaa-cccccccccccc', 'Odd', 'y');

-- An answer arrives on session 8: the trigger moves updated_at to now.
update public.chat_sessions set history = history where id = pg_temp.session_id(8);

create temporary table kept_before as
select id, user_id, template_id, history, turn_count, is_complete, abandoned_at, updated_at
from public.chat_sessions where id in (select pg_temp.session_id(n) from generate_series(8, 11) n);

-- Dry run
select is(public.count_stale_chat_sessions(), 7::bigint,
  'the dry run counts the seven stale sessions');
select is((select count(*)::int from public.chat_sessions
           where id in (select pg_temp.session_id(n) from generate_series(1, 11) n)), 11,
  'the dry run deletes nothing');
select is(public.count_stale_chat_sessions(interval '4 days'), 5::bigint,
  'the dry run honours max_age (the sessions older than four days)');

-- Batches
select is(public.purge_stale_chat_sessions(interval '24 hours', 3), 3,
  'a call with batch_size 3 deletes three sessions');
select set_eq(
  $$select id from public.chat_sessions
    where id in (select pg_temp.session_id(n) from generate_series(1, 7) n)$$,
  $$select pg_temp.session_id(n) from generate_series(4, 7) n$$,
  'the first batch took the three oldest');
select is(public.count_stale_chat_sessions(), 4::bigint, 'four stale sessions are left');
select is(public.purge_stale_chat_sessions(interval '24 hours', 3), 3,
  'the next call deletes the next three');
select is(public.purge_stale_chat_sessions(interval '24 hours', 3), 1,
  'the third call deletes the last one');
select is(public.purge_stale_chat_sessions(interval '24 hours', 3), 0,
  'the backlog is drained');
select is(public.count_stale_chat_sessions(), 0::bigint, 'the dry run finds nothing left');

-- What stays, unchanged
select set_eq(
  $$select id from public.chat_sessions
    where user_id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222')$$,
  $$select pg_temp.session_id(n) from generate_series(8, 11) n$$,
  'only the touched, fresh, complete and document-holding sessions remain');
select set_eq(
  $$select id, user_id, template_id, history, turn_count, is_complete, abandoned_at, updated_at
    from public.chat_sessions
    where id in (select pg_temp.session_id(n) from generate_series(8, 11) n)$$,
  $$select * from kept_before$$,
  'the remaining sessions are untouched');
select is((select count(*)::int from public.generated_documents
           where id in ('d0000000-0000-4000-8000-000000000010',
                        'd0000000-0000-4000-8000-000000000011')), 2,
  'both documents stay');
select is(public.purge_stale_chat_sessions(interval '30 minutes', 100), 1,
  'a shorter max_age takes the hour-old session');
select set_eq(
  $$select id from public.chat_sessions
    where user_id in ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222')$$,
  $$select pg_temp.session_id(n) from generate_series(8, 11) n where n <> 9$$,
  'but never the complete or the document-holding session, however old');
select is(public.purge_stale_chat_sessions(), 0, 'the defaults still work');

-- Bad arguments
select throws_ok($$select public.purge_stale_chat_sessions(interval '1 hour', 0)$$, '22023',
  'batch_size must be a positive integer, got "0"', 'a zero batch size is refused');
select throws_ok($$select public.purge_stale_chat_sessions(interval '1 hour', null)$$, '22023',
  null, 'a null batch size is refused');
select throws_ok($$select public.count_stale_chat_sessions(interval '-1 hour')$$, '22023', null,
  'the dry run refuses a negative max_age');
select throws_ok($$call public.purge_stale_chat_sessions_in_batches()$$, '2D000', null,
  'the batching procedure refuses to run inside a transaction block');
-- It cannot carry `set search_path` (a procedure with a SET clause may not commit), so its body
-- pins the search path first thing in each of its transactions: before the first batch and after
-- every commit. (purge_procedure_test.ts shows a caller's hostile search path changes nothing.)
select is(
  (select array_length(regexp_split_to_array(prosrc,
     'perform pg_catalog\.set_config\(''search_path'', '''', true\);'), 1) - 1
   from pg_proc where oid = 'public.purge_stale_chat_sessions_in_batches'::regproc),
  2, 'the batching procedure pins the search path in its body, in each of its transactions');

-- Who may run it
select function_privs_are('public', 'purge_stale_chat_sessions', array['interval', 'integer'],
  'authenticated', array[]::text[], 'signed-in users cannot purge');
select function_privs_are('public', 'purge_stale_chat_sessions', array['interval', 'integer'],
  'anon', array[]::text[], 'anon cannot purge');
select function_privs_are('public', 'purge_stale_chat_sessions', array['interval', 'integer'],
  'service_role', array['EXECUTE'], 'the service role can purge');
select function_privs_are('public', 'count_stale_chat_sessions', array['interval'],
  'authenticated', array[]::text[], 'signed-in users cannot count stale sessions');
select function_privs_are('public', 'purge_stale_chat_sessions_in_batches',
  array['interval', 'integer', 'bigint'], 'authenticated', array[]::text[],
  'signed-in users cannot run the batching procedure');
select function_privs_are('public', 'purge_stale_chat_sessions_in_batches',
  array['interval', 'integer', 'bigint'], 'service_role', array['EXECUTE'],
  'the service role can run the batching procedure');

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select throws_ok($$select public.purge_stale_chat_sessions(interval '1 hour', 10)$$, '42501',
  null, 'a signed-in user is refused at run time');
select tests.clear_authentication();

insert into public.chat_sessions (id, user_id, template_id, abandoned_at, updated_at)
values (pg_temp.session_id(12), '11111111-1111-4111-8111-111111111111',
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', now() - interval '2 days', now() - interval '2 days');
select set_config('role', 'service_role', true);
select is(public.purge_stale_chat_sessions(interval '24 hours', 10), 1,
  'the service role purges through RLS');
select tests.clear_authentication();

-- The daily job runs the batching procedure
select is((select schedule from cron.job where jobname = 'purge-stale-chat-sessions'), '0 0 * * *',
  'the purge job runs daily at midnight');
select is((select command from cron.job where jobname = 'purge-stale-chat-sessions'),
  'call public.purge_stale_chat_sessions_in_batches()',
  'the purge job calls the batching procedure');

select * from finish();
rollback;
