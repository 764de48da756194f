-- Titles and drafts: several open drafts per user and template, the newest resumed when none is
-- named; a draft's title stored with an answer by its connection; a user renames and deletes their own
-- documents and discards their own drafts, and cannot do either to another user's.
begin;
\ir _helpers.psql
select plan(40);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_user('22222222-2222-4222-8222-222222222222', 'other_user@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'titles-a');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'titles-b');

create temporary table ids (name text primary key, id uuid) on commit drop;
grant all on ids to authenticated, anon;
create temporary view sent as
  select event, payload from realtime.messages
  where topic = 'user:11111111-1111-4111-8111-111111111111';

-- Several drafts of one template.
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
insert into ids select 'first', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001');
insert into ids select 'second', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000002', p_new => true);
select isnt((select id from ids where name = 'second'), (select id from ids where name = 'first'),
  'a new draft is a second session, not the open one');
select is(
  (select count(*)::int from public.chat_sessions
   where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' and not is_complete
     and abandoned_at is null),
  2, 'the owner holds two open drafts of one template');
select throws_ok(
  $$select * from chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    gen_random_uuid(), p_restart => true, p_new => true)$$,
  '22023', 'A new draft cannot also restart or resume one',
  'a new draft cannot be a restart as well');

-- The seed's rule: without a named draft, connecting resumes the newest open one. Timestamps
-- within one transaction are equal, so these drafts are written with their own.
select tests.clear_authentication();
insert into public.chat_sessions (id, user_id, template_id, created_at, updated_at) values
  ('d0000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', now() - interval '3 hours', now() - interval '2 hours'),
  ('d0000000-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', now() - interval '4 hours', now() - interval '1 hour'),
  ('d0000000-0000-4000-8000-000000000003', '22222222-2222-4222-8222-222222222222',
   'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', now(), now());
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select results_eq(
  $$select session_id, created from chat_internal.open_session(
    'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'c0000000-0000-4000-8000-000000000003')$$,
  $$values ('d0000000-0000-4000-8000-000000000002'::uuid, false)$$,
  'connecting with a template and no draft named resumes the open draft touched last');
select results_eq(
  $$select session_id, created from chat_internal.open_session(
    'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'c0000000-0000-4000-8000-000000000004',
    p_session_id => 'd0000000-0000-4000-8000-000000000001')$$,
  $$values ('d0000000-0000-4000-8000-000000000001'::uuid, false)$$,
  'connecting with a draft named resumes that draft');
select throws_ok(
  $$select * from chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb',
    gen_random_uuid(), p_session_id => 'd0000000-0000-4000-8000-000000000003')$$,
  'CH404', null, 'the owner cannot resume another user''s draft: it is not found');
select throws_ok(
  $$select * from chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    gen_random_uuid(), p_session_id => 'd0000000-0000-4000-8000-000000000002')$$,
  'CH404', null, 'a draft named on another template is not found');
insert into ids select 'restarted', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'c0000000-0000-4000-8000-000000000005',
  p_restart => true, p_session_id => 'd0000000-0000-4000-8000-000000000001');
select tests.clear_authentication();
select results_eq(
  $$select id, abandoned_at is not null from public.chat_sessions
    where id in ('d0000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000002')
    order by id$$,
  $$values ('d0000000-0000-4000-8000-000000000001'::uuid, true),
    ('d0000000-0000-4000-8000-000000000002'::uuid, false)$$,
  'restarting a named draft abandons that draft and leaves the other open');
select isnt((select id from ids where name = 'restarted'),
  'd0000000-0000-4000-8000-000000000001'::uuid, 'the restart opens a fresh draft');

-- A draft's title, stored with an answer by the connection that owns it (append_turns' title).
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select is(
  chat_internal.append_turns((select id from ids where name = 'first'),
    'c0000000-0000-4000-8000-000000000001', 0,
    '[{"role":"assistant","content":"Who is the first party?","questionId":"a","at":"2026-01-01T00:00:00Z"}]',
    '  NDA: Acme Ltd and Beta GmbH '),
  1, 'the owning connection stores a turn and the draft''s title with it');
