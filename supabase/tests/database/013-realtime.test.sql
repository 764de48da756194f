-- Broadcast from Database: open_session and complete_session send to the user's private topic in
-- their own transaction, and the policy on realtime.messages lets a user receive only that topic.
begin;
\ir _helpers.psql
select plan(14);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_user('22222222-2222-4222-8222-222222222222', 'other_user@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'realtime-a');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'realtime-b');

create temporary table opened (name text, session_id uuid) on commit drop;
create temporary table completed (document_id uuid) on commit drop;
grant all on opened, completed to authenticated;
-- What the broadcasts to this test's two users stored, read as the table's owner would (RLS
-- aside); the table may hold other messages, from the chat's end-to-end runs.
create temporary view sent as
  select topic, event, payload, private, extension from realtime.messages
  where topic in ('user:11111111-1111-4111-8111-111111111111',
    'user:22222222-2222-4222-8222-222222222222');

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
insert into opened select 'first', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001');
select tests.clear_authentication();
select is((select count(*)::int from sent), 0, 'a new interview supersedes nobody: no broadcast');

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
insert into opened select 'same', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001');
select tests.clear_authentication();
select is((select count(*)::int from sent), 0, 'the same connection opening again: no broadcast');

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
insert into opened select 'claimed', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000002');
select tests.clear_authentication();
select results_eq(
  $$select topic, event, payload - 'id', private, extension from sent$$,
  $$values ('user:11111111-1111-4111-8111-111111111111', 'superseded',
    jsonb_build_object('sessionId', (select session_id from opened where name = 'first'),
      'templateId', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'reason', 'claimed'),
    true, 'broadcast')$$,
  'another connection claiming the interview broadcasts superseded on the private user topic');
select ok((select (payload ->> 'id')::uuid is not null from sent),
  'the payload carries the message id, as hosted realtime.send adds it');

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
insert into opened select 'restarted', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000003', true);
select tests.clear_authentication();
select results_eq(
  $$select event, payload ->> 'sessionId', payload ->> 'reason' from sent
    where payload ->> 'reason' = 'restarted'$$,
  $$values ('superseded', (select session_id::text from opened where name = 'first'),
    'restarted')$$,
  'a restart that abandons the interview another connection held broadcasts superseded');

-- A refused write broadcasts nothing: the message is part of the write's transaction.
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select throws_ok(
  $$select chat_internal.complete_session((select session_id from opened where name = 'restarted'),
    'c0000000-0000-4000-8000-000000000001', 0,
    '[{"role":"user","content":"Acme","questionId":"party","at":"2026-12-01T00:00:00Z"}]',
    '{"title":"T","content":"Party: Acme","format":"markdown"}')$$,
  'CH409', null, 'a connection that lost the interview cannot complete it');
select tests.clear_authentication();
select is((select count(*)::int from sent where event = 'interview_completed'), 0,
  'the refused completion broadcast nothing');

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
insert into completed select chat_internal.complete_session(
  (select session_id from opened where name = 'restarted'),
  'c0000000-0000-4000-8000-000000000003', 0,
  '[{"role":"user","content":"Acme","questionId":"party","at":"2026-12-01T00:00:00Z"}]',
  '{"title":"T","content":"Party: Acme","format":"markdown"}');
select tests.clear_authentication();
select results_eq(
  $$select topic, event, payload - 'id', private from sent where event = 'interview_completed'$$,
  $$values ('user:11111111-1111-4111-8111-111111111111', 'interview_completed',
    jsonb_build_object('sessionId', (select session_id from opened where name = 'restarted'),
      'templateId', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      'documentId', (select document_id from completed)),
    true)$$,
  'completing broadcasts interview_completed with the document id on the private user topic');

-- The other user's own message, so that each user has something to receive.
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb',
  'c0000000-0000-4000-8000-000000000009');
select chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb',
  'c0000000-0000-4000-8000-000000000010');
select tests.clear_authentication();
select is((select count(*)::int from sent), 4, 'four broadcasts: three of the owner, one of the other user');

-- Receiving: Realtime reads realtime.messages as the subscriber, with realtime.topic() set to
-- the topic joined.
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select set_config('realtime.topic', 'user:11111111-1111-4111-8111-111111111111', true);
select results_eq(
  $$select count(*)::int, bool_and(topic = 'user:11111111-1111-4111-8111-111111111111')
    from realtime.messages$$,
  $$values (3, true)$$,
  'the owner, on their own topic, receives their three messages and nothing of the other user');

select set_config('realtime.topic', 'user:22222222-2222-4222-8222-222222222222', true);
select is_empty($$select 1 from realtime.messages$$,
  'the owner joining the other user''s topic receives nothing');

select set_config('realtime.topic', '', true);
select is_empty($$select 1 from realtime.messages$$,
  'outside a topic (a plain select through the Data API) the owner reads nothing');

select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select set_config('realtime.topic', 'user:11111111-1111-4111-8111-111111111111', true);
select is_empty($$select 1 from realtime.messages$$,
  'another user joining the owner''s topic receives nothing');

select tests.authenticate_as_anon();
select set_config('realtime.topic', 'user:11111111-1111-4111-8111-111111111111', true);
select is_empty($$select 1 from realtime.messages$$, 'anon receives nothing');

select * from finish();
rollback;
