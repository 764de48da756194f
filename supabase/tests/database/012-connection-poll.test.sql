-- The supersede poll: which of an instance's connections no longer own their sessions.
begin;
\ir _helpers.psql
select plan(6);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'poll-a');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'poll-b');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-cccccccccccc', 'poll-c');
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');

create temporary table opened (name text, session_id uuid) on commit drop;
grant all on opened to authenticated, service_role;

-- Session a: claimed by connection 1, then by connection 2.
insert into opened select 'a1', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001');
insert into opened select 'a2', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000002');
-- Session b: connection 3 owns it; a restart by connection 4 abandons it for a new one.
insert into opened select 'b3', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'c0000000-0000-4000-8000-000000000003');
insert into opened select 'b4', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'c0000000-0000-4000-8000-000000000004', true);
-- Session c: connection 5 owns it and completes it.
insert into opened select 'c5', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-cccccccccccc', 'c0000000-0000-4000-8000-000000000005');
select chat_internal.complete_session((select session_id from opened where name = 'c5'),
  'c0000000-0000-4000-8000-000000000005', 0,
  '[{"role":"user","content":"Acme","questionId":"party","at":"2026-12-01T00:00:00Z"}]',
  '{"title":"T","content":"Party: Acme","format":"markdown"}');

select throws_ok(
  $$select chat_internal.superseded_connections(array[gen_random_uuid()], array[gen_random_uuid()])$$,
  '42501', null, 'a signed-in user cannot call the poll');

select tests.clear_authentication();
select set_config('role', 'service_role', true);

select set_eq(
  $$select chat_internal.superseded_connections(
      array(select session_id from opened order by name),
      array['c0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002',
        'c0000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000004',
        'c0000000-0000-4000-8000-000000000005']::uuid[])$$,
  $$values ('c0000000-0000-4000-8000-000000000001'::uuid),
    ('c0000000-0000-4000-8000-000000000003'::uuid)$$,
  'the connection another claimed from and the one a restart abandoned are superseded');
select is_empty(
  $$select chat_internal.superseded_connections(
      array[(select session_id from opened where name = 'a2')],
      array['c0000000-0000-4000-8000-000000000002']::uuid[])$$,
  'the connection that claimed last still owns its session');
select is_empty(
  $$select chat_internal.superseded_connections(
      array[(select session_id from opened where name = 'c5')],
      array['c0000000-0000-4000-8000-000000000005']::uuid[])$$,
  'a completed session supersedes nobody: its connection closes with 1000');
select is_empty(
  $$select chat_internal.superseded_connections(array[gen_random_uuid()],
      array['c0000000-0000-4000-8000-000000000009']::uuid[])$$,
  'a session that is gone supersedes nobody; the write fence refuses its connection');
select is_empty(
  $$select chat_internal.superseded_connections('{}', '{}')$$,
  'an instance without connections asks about nothing');

select * from finish();
rollback;