select is((select title from public.chat_sessions where id = (select id from ids where name = 'first')),
  'NDA: Acme Ltd and Beta GmbH', 'the session carries its title, trimmed');
select throws_ok(
  format($$select chat_internal.append_turns(%L, 'c0000000-0000-4000-8000-000000000009', 1,
    '[{"role":"user","content":"Acme","questionId":"a","at":"2026-01-01T00:00:01Z"}]',
    'Forged')$$, (select id from ids where name = 'first')),
  'CH409', null, 'a connection that does not own the draft cannot set its title');
select throws_ok(
  format($$select chat_internal.append_turns(%L, 'c0000000-0000-4000-8000-000000000001', 1,
    '[{"role":"user","content":"Acme","questionId":"a","at":"2026-01-01T00:00:01Z"}]',
    '   ')$$, (select id from ids where name = 'first')),
  '22023', 'A title cannot be empty', 'an empty title is refused');
select throws_ok(
  format($$select chat_internal.append_turns(%L, 'c0000000-0000-4000-8000-000000000001', 1,
    '[{"role":"user","content":"Acme","questionId":"a","at":"2026-01-01T00:00:01Z"}]',
    E'NDA\nsecond line')$$, (select id from ids where name = 'first')),
  '22023', 'A title is one line: remove its line breaks and tabs', 'a multi-line title is refused');
select throws_ok(
  format($$select chat_internal.append_turns(%L, 'c0000000-0000-4000-8000-000000000001', 1,
    '[{"role":"user","content":"Acme","questionId":"a","at":"2026-01-01T00:00:01Z"}]',
    repeat('x', 501))$$, (select id from ids where name = 'first')),
  'CH414', 'A title holds at most 500 characters, not 501', 'a title over 500 characters is refused');
select throws_ok(
  format($$select chat_internal.append_turns(%L, 'c0000000-0000-4000-8000-000000000001', 1,
    '[{"role":"user","content":"Acme","questionId":"a","at":"2026-01-01T00:00:01Z"}]',
    E'invoice\u202Efdp')$$, (select id from ids where name = 'first')),
  'CH416', 'The title holds an invisible or control character (U+202E, position 8): remove it',
  'a title holding a bidi control is refused');
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select throws_ok(
  format($$select chat_internal.append_turns(%L, 'c0000000-0000-4000-8000-000000000001', 1,
    '[{"role":"user","content":"Acme","questionId":"a","at":"2026-01-01T00:00:01Z"}]',
    'Forged')$$, (select id from ids where name = 'first')),
  'CH404', null, 'another user cannot set the owner''s draft title');

-- A finished interview and its document.
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
insert into ids select 'document', chat_internal.complete_session(
  (select id from ids where name = 'first'), 'c0000000-0000-4000-8000-000000000001', 1,
  '[{"role":"user","content":"Acme","questionId":"a","at":"2026-01-01T00:00:01Z"}]',
  '{"title":"NDA: Acme Ltd and Beta GmbH","content":"# NDA\n"}');
select is(
  chat_internal.rename_document((select id from ids where name = 'document'), ' NDA with Beta '),
  'NDA with Beta', 'the owner renames their document; the title is stored trimmed');
select is((select title from public.generated_documents
   where id = (select id from ids where name = 'document')),
  'NDA with Beta', 'the document carries its new title');
select throws_ok(
  format($$select chat_internal.rename_document(%L, '')$$, (select id from ids where name = 'document')),
  '22023', 'A title cannot be empty', 'a document cannot be renamed to nothing');
select throws_ok(
  format($$update public.generated_documents set title = 'Direct' where id = %L$$,
    (select id from ids where name = 'document')),
  '42501', 'permission denied for table generated_documents',
  'the owner cannot rename through the Data API, only through the checked function');
