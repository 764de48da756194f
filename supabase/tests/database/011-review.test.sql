-- The v2 review: the preview is stored with the session, fenced like every write; it stands only
-- while the history is unchanged; confirm stores exactly the previewed document; only its owner
-- can read it back.
begin;
\ir _helpers.psql
select plan(14);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_user('22222222-2222-4222-8222-222222222222', 'other_user@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'review-active');

create temporary table ids (name text primary key, id uuid) on commit drop;
grant all on ids to authenticated;

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
insert into ids select 'session', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001');
select chat_internal.append_turns((select id from ids where name = 'session'),
  'c0000000-0000-4000-8000-000000000001', 0,
  '[{"role":"assistant","content":"Who?","questionId":"party","at":"2026-01-01T00:00:00Z"}]');

select throws_ok(
  format($$select chat_internal.store_review(%L, 'c0000000-0000-4000-8000-000000000001', 1,
    '{"title":"NDA","content":"# NDA","format":"markdown"}')$$,
    (select id from ids where name = 'session')),
  'CH422', null, 'a session without an answer has nothing to review');

select chat_internal.append_turns((select id from ids where name = 'session'),
  'c0000000-0000-4000-8000-000000000001', 1,
  '[{"role":"user","content":"Acme","questionId":"party","at":"2026-01-01T00:00:01Z"}]');

select throws_ok(
  format($$select chat_internal.confirm_review(%L, 'c0000000-0000-4000-8000-000000000001', 2)$$,
    (select id from ids where name = 'session')),
  'CH428', null, 'confirm outside review is refused as not in review');
select throws_ok(
  format($$select chat_internal.store_review(%L, 'c0000000-0000-4000-8000-000000000001', 2,
    '{"title":"NDA","content":"<p>x</p>","format":"html"}')$$,
    (select id from ids where name = 'session')),
  'CH415', null, 'a preview that is not markdown is refused');
select throws_ok(
  format($$select chat_internal.store_review(%L, 'c0000000-0000-4000-8000-000000000001', 1,
    '{"title":"NDA","content":"# NDA","format":"markdown"}')$$,
    (select id from ids where name = 'session')),
  'CH412', null, 'a preview made on an old history is refused');

select lives_ok(
  format($$select chat_internal.store_review(%L, 'c0000000-0000-4000-8000-000000000001', 2,
    '{"title":"NDA","content":"# NDA\n\nAcme  \u00e9 **x**","format":"markdown"}')$$,
    (select id from ids where name = 'session')),
  'the owning connection stores the preview');
select is(
  (select document from chat_internal.load_review((select id from ids where name = 'session'))),
  '{"title":"NDA","content":"# NDA\n\nAcme  \u00e9 **x**","format":"markdown"}'::jsonb,
  'the owner reads the preview back');

select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select is(
  (select count(*)::int from chat_internal.load_review((select id from ids where name = 'session'))),
  0, 'another user reads no review');
select throws_ok(
  format($$select chat_internal.confirm_review(%L, 'c0000000-0000-4000-8000-000000000001', 2)$$,
    (select id from ids where name = 'session')),
  'CH404', null, 'another user cannot confirm it');

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
-- an edit changes the history: the preview no longer stands
select chat_internal.append_turns((select id from ids where name = 'session'),
  'c0000000-0000-4000-8000-000000000001', 2,
  '[{"role":"user","content":"Acme Corp","questionId":"party","at":"2026-01-01T00:00:02Z","edit":true}]');
select is(
  (select count(*)::int from chat_internal.load_review((select id from ids where name = 'session'))),
  0, 'after an edit the old preview is no review');
select throws_ok(
  format($$select chat_internal.confirm_review(%L, 'c0000000-0000-4000-8000-000000000001', 3)$$,
    (select id from ids where name = 'session')),
  'CH428', null, 'the old preview cannot be confirmed');
select chat_internal.store_review((select id from ids where name = 'session'),
  'c0000000-0000-4000-8000-000000000001', 3,
  '{"title":"NDA v2","content":"# NDA v2\n\nAcme Corp","format":"markdown"}');

-- a newer connection takes the session over: the old one cannot confirm
select session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000002');
select throws_ok(
  format($$select chat_internal.confirm_review(%L, 'c0000000-0000-4000-8000-000000000001', 3)$$,
    (select id from ids where name = 'session')),
  'CH409', null, 'a superseded connection cannot confirm');

insert into ids select 'document', chat_internal.confirm_review(
  (select id from ids where name = 'session'), 'c0000000-0000-4000-8000-000000000002', 3);
select is(
  (select content from public.generated_documents where id = (select id from ids where name = 'document')),
  E'# NDA v2\n\nAcme Corp', 'confirm stores exactly the previewed content');
select is(
  (select is_complete from public.chat_sessions where id = (select id from ids where name = 'session')),
  true, 'and completes the session');
select throws_ok(
  format($$select chat_internal.confirm_review(%L, 'c0000000-0000-4000-8000-000000000002', 3)$$,
    (select id from ids where name = 'session')),
  'CH410', null, 'a second confirm finds the session closed');

select * from finish();
rollback;
