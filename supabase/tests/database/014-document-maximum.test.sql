-- The one maximum for a stored document: 200,000 characters of content (code points, so CJK and
-- emoji count one each), refused past it with CH414 and a sentence giving both numbers, by every
-- function that stores a document or a review preview. Refusals store nothing. The number equals
-- LIMITS.maxDocumentChars in _shared/wire/constants.ts (document_size_test.ts reads this file's
-- migration).
begin;
\ir _helpers.psql
select plan(12);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-0000000000e1', 'maximum-complete');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-0000000000e2', 'maximum-cjk');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-0000000000e3', 'maximum-review');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-0000000000e4', 'maximum-stored');

-- One answered session per template, owned by connection c1.
insert into public.chat_sessions (id, user_id, template_id, connection_id, history, turn_count)
select ('81111111-1111-4111-8111-0000000000e' || n)::uuid, '11111111-1111-4111-8111-111111111111',
  ('aaaaaaaa-aaaa-4aaa-8aaa-0000000000e' || n)::uuid, 'c0000000-0000-4000-8000-000000000001',
  '[{"role":"assistant","content":"Who?","questionId":"party","at":"2026-01-01T00:00:00Z"},
    {"role":"user","content":"Acme","questionId":"party","at":"2026-01-01T00:00:01Z"}]', 2
from generate_series(1, 4) n;

-- A document stored before the limit (as the AI service could, with the service role).
insert into public.generated_documents (id, user_id, template_id, title, content, format) values
  ('d0000000-0000-4000-8000-0000000000e1', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-0000000000e4', 'Over', repeat('c', 200001), 'markdown'),
  ('d0000000-0000-4000-8000-0000000000e2', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-0000000000e4', 'At', repeat('c', 200000), 'markdown');

create function tests.complete_with(p_n integer, p_document jsonb, p_document_id uuid default null)
returns uuid
language sql
set search_path = ''
as $$
  select chat_internal.complete_session(s.id, s.connection_id, s.turn_count, null, p_document,
    p_document_id)
  from public.chat_sessions s where s.id = ('81111111-1111-4111-8111-0000000000e' || p_n)::uuid
$$;
create function tests.review_with(p_document jsonb) returns void
language sql
set search_path = ''
as $$
  select chat_internal.store_review(s.id, s.connection_id, s.turn_count, p_document)
  from public.chat_sessions s where s.id = '81111111-1111-4111-8111-0000000000e3'
$$;
grant execute on all functions in schema tests to authenticated;

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');

-- complete_session with a document
select throws_ok(
  $$select tests.complete_with(1, jsonb_build_object('title', 'T', 'content', repeat('c', 200001)))$$,
  'CH414', 'A document holds at most 200000 characters, not 200001',
  'a document one character over the maximum is refused');
select throws_ok(
  $$select tests.complete_with(1,
    jsonb_build_object('title', 'T', 'content', repeat(U&'\+01F642', 200001)))$$,
  'CH414', 'A document holds at most 200000 characters, not 200001',
  'the maximum counts characters: 200,001 emoji are refused');
select isnt(
  tests.complete_with(1, jsonb_build_object('title', repeat('t', 500), 'content', repeat('c', 200000))),
  null, 'a document of exactly the maximum, with a title of exactly 500, is stored');
select isnt(
  tests.complete_with(2, jsonb_build_object('title', 'CJK', 'content', repeat('保', 200000))),
  null, '200,000 CJK characters (600,000 bytes) are stored');

-- store_review, and the confirm that stores the preview
select throws_ok(
  $$select tests.review_with(jsonb_build_object('title', 'T', 'content', repeat('c', 200001)))$$,
  'CH414', 'A document holds at most 200000 characters, not 200001',
  'a preview one character over the maximum is refused');
select throws_ok(
  $$select tests.review_with(jsonb_build_object('title', repeat('t', 501), 'content', 'C'))$$,
  'CH414', 'A document title holds at most 500 characters, not 501',
  'a preview whose title is over 500 characters is refused');
select is(
  (select review from public.chat_sessions where id = '81111111-1111-4111-8111-0000000000e3'),
  null, 'the refused previews stored nothing');
select lives_ok(
  $$select tests.review_with(jsonb_build_object('title', 'T', 'content', repeat('c', 200000)))$$,
  'a preview of exactly the maximum is stored');
select isnt(
  chat_internal.confirm_review('81111111-1111-4111-8111-0000000000e3',
    'c0000000-0000-4000-8000-000000000001', 2),
  null, 'and confirmed, it becomes the generated document');

-- complete_session with a document stored by someone else
select throws_ok(
  $$select tests.complete_with(4, null, 'd0000000-0000-4000-8000-0000000000e1')$$,
  'CH414', 'A document holds at most 200000 characters, not 200001',
  'completing with a stored document one character over the maximum is refused');
select isnt(
  tests.complete_with(4, null, 'd0000000-0000-4000-8000-0000000000e2'),
  null, 'completing with a stored document of exactly the maximum is accepted');

select tests.clear_authentication();
select results_eq(
  $$select template_id::text, length(content) from public.generated_documents
    where user_id = '11111111-1111-4111-8111-111111111111' and session_id is not null
    order by template_id$$,
  $$values ('aaaaaaaa-aaaa-4aaa-8aaa-0000000000e1', 200000),
    ('aaaaaaaa-aaaa-4aaa-8aaa-0000000000e2', 200000),
    ('aaaaaaaa-aaaa-4aaa-8aaa-0000000000e3', 200000),
    ('aaaaaaaa-aaaa-4aaa-8aaa-0000000000e4', 200000)$$,
  'each session holds the one document it was completed with, at the maximum');

select * from finish();
rollback;
