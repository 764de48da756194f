-- chat_internal's reads show a caller what RLS would: active templates to a signed-in user, a
-- session and its document to its owner, nothing to anyone else.
begin;
\ir _helpers.psql
select plan(12);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_user('22222222-2222-4222-8222-222222222222', 'other_user@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'reads-active');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'reads-inactive', false);

create temporary table ids (name text primary key, id uuid) on commit drop;
grant all on ids to authenticated;

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select is(
  (select slug from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')),
  'reads-active', 'a signed-in user finds an active template');
select is(
  (select count(*)::int from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb')),
  0, 'an inactive template is not found');
select is(
  (select count(*)::int from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-cccccccccccc')),
  0, 'an unknown template is not found');

insert into ids select 'owner', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001');
select chat_internal.append_turns((select id from ids where name = 'owner'),
  'c0000000-0000-4000-8000-000000000001', 0,
  '[{"role":"assistant","content":"Who?","questionId":"party","at":"2026-01-01T00:00:00Z"}]');
select results_eq(
  format($$select template_id, turn_count, is_complete, connection_id, document_id
    from chat_internal.load_session(%L)$$, (select id from ids where name = 'owner')),
  $$values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid, 1, false,
    'c0000000-0000-4000-8000-000000000001'::uuid, null::uuid)$$,
  'the owner loads their open session');
select is(
  (select history -> 0 ->> 'content' from chat_internal.load_session(
    (select id from ids where name = 'owner'))),
  'Who?', 'with its history');

insert into ids select 'document', chat_internal.complete_session(
  (select id from ids where name = 'owner'), 'c0000000-0000-4000-8000-000000000001', 1,
  '[{"role":"user","content":"Acme","questionId":"party","at":"2026-01-01T00:00:01Z"}]',
  '{"title":"T","content":"Party: Acme"}');
select results_eq(
  format($$select is_complete, connection_id, document_id
    from chat_internal.load_session(%L)$$, (select id from ids where name = 'owner')),
  format($$values (true, null::uuid, %L::uuid)$$, (select id from ids where name = 'document')),
  'a complete session carries its document id');

select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select is(
  (select count(*)::int from chat_internal.load_session((select id from ids where name = 'owner'))),
  0, 'another user cannot load the session');
select is(
  (select slug from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')),
  'reads-active', 'any signed-in user finds the active template');

select tests.clear_authentication();
select is(
  (select count(*)::int from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')),
  0, 'without claims no template is found');
select is(
  (select count(*)::int from chat_internal.load_session((select id from ids where name = 'owner'))),
  0, 'without claims no session is found');

select tests.authenticate_as_anon();
select throws_ok(
  $$select * from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')$$,
  '42501', null, 'anon cannot call the reads');
select tests.clear_authentication();
select ok(
  has_function_privilege('authenticated', 'chat_internal.load_session(uuid)', 'execute'),
  'signed-in users may execute the reads (through the chat function only: the schema is hidden)');

select * from finish();
rollback;
