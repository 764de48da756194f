-- The write functions check what they store, whoever calls them: each malformed or oversized
-- write is refused with its own SQLSTATE and message, and stores nothing; completion needs an
-- answer and a markdown document within the caps; restarts keep at most 5 abandoned sessions.
begin;
\ir _helpers.psql
select plan(51);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-00000000000a', 'checks-turns');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-00000000000b', 'checks-turn-cap');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-00000000000c', 'checks-byte-cap');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-00000000000d', 'checks-completion');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-00000000000e', 'checks-restarts');

-- Sessions of the owner, each owned by connection c1: one for the turn checks, one holding 499
-- turns, one holding 197 answers of 5,000 characters (just under 1,000,000 bytes), one with a
-- question and no answer for the completion checks.
insert into public.chat_sessions (id, user_id, template_id, connection_id, history, turn_count)
values
  ('81111111-1111-4111-8111-00000000000a', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-00000000000a', 'c0000000-0000-4000-8000-000000000001', '[]', 0),
  ('81111111-1111-4111-8111-00000000000b', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-00000000000b', 'c0000000-0000-4000-8000-000000000001',
   (select jsonb_agg(jsonb_build_object('role', 'assistant', 'content', 'Q?', 'questionId', 'q',
      'at', '2026-01-01T00:00:00Z')) from generate_series(1, 499)), 499),
  ('81111111-1111-4111-8111-00000000000c', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-00000000000c', 'c0000000-0000-4000-8000-000000000001',
   (select jsonb_agg(jsonb_build_object('role', 'user', 'content', repeat('y', 5000),
      'at', '2026-01-01T00:00:00Z')) from generate_series(1, 197)), 197),
  ('81111111-1111-4111-8111-00000000000d', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-00000000000d', 'c0000000-0000-4000-8000-000000000001',
   '[{"role":"assistant","content":"Who?","questionId":"party","at":"2026-01-01T00:00:00Z"}]', 1);

-- Calls as the owning connection, at the session's current turn count (read under RLS).
create function tests.append(p_session_id uuid, p_turns jsonb) returns integer
language sql
set search_path = ''
as $$
  select chat_internal.append_turns(s.id, s.connection_id, s.turn_count, p_turns)
  from public.chat_sessions s where s.id = p_session_id
$$;
create function tests.complete(
  p_session_id uuid, p_turns jsonb, p_document jsonb, p_document_id uuid default null
) returns uuid
language sql
set search_path = ''
as $$
  select chat_internal.complete_session(s.id, s.connection_id, s.turn_count, p_turns, p_document,
    p_document_id)
  from public.chat_sessions s where s.id = p_session_id
$$;
-- One well-formed answer, with a field replaced or added.
create function tests.answer(p_patch jsonb default '{}') returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_array(jsonb_strip_nulls(
    '{"role":"user","content":"Acme","questionId":"party","at":"2026-01-01T00:00:01.000Z"}'::jsonb
    || p_patch))
$$;
grant execute on all functions in schema tests to authenticated;

create temporary table before_checks on commit drop as
select id, history, turn_count from public.chat_sessions where user_id = '11111111-1111-4111-8111-111111111111';

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');

-- The call's turns
select throws_ok($$select tests.append('81111111-1111-4111-8111-00000000000a', '{}')$$,
  '22023', 'Turns must be a non-empty JSON array', 'turns that are not an array are refused');
select throws_ok($$select tests.append('81111111-1111-4111-8111-00000000000a', '[]')$$,
  '22023', 'Turns must be a non-empty JSON array', 'an empty append is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a',
    (select jsonb_agg(t) from generate_series(1, 5), jsonb_array_elements(tests.answer()) t))$$,
  'CH413', 'At most 4 turns can be stored in one call, not 5', 'five turns in one call are refused');
select throws_ok($$select tests.append('81111111-1111-4111-8111-00000000000a', '["Acme"]')$$,
  '22023', 'Turn 1: must be a JSON object', 'a turn that is not an object is refused');

-- Role and content
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a', tests.answer('{"role":"system"}'))$$,
  '22023', 'Turn 1: role must be "assistant" or "user"', 'an unknown role is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a', tests.answer('{"role":null}'))$$,
  '22023', 'Turn 1: role must be "assistant" or "user"', 'a turn without a role is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a', tests.answer('{"content":42}'))$$,
  '22023', 'Turn 1: content must be a string', 'a content that is not a string is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a', tests.answer('{"content":" \n "}'))$$,
  '22023', 'Turn 1: content must not be empty', 'a blank content is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a',
    tests.answer(jsonb_build_object('content', repeat('x', 5001))))$$,
  'CH413', 'Turn 1: an answer holds at most 5000 characters',
  'an answer over the protocol''s 5,000 characters is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a',
    tests.answer(jsonb_build_object('role', 'assistant', 'content', repeat('x', 4001))))$$,
  'CH413', 'Turn 1: a question holds at most 4000 characters',
  'a question over 4,000 characters is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a',
    tests.answer(jsonb_build_object('note', repeat('x', 40000))))$$,
  'CH413', 'Turn 1: takes more than 32768 bytes', 'a turn padded with another field is refused');

