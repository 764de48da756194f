-- chat_internal: the chat function's write path acts for auth.uid() alone, fences every write
-- by connection and turn count, and completes atomically.
begin;
\ir _helpers.psql
select plan(24);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_user('22222222-2222-4222-8222-222222222222', 'other_user@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'write-active');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'write-inactive', false);

create temporary table ids (name text primary key, id uuid) on commit drop;
grant all on ids to authenticated;

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
insert into ids select 'owner', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001');
select is(
  (select created from chat_internal.open_session(
    'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001')),
  false, 'opening again finds the open session instead of creating one');
select is(
  (select count(*)::int from public.chat_sessions where not is_complete), 1,
  'the owner has exactly one open session');
select is(
  chat_internal.append_turns((select id from ids where name = 'owner'),
    'c0000000-0000-4000-8000-000000000001', 0,
    '[{"role":"assistant","content":"Who?","questionId":"party","at":"2026-01-01T00:00:00Z"}]'),
  1, 'the owning connection appends a turn');
select throws_ok(
  format($$select chat_internal.append_turns(%L, 'c0000000-0000-4000-8000-000000000001', 0,
    '[{"role":"user","content":"x","at":"2026-01-01T00:00:02Z"}]')$$, (select id from ids where name = 'owner')),
  'CH412', null, 'an append that expects an old turn count is refused');
select throws_ok(
  format($$select chat_internal.append_turns(%L, 'c0000000-0000-4000-8000-000000000001', 1,
    '[{"role":"system","content":"x","at":"2026-01-01T00:00:02Z"}]')$$, (select id from ids where name = 'owner')),
  '22023', null, 'a turn with an unknown role is refused');
select throws_ok(
  format($$select chat_internal.append_turns(%L, 'c0000000-0000-4000-8000-000000000001', 1,
    '[]')$$, (select id from ids where name = 'owner')),
  '22023', null, 'an empty append is refused');

-- a newer connection takes the session over; the old one can never write again
select is(
  (select session_id from chat_internal.open_session(
    'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000002')),
  (select id from ids where name = 'owner'), 'a second connection resumes the same session');
select throws_ok(
  format($$select chat_internal.append_turns(%L, 'c0000000-0000-4000-8000-000000000001', 1,
    '[{"role":"user","content":"late","at":"2026-01-01T00:00:02Z"}]')$$, (select id from ids where name = 'owner')),
  'CH409', null, 'the superseded connection''s write is refused');
select is(
  (select history from chat_internal.open_session(
    'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000002')),
  '[{"role":"assistant","content":"Who?","questionId":"party","at":"2026-01-01T00:00:00Z"}]'::jsonb,
  'history holds exactly the accepted turn');

-- other users and bad callers
select throws_ok(
  $$select * from chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb',
    gen_random_uuid())$$,
  'CH404', null, 'an inactive template cannot be opened');
select throws_ok(
  $$select * from chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-cccccccccccc',
    gen_random_uuid())$$,
  'CH404', null, 'an unknown template cannot be opened');
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select throws_ok(
  format($$select chat_internal.append_turns(%L, 'c0000000-0000-4000-8000-000000000002', 1,
    '[{"role":"user","content":"intrusion","at":"2026-01-01T00:00:02Z"}]')$$, (select id from ids where name = 'owner')),
  'CH404', null, 'another user cannot append to the owner''s session');
select throws_ok(
  format($$select chat_internal.complete_session(%L, 'c0000000-0000-4000-8000-000000000002', 1,
    null, '{"title":"T","content":"C"}')$$, (select id from ids where name = 'owner')),
  'CH404', null, 'another user cannot complete the owner''s session');
select tests.authenticate_as('33333333-3333-4333-8333-333333333333');
select throws_ok(
  $$select * from chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    gen_random_uuid())$$,
  'CH401', null, 'a token of a user who does not exist opens nothing');

-- completion: a foreign document id is refused and nothing changes
select tests.clear_authentication();
insert into public.chat_sessions (id, user_id, template_id, is_complete, completed_at) values
  ('52222222-2222-4222-8222-222222222222', '22222222-2222-4222-8222-222222222222',
   'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', true, now());
insert into public.generated_documents (id, session_id, user_id, template_id, title, content)
values ('d2222222-2222-4222-8222-222222222222', '52222222-2222-4222-8222-222222222222',
  '22222222-2222-4222-8222-222222222222', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Other', 'y');
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select throws_ok(
  format($$select chat_internal.complete_session(%L, 'c0000000-0000-4000-8000-000000000002', 1,
    '[{"role":"user","content":"Acme","questionId":"party","at":"2026-01-01T00:00:01Z"}]',
    null, 'd2222222-2222-4222-8222-222222222222')$$, (select id from ids where name = 'owner')),
  'CH403', null, 'completing with another user''s document is refused');
select results_eq(
  $$select is_complete, turn_count from public.chat_sessions
    where id = (select id from ids where name = 'owner')$$,
  $$values (false, 1)$$, 'a refused completion leaves the session open, its answer unstored');

select isnt(
  chat_internal.complete_session((select id from ids where name = 'owner'),
    'c0000000-0000-4000-8000-000000000002', 1,
    '[{"role":"user","content":"Acme","questionId":"party","at":"2026-01-01T00:00:01Z"}]',
    '{"title":"Agreement","content":"Party: Acme","format":"markdown"}'),
  null, 'the owning connection completes the session with a document');
select results_eq(
  $$select is_complete, turn_count, completed_at is not null from public.chat_sessions
    where id = (select id from ids where name = 'owner')$$,
  $$values (true, 2, true)$$, 'the session is complete with the last answer stored');
select results_eq(
  $$select title, content, user_id from public.generated_documents
    where session_id = (select id from ids where name = 'owner')$$,
  $$values ('Agreement'::text, 'Party: Acme'::text, '11111111-1111-4111-8111-111111111111'::uuid)$$,
  'the document is stored for the owner');
select throws_ok(
  format($$select chat_internal.append_turns(%L, 'c0000000-0000-4000-8000-000000000002', 2,
    '[{"role":"user","content":"after","at":"2026-01-01T00:00:02Z"}]')$$, (select id from ids where name = 'owner')),
  'CH410', null, 'a complete session takes no more turns');

-- restart abandons the open session and starts a new one
insert into ids select 'restarted', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000003');
select isnt((select id from ids where name = 'restarted'), (select id from ids where name = 'owner'),
  'after completion a new session starts');
select is(
  (select session_id from chat_internal.open_session(
    'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000004', true)) =
    (select id from ids where name = 'restarted'),
  false, 'restart starts a fresh session');
select isnt(
  (select abandoned_at from public.chat_sessions where id = (select id from ids where name = 'restarted')),
  null, 'the restarted session stays, marked abandoned');

-- Several open drafts per user and template are allowed (017-titles-and-drafts); the database
-- no longer refuses a second one.
select tests.clear_authentication();
select lives_ok(
  $$insert into public.chat_sessions (user_id, template_id) values
    ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')$$,
  'the database holds a second open session per user and template');

select * from finish();
rollback;
