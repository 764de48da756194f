-- The chat stores a draft's title in the call that stores an answer; the title is checked as every
-- title is, and the fence still decides whether anything is written.
begin;
\ir _helpers.psql
select plan(7);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'titled');
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');

create temporary table ids (name text primary key, id uuid) on commit drop;
grant all on ids to authenticated;
insert into ids select 'draft', session_id from chat_internal.claim_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001');

select is(
  chat_internal.append_turns((select id from ids where name = 'draft'),
    'c0000000-0000-4000-8000-000000000001', 0,
    '[{"role":"assistant","content":"Who is the first party?","questionId":"a","at":"2026-12-07T10:00:00Z"},
      {"role":"user","content":"Acme Ltd","questionId":"a","at":"2026-12-07T10:00:01Z"}]',
    'NDA: Acme Ltd'),
  2, 'the answer is stored');
select is((select title from public.chat_sessions where id = (select id from ids where name = 'draft')),
  'NDA: Acme Ltd', 'and the title with it, in the same call');

select is(
  chat_internal.append_turns((select id from ids where name = 'draft'),
    'c0000000-0000-4000-8000-000000000001', 2,
    '[{"role":"assistant","content":"And the second?","questionId":"b","at":"2026-12-07T10:00:02Z"}]'),
  3, 'the call without a title still stores turns');
select is((select title from public.chat_sessions where id = (select id from ids where name = 'draft')),
  'NDA: Acme Ltd', 'and leaves the title as it was');

select throws_ok(
  $$select chat_internal.append_turns((select id from ids where name = 'draft'),
    'c0000000-0000-4000-8000-000000000002', 3,
    '[{"role":"user","content":"Beta GmbH","questionId":"b","at":"2026-12-07T10:00:03Z"}]',
    'NDA: Acme Ltd and Beta GmbH')$$,
  'CH409', null, 'another connection can set neither the answer nor the title');
select throws_ok(
  $$select chat_internal.append_turns((select id from ids where name = 'draft'),
    'c0000000-0000-4000-8000-000000000001', 3,
    '[{"role":"user","content":"Beta GmbH","questionId":"b","at":"2026-12-07T10:00:03Z"}]',
    E'NDA:\nAcme')$$,
  '22023', 'A title is one line: remove its line breaks and tabs',
  'a title over two lines is refused, and the answer with it');
select is((select turn_count from public.chat_sessions where id = (select id from ids where name = 'draft')),
  3, 'a refused title stores no turn');

select * from finish();
rollback;