-- at
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a', tests.answer('{"at":null}'))$$,
  '22023', 'Turn 1: at must be an ISO 8601 timestamp with a time zone',
  'a turn without at is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a', tests.answer('{"at":"not a time"}'))$$,
  '22023', 'Turn 1: at must be an ISO 8601 timestamp with a time zone',
  'an at that is not a time is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a', tests.answer('{"at":"now"}'))$$,
  '22023', 'Turn 1: at must be an ISO 8601 timestamp with a time zone',
  'an at that Postgres would read as a special value is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a',
    tests.answer('{"at":"2026-02-30T00:00:00Z"}'))$$,
  '22023', 'Turn 1: at must be an ISO 8601 timestamp with a time zone',
  'an at on a day that does not exist is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a',
    tests.answer('{"at":"2026-01-01T00:00:00"}'))$$,
  '22023', 'Turn 1: at must be an ISO 8601 timestamp with a time zone',
  'an at without a time zone is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a', tests.answer('{"at":1767225600}'))$$,
  '22023', 'Turn 1: at must be an ISO 8601 timestamp with a time zone',
  'an at that is a number is refused');

-- Ids and source
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a', tests.answer('{"questionId":""}'))$$,
  '22023', 'Turn 1: questionId must be a string of 1 to 128 characters',
  'an empty questionId is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a',
    tests.answer(jsonb_build_object('questionId', repeat('q', 129))))$$,
  '22023', 'Turn 1: questionId must be a string of 1 to 128 characters',
  'a questionId over 128 characters is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a', tests.answer('{"questionId":7}'))$$,
  '22023', 'Turn 1: questionId must be a string of 1 to 128 characters',
  'a questionId that is not a string is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a',
    tests.answer('{"clientMessageId":""}'))$$,
  '22023', 'Turn 1: clientMessageId must be a string of 1 to 128 characters',
  'an empty clientMessageId is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a', tests.answer('{"source":"human"}'))$$,
  '22023', 'Turn 1: source must be "ai" or "builtin"', 'an unknown source is refused');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000a',
    tests.answer() || tests.answer('{"at":"yesterday"}'))$$,
  '22023', 'Turn 2: at must be an ISO 8601 timestamp with a time zone',
  'the refusal names the turn at fault');

-- What the protocol allows is stored
select is(
  tests.append('81111111-1111-4111-8111-00000000000a',
    tests.answer(jsonb_build_object('content', repeat('x', 5000), 'clientMessageId', 'a1'))
    || jsonb_build_array(jsonb_build_object('role', 'assistant', 'content', repeat('q', 4000),
      'questionId', repeat('i', 128), 'at', '2026-01-01T00:00:02+02:00', 'source', 'builtin'))),
  2, 'an answer of 5,000 and a question of 4,000 characters, with ids of 128, are stored');

-- The session's history
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000b', tests.answer() || tests.answer())$$,
  'CH413', 'Session "81111111-1111-4111-8111-00000000000b" would hold 501 turns; at most 500 fit',
  'a history of more than 500 turns is refused');
select is(tests.append('81111111-1111-4111-8111-00000000000b', tests.answer()), 500,
  'the 500th turn is stored');
select throws_ok(
  $$select tests.append('81111111-1111-4111-8111-00000000000c',
    tests.answer(jsonb_build_object('content', repeat('x', 5000))))$$,
  'CH413',
  format('Session "81111111-1111-4111-8111-00000000000c" would hold %s bytes of history; '
    'at most 1000000 fit',
    (select octet_length((history || tests.answer(jsonb_build_object('content', repeat('x', 5000))))::text)
     from public.chat_sessions where id = '81111111-1111-4111-8111-00000000000c')),
  'a history of more than 1,000,000 bytes is refused');

-- Completion
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', null,
    '{"title":"T","content":"C"}')$$,
  'CH422', 'Session "81111111-1111-4111-8111-00000000000d" has no answer, so it cannot be completed',
  'a session without any answer cannot be completed');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(), null)$$,
  '22023', 'Give either a document or a document id', 'a completion needs a document');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(), '"Agreement"')$$,
  '22023', 'A document needs a title and a content string', 'a document that is not an object');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(), '{"title":"T"}')$$,
  '22023', 'A document needs a title and a content string', 'a document without content');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(),
    '{"title":" ","content":"C"}')$$,
  '22023', 'A document needs a title and a content that are not empty', 'a blank title');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(),
    '{"title":"T","content":""}')$$,
  '22023', 'A document needs a title and a content that are not empty', 'an empty content');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(),
    jsonb_build_object('title', repeat('t', 501), 'content', 'C'))$$,
  'CH414', 'A document title holds at most 500 characters, not 501',
  'a title over 500 characters');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(),
    jsonb_build_object('title', 'T', 'content', repeat('c', 1000001)))$$,
  'CH414', 'A document holds at most 200000 characters, not 1000001',
  'a document over the maximum (014-document-maximum has the edge)');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(),
    '{"title":"T","content":"<p>C</p>","format":"html"}')$$,
  'CH415', 'A document must be markdown', 'an HTML document is refused');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(),
    '{"title":"T","content":"C","format":"text"}')$$,
  'CH415', 'A document must be markdown', 'a plain text document is refused');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(),
    '{"title":"T","content":"C","format":null}')$$,
  'CH415', 'A document must be markdown', 'a document whose format is null is refused');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer('{"role":"bot"}'),
    '{"title":"T","content":"C"}')$$,
  '22023', 'Turn 1: role must be "assistant" or "user"', 'a completion''s turns are checked too');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', '{"role":"user"}',
    '{"title":"T","content":"C"}')$$,
  '22023', 'Turns must be a non-empty JSON array', 'a completion''s turns must be an array');

