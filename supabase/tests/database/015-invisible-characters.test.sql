-- What a document shows is what was stored: an answer, a document or its title holding a bidi
-- control (U+202E), a zero-width character (U+200B) or a C0 control (U+0001) is refused with
-- CH416, naming the character and its position, whoever calls; nothing is stored. Letters with
-- the joiners scripts need (Persian ZWNJ, emoji ZWJ) are stored as sent.
begin;
\ir _helpers.psql
select plan(14);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-00000000000a', 'visible-answers');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-00000000000b', 'visible-documents');

insert into public.chat_sessions (id, user_id, template_id, connection_id, history, turn_count)
values
  ('81111111-1111-4111-8111-00000000000a', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-00000000000a', 'c0000000-0000-4000-8000-000000000001', '[]', 0),
  ('81111111-1111-4111-8111-00000000000b', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-00000000000b', 'c0000000-0000-4000-8000-000000000001',
   '[{"role":"user","content":"Acme","questionId":"party","at":"2026-01-01T00:00:00Z"}]', 1);
insert into public.generated_documents (id, user_id, template_id, title, content, format)
values ('d1111111-1111-4111-8111-000000000001', '11111111-1111-4111-8111-111111111111',
  'aaaaaaaa-aaaa-4aaa-8aaa-00000000000b', 'NDA', E'# NDA\n\nBetween Acme\u202Eand Globex.\n',
  'markdown');

create function tests.append(p_session_id uuid, p_content text, p_role text default 'user')
returns integer
language sql
set search_path = ''
as $$
  select chat_internal.append_turns(s.id, s.connection_id, s.turn_count, jsonb_build_array(
    jsonb_build_object('role', p_role, 'content', p_content, 'questionId', 'party',
      'at', '2026-01-01T00:00:01.000Z')))
  from public.chat_sessions s where s.id = p_session_id
$$;
create function tests.complete(p_title text, p_content text, p_document_id uuid default null)
returns uuid
language sql
set search_path = ''
as $$
  select chat_internal.complete_session(s.id, s.connection_id, s.turn_count, '[]'::jsonb,
    case when p_document_id is null
      then jsonb_build_object('title', p_title, 'content', p_content) end, p_document_id)
  from public.chat_sessions s where s.id = '81111111-1111-4111-8111-00000000000b'
$$;
create function tests.review(p_title text, p_content text) returns void
language sql
set search_path = ''
as $$
  select chat_internal.store_review(s.id, s.connection_id, s.turn_count,
    jsonb_build_object('title', p_title, 'content', p_content))
  from public.chat_sessions s where s.id = '81111111-1111-4111-8111-00000000000b'
$$;
grant execute on all functions in schema tests to authenticated;

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');

-- Answers (user turns)
select throws_ok($$select tests.append('81111111-1111-4111-8111-00000000000a', E'Acme\u202E')$$,
  'CH416',
  'Turn 1: the answer holds an invisible or control character (U+202E, position 5): remove it',
  'an answer holding a right-to-left override is refused');
select throws_ok($$select tests.append('81111111-1111-4111-8111-00000000000a', E'Ac\u200Bme')$$,
  'CH416',
  'Turn 1: the answer holds an invisible or control character (U+200B, position 3): remove it',
  'an answer holding a zero-width space is refused');
select throws_ok($$select tests.append('81111111-1111-4111-8111-00000000000a', E'\x01Acme')$$,
  'CH416',
  'Turn 1: the answer holds an invisible or control character (U+0001, position 1): remove it',
  'an answer holding a C0 control is refused');
select throws_ok($$select tests.append('81111111-1111-4111-8111-00000000000a', E'Acme\u200D')$$,
  'CH416',
  'Turn 1: the answer holds an invisible or control character (U+200D, position 5): remove it',
  'an answer ending in a joiner that joins nothing is refused');
select is(
  (select turn_count from public.chat_sessions where id = '81111111-1111-4111-8111-00000000000a'),
  0, 'and none of them is stored');
select is(
  tests.append('81111111-1111-4111-8111-00000000000a',
    E'پیمان\u200Cنامه \U0001F468\u200D\U0001F469 line\ttab\r\nnext'),
  1, 'an answer with the joiners scripts need, a tab and a line ending is stored');
select is(
  tests.append('81111111-1111-4111-8111-00000000000a', E'Who\u200B?', 'assistant'),
  2, 'a question from the AI service is not an answer: the rule is on answers and documents');

-- Documents and titles: the completion, the review, a document stored by someone else
select throws_ok($$select tests.complete(E'NDA\u202E', E'# NDA\n')$$, 'CH416',
  'The document title holds an invisible or control character (U+202E, position 4): remove it',
  'a completion whose title holds a bidi control is refused');
select throws_ok($$select tests.complete('NDA', E'# NDA\n\nAcme\u200BCorp\n')$$, 'CH416',
  'The document holds an invisible or control character (U+200B, position 12): remove it',
  'a completion whose document holds a zero-width space is refused');
select throws_ok($$select tests.complete('NDA', E'# NDA\n\n\x01\n')$$, 'CH416',
  'The document holds an invisible or control character (U+0001, position 8): remove it',
  'a completion whose document holds a C0 control is refused');
select throws_ok($$select tests.review('NDA', E'# NDA\n\nAcme\u202ECorp\n')$$, 'CH416',
  'The document holds an invisible or control character (U+202E, position 12): remove it',
  'a review whose document holds a bidi control is refused');
select throws_ok(
  $$select tests.complete(null, null, 'd1111111-1111-4111-8111-000000000001')$$, 'CH416',
  'The document holds an invisible or control character (U+202E, position 20): remove it',
  'a document someone else stored meets the same bar');
select ok(
  (select not is_complete and review is null from public.chat_sessions
   where id = '81111111-1111-4111-8111-00000000000b')
  and (select session_id is null from public.generated_documents
   where id = 'd1111111-1111-4111-8111-000000000001'),
  'and nothing of them is stored');
select isnt(tests.complete('NDA', E'# NDA\n\nپیمان\u200Cنامه\n'), null,
  'a document with a joiner between letters is stored');

select * from finish();
rollback;