select throws_ok(
  format($$delete from public.generated_documents where id = %L$$,
    (select id from ids where name = 'document')),
  '42501', 'permission denied for table generated_documents',
  'the owner cannot delete through the Data API, only through the function');
select throws_ok(
  format($$select chat_internal.discard_session(%L)$$, (select id from ids where name = 'first')),
  'CH410', format('Interview "%s" is finished: delete its document instead',
    (select id from ids where name = 'first')),
  'a finished interview cannot be discarded as a draft');

select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select throws_ok(
  format($$select chat_internal.rename_document(%L, 'Mine now')$$,
    (select id from ids where name = 'document')),
  'CH404', format('Document "%s" not found', (select id from ids where name = 'document')),
  'another user cannot rename the owner''s document: it is not found');
select throws_ok(
  format($$select chat_internal.delete_document(%L)$$, (select id from ids where name = 'document')),
  'CH404', format('Document "%s" not found', (select id from ids where name = 'document')),
  'another user cannot delete the owner''s document: it is not found');
select throws_ok(
  format($$select chat_internal.discard_session(%L)$$, (select id from ids where name = 'second')),
  'CH404', format('Draft "%s" not found', (select id from ids where name = 'second')),
  'another user cannot discard the owner''s draft: it is not found');
select tests.clear_authentication();
select is((select title from public.generated_documents
   where id = (select id from ids where name = 'document')),
  'NDA with Beta', 'the refused rename changed nothing');
select is(
  (select count(*)::int from public.chat_sessions where id = (select id from ids where name = 'second')),
  1, 'the refused discard changed nothing');

select tests.authenticate_as_anon();
select throws_ok(
  format($$select chat_internal.rename_document(%L, 'Anon')$$,
    (select id from ids where name = 'document')),
  '42501', 'permission denied for schema chat_internal', 'anon cannot rename a document');

-- Discarding a draft and deleting a document.
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select lives_ok(
  format($$select chat_internal.discard_session(%L)$$, (select id from ids where name = 'second')),
  'the owner discards their open draft');
select is(
  (select count(*)::int from public.chat_sessions where id = (select id from ids where name = 'second')),
  0, 'the discarded draft is gone');
select throws_ok(
  format($$select chat_internal.discard_session(%L)$$, (select id from ids where name = 'second')),
  'CH404', null, 'a draft discarded already is not found');
select throws_ok(
  $$select chat_internal.discard_session('d0000000-0000-4000-8000-000000000001')$$,
  'CH404', null, 'an abandoned session is no draft to discard');
select tests.clear_authentication();
select results_eq(
  $$select event, payload ->> 'sessionId', payload ->> 'templateId' from sent
    where event = 'interview_discarded'$$,
  $$select 'interview_discarded'::text, id::text, 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::text
    from ids where name = 'second'$$,
  'discarding broadcasts interview_discarded on the owner''s topic');

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select lives_ok(
  format($$select chat_internal.delete_document(%L)$$, (select id from ids where name = 'document')),
  'the owner deletes their document');
select is(
  (select count(*)::int from public.generated_documents
   where id = (select id from ids where name = 'document')),
  0, 'the deleted document is gone');
select is(
  (select count(*)::int from public.chat_sessions where id = (select id from ids where name = 'first')),
  0, 'the interview that made it is gone with it');
select throws_ok(
  format($$select chat_internal.delete_document(%L)$$, (select id from ids where name = 'document')),
  'CH404', null, 'a document deleted already is not found');

-- The title rule travels with the template.
select tests.clear_authentication();
update public.document_templates set title_rule = 'Test: {{party}}'
where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select is(
  (select title_rule from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')),
  'Test: {{party}}', 'the chat''s template read carries the title rule');
select tests.clear_authentication();
select throws_ok(
  $$update public.document_templates set title_rule = '' where slug = 'titles-b'$$,
  '23514', null, 'an empty title rule is refused');

select * from finish();
rollback;