-- A document stored by someone else (the AI service, with the service role) meets the same bar.
select tests.clear_authentication();
insert into public.generated_documents (id, user_id, template_id, title, content, format) values
  ('d0000000-0000-4000-8000-0000000000a1', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-00000000000d', 'Html', '<p>C</p>', 'html'),
  ('d0000000-0000-4000-8000-0000000000a2', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-00000000000d', 'Huge', repeat('c', 1000001), 'markdown');
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(), null,
    'd0000000-0000-4000-8000-0000000000a1')$$,
  'CH415', 'A document must be markdown', 'completing with a stored HTML document is refused');
select throws_ok(
  $$select tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(), null,
    'd0000000-0000-4000-8000-0000000000a2')$$,
  'CH414', 'A document holds at most 200000 characters, not 1000001',
  'completing with a stored document over the maximum is refused');

-- Nothing refused was stored
select tests.clear_authentication();
select set_eq(
  $$select id, history, turn_count from public.chat_sessions
    where user_id = '11111111-1111-4111-8111-111111111111'
      and id <> all (array['81111111-1111-4111-8111-00000000000a',
        '81111111-1111-4111-8111-00000000000b']::uuid[])$$,
  $$select id, history, turn_count from before_checks
    where id <> all (array['81111111-1111-4111-8111-00000000000a',
      '81111111-1111-4111-8111-00000000000b']::uuid[])$$,
  'the refused writes stored nothing');
select is(
  (select turn_count from public.chat_sessions where id = '81111111-1111-4111-8111-00000000000a'), 2,
  'the turns session holds only the two accepted turns');
select is(
  (select count(*)::int from public.generated_documents
   where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-00000000000d' and session_id is not null), 0,
  'no refused completion linked or stored a document');
select is(
  (select count(*)::int from public.chat_sessions
   where id = '81111111-1111-4111-8111-00000000000d' and not is_complete), 1,
  'the session refused completion is still open');

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select isnt(
  tests.complete('81111111-1111-4111-8111-00000000000d', tests.answer(),
    '{"title":"Agreement","content":"Party: Acme","format":"markdown"}'),
  null, 'an answered session completes with a markdown document');
select isnt(
  tests.complete('81111111-1111-4111-8111-00000000000b', null, '{"title":"T","content":"C"}'),
  null, 'a document without a format is stored as markdown');
select tests.clear_authentication();
select set_eq(
  $$select format from public.generated_documents
    where session_id in ('81111111-1111-4111-8111-00000000000b',
      '81111111-1111-4111-8111-00000000000d')$$,
  array['markdown'], 'completed documents are markdown');

-- Restarts: the newest 5 abandoned sessions of a user on a template stay, older ones go, and
-- an abandoned session that holds a document is never deleted.
insert into public.chat_sessions (id, user_id, template_id, abandoned_at)
select ('82222222-2222-4222-8222-' || lpad(n::text, 12, '0'))::uuid,
  '11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-00000000000e',
  now() - n * interval '1 day'
from generate_series(1, 6) n;
insert into public.chat_sessions (id, user_id, template_id, abandoned_at) values
  ('82222222-2222-4222-8222-000000000010', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-00000000000e', now() - interval '10 days');
insert into public.generated_documents (user_id, template_id, session_id, title, content) values
  ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-00000000000e',
   '82222222-2222-4222-8222-000000000010', 'Kept', 'x');
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
create temporary table opened on commit drop as
select session_id from chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-00000000000e',
  'c0000000-0000-4000-8000-000000000002');
insert into opened select session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-00000000000e', 'c0000000-0000-4000-8000-000000000003', true);
select tests.clear_authentication();
select set_eq(
  $$select id from public.chat_sessions
    where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-00000000000e' and abandoned_at is not null$$,
  $$select (select session_id from opened limit 1)
    union all select ('82222222-2222-4222-8222-' || lpad(n::text, 12, '0'))::uuid
      from generate_series(1, 4) n
    union all select '82222222-2222-4222-8222-000000000010'::uuid$$,
  'a restart keeps the newest 5 abandoned sessions and the one with a document');
select is(
  (select count(*)::int from public.chat_sessions
   where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-00000000000e' and abandoned_at is null), 1,
  'and opens one fresh session');

select * from finish();
rollback;
