-- The purge deletes exactly the incomplete sessions older than the cutoff; the cron job runs it.
begin;
\ir _helpers.psql
select plan(11);

select has_extension('pg_cron', 'pg_cron is installed');

-- The purge acts on the whole table: start from an empty one (the rollback restores any rows
-- that `npm start` or other tests left in the shared local database).
delete from public.generated_documents;
delete from public.chat_sessions;

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'purge');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'purge-2');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-cccccccccccc', 'purge-3');
insert into public.chat_sessions (id, user_id, template_id, is_complete, completed_at, abandoned_at,
  updated_at) values
  -- stale: incomplete and untouched for two days
  ('50000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', false, null, null, now() - interval '2 days'),
  -- stale: abandoned long ago
  ('50000000-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', false, null, now() - interval '3 days',
   now() - interval '3 days'),
  -- fresh: incomplete but touched an hour ago
  ('50000000-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', false, null, null, now() - interval '1 hour'),
  -- complete and old: kept, with its document
  ('50000000-0000-4000-8000-000000000004', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-cccccccccccc', true, now() - interval '9 days', null,
   now() - interval '9 days');
insert into public.generated_documents (id, session_id, user_id, template_id, title, content)
values ('d0000000-0000-4000-8000-000000000004', '50000000-0000-4000-8000-000000000004',
  '11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-cccccccccccc', 'Kept', 'z');

select is(public.purge_stale_chat_sessions(), 2, 'the purge reports the two stale sessions');
select set_eq($$select id from public.chat_sessions where user_id = '11111111-1111-4111-8111-111111111111'$$,
  array['50000000-0000-4000-8000-000000000003', '50000000-0000-4000-8000-000000000004']::uuid[],
  'only the fresh and the complete sessions remain');
select is((select count(*)::int from public.generated_documents
           where id = 'd0000000-0000-4000-8000-000000000004'), 1, 'the document stays');
select is(public.purge_stale_chat_sessions(), 0, 'a second purge finds nothing');
select is(public.purge_stale_chat_sessions(interval '30 minutes'), 1,
  'a shorter max_age takes the hour-old session too');
select throws_ok($$select public.purge_stale_chat_sessions(interval '-1 hour')$$, '22023', null,
  'a negative max_age is refused');

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select throws_ok($$select public.purge_stale_chat_sessions()$$, '42501', null,
  'a signed-in user cannot purge');
select tests.clear_authentication();

select is((select schedule from cron.job where jobname = 'purge-stale-chat-sessions'), '0 0 * * *',
  'the purge job runs daily at midnight');
select is((select command from cron.job where jobname = 'purge-stale-chat-sessions'),
  'call public.purge_stale_chat_sessions_in_batches()',
  'the purge job calls the purge, in batches');
select is((select count(*)::int from cron.job where jobname = 'purge-stale-chat-sessions'), 1,
  'the purge job is scheduled once');

select * from finish();
rollback;
