-- Template versions: publishing makes a new version only when the content changed; a published
-- version never changes (the database refuses it); a session keeps the version it started on and
-- its document records it; users read the versions of active templates and of their own
-- interviews; only the service role publishes and retires; a retired template's open interview
-- still resumes, and nothing new starts on it.
begin;
\ir _helpers.psql
select plan(46);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_user('22222222-2222-4222-8222-222222222222', 'other_user@example.com');

create temporary table ids (name text primary key, id uuid) on commit drop;
grant all on ids to authenticated, anon, service_role;

select has_table('public', 'template_versions', 'template_versions exists');
select ok((select relrowsecurity from pg_class where oid = 'public.template_versions'::regclass),
  'RLS is enabled on template_versions');

-- Publishing.
select is(
  (select row(version, published, changed)::text from chat_internal.publish_template(
    'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'versions-nda', 'Versions NDA', 'A test',
    null, '[{"id":"party","text":"Who is the other party?","type":"short_text"}]',
    'Party: {{party}}', 'author@example.com')),
  row(1, true, array['new template'])::text, 'a new template is published as version 1');
select is(
  (select row(template_id, version, published_by, content_hash)::text
   from public.template_versions where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'),
  row('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid, 1, 'author@example.com',
    chat_internal.template_content_hash(
      '[{"id":"party","text":"Who is the other party?","type":"short_text"}]', 'Party: {{party}}',
      null))::text,
  'version 1 holds its content hash and who published it');
select is(
  (select row(version, published, changed)::text from chat_internal.publish_template(
    'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'versions-nda', 'Versions NDA', 'A test', null,
    '[{"id": "party", "type": "short_text", "text": "Who is the other party?"}]',
    'Party: {{party}}')),
  row(1, false, '{}'::text[])::text,
  'the same content (keys in another order) publishes nothing: still version 1');
select is(
  (select row(version, published, changed)::text from chat_internal.publish_template(
    'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'versions-nda', 'Versions NDA (renamed)', 'A test',
    null, '[{"id":"party","text":"Who is the other party?","type":"short_text"}]',
    'Party: {{party}}')),
  row(1, false, '{}'::text[])::text, 'a new name alone is no new version');
select is((select name from public.document_templates where slug = 'versions-nda'),
  'Versions NDA (renamed)', 'but the name is updated');
select throws_ok(
  $$select * from chat_internal.publish_template('bbbbbbbb-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    'versions-nda', 'X', '', null, '[{"id":"q","text":"Q?"}]', 'Q {{q}}')$$,
  '22023',
  'Template "versions-nda" has id aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa, not bbbbbbbb-aaaa-4aaa-8aaa-aaaaaaaaaaaa: a template keeps its id',
  'a slug keeps its id');

-- The owner starts an interview on version 1 and answers; another draft waits on version 1 too.
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
insert into ids select 'first', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001');
select is(
  (select template_version from public.chat_sessions where id = (select id from ids where name = 'first')),
  1, 'a new session is pinned to the current version');
select chat_internal.append_turns((select id from ids where name = 'first'),
  'c0000000-0000-4000-8000-000000000001', 0,
  '[{"role":"assistant","content":"Who is the other party?","questionId":"party","at":"2026-12-07T10:00:00Z"},
    {"role":"user","content":"Acme","questionId":"party","at":"2026-12-07T10:00:01Z"}]');
select tests.clear_authentication();

-- Version 2: a question removed, one added, the wording changed.
select is(
  (select row(version, published, changed)::text from chat_internal.publish_template(
    'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'versions-nda', 'Versions NDA', 'A test',
    'NDA with {{company}}', '[{"id":"company","text":"Which company?","type":"short_text"}]',
    'Company: {{company}}', 'author@example.com')),
  row(2, true, array['questions', 'body', 'title rule'])::text,
  'changed content is published as version 2, saying what changed');
select is(
  (select row(questions, body, title_rule)::text from public.template_versions
   where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' and version = 1),
  row('[{"id":"party","text":"Who is the other party?","type":"short_text"}]'::jsonb,
    'Party: {{party}}', null::text)::text,
  'version 1 is as it was published');
select is(
  (select row(current_version, questions ->> 0, current_hash)::text
   from public.document_templates where slug = 'versions-nda'),
  (select row(2, questions ->> 0, content_hash)::text from public.template_versions
   where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' and version = 2),
  'the template row holds its current version''s content and hash');

-- A published version never changes.
select throws_ok(
  $$update public.template_versions set body = 'Changed {{party}}'
    where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' and version = 1$$,
  'CH423',
  'Template "versions-nda" version 1 is published: it can never change or be deleted; publish a new version instead',
  'the database refuses an update of a published version, even the owner''s');
select throws_ok(
  $$delete from public.template_versions
    where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' and version = 1$$,
  'CH423',
  'Template "versions-nda" version 1 is published: it can never change or be deleted; publish a new version instead',
  'the database refuses a delete of a published version');
select throws_ok($$truncate public.template_versions cascade$$, 'CH423',
  'Published template versions can never change or be deleted', 'and a truncate');
select throws_ok(
  $$update public.document_templates set current_version = 1 where slug = 'versions-nda'$$,
  'CH423',
  'Template "versions-nda": its current version follows its content; publish new content instead of setting it',
  'the current version cannot be set back by hand');
update public.document_templates set body = 'Company {{company}}.' where slug = 'versions-nda';
select is(
  (select array_agg(version order by version) from public.template_versions
   where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'),
  array[1, 2, 3], 'a direct write of the content publishes a version too, never rewriting one');

-- The session keeps its version: resumed, it gets version 1's content back with the open.
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select is(
  (select row(session_id, template_version, template_questions -> 0 ->> 'id', template_body,
    template_hash)::text
   from chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
     'c0000000-0000-4000-8000-000000000002')),
  row((select id from ids where name = 'first'), 1, 'party', 'Party: {{party}}',
    (select content_hash from public.template_versions
     where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' and version = 1))::text,
  'a resume hands back the pinned version 1, its content and hash');
select is(
  (select row(session_id, template_version, template_body)::text
   from chat_internal.claim_session('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
     'c0000000-0000-4000-8000-000000000002')),
  row((select id from ids where name = 'first'), 1, 'Party: {{party}}')::text,
  'claim_session, the chat''s open, hands back the pinned version too');
insert into ids select 'second', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000003', p_new => true);
select is(
  (select template_version from public.chat_sessions where id = (select id from ids where name = 'second')),
  3, 'a new interview starts on the current version');
select tests.clear_authentication();
select throws_ok(
  format($$update public.chat_sessions set template_version = 3 where id = %L$$,
    (select id from ids where name = 'first')),
  'CH423',
  format('Session "%s" keeps the template version it started on (1)',
    (select id from ids where name = 'first')),
  'no one moves a session to another version');

-- Its document records version 1 and its hash.
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
insert into ids select 'document', chat_internal.complete_session(
  (select id from ids where name = 'first'), 'c0000000-0000-4000-8000-000000000002', 2,
  '[]', '{"title":"NDA","content":"Party: Acme","format":"markdown"}');
select is(
  (select row(template_version, template_hash)::text from public.generated_documents
   where id = (select id from ids where name = 'document')),
  (select row(version, content_hash)::text from public.template_versions
   where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' and version = 1),
  'the document names version 1 and its hash');
select tests.clear_authentication();
with d as (
  insert into public.generated_documents (user_id, template_id, title, content)
  values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'AI',
    'Stored by the AI service')
  returning id)
insert into ids select 'ai_document', id from d;
select is(
  (select template_version from public.generated_documents
   where id = (select id from ids where name = 'ai_document')),
  3, 'a document stored with no session yet names the current version');

-- The interviewer's read follows the pin too.
select is(
  (select row(version, questions -> 0 ->> 'id', hash)::text
   from chat_internal.read_stored_interview((select id from ids where name = 'second'))),
  (select row(version, questions -> 0 ->> 'id', content_hash)::text from public.template_versions
   where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' and version = 3),
  'the interviewer reads the session''s pinned version');

-- Who reads versions.
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select is(
  (select array_agg(version order by version) from public.template_versions
   where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'),
  array[1, 2, 3], 'a signed-in user reads every version of an active template');
select throws_ok(
  $$insert into public.template_versions (template_id, version, questions, body, content_hash,
    published_by) values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 9, '[{"id":"q"}]', 'x',
    repeat('0', 64), 'me')$$,
  '42501', 'permission denied for table template_versions', 'users cannot publish a version');
select throws_ok(
  $$update public.template_versions set body = 'x'$$,
  '42501', 'permission denied for table template_versions', 'users cannot change a version');
select throws_ok(
  $$select * from chat_internal.publish_template(null, 'mine', 'Mine', '', null,
    '[{"id":"q","text":"Q?"}]', 'Q {{q}}')$$,
  '42501', 'permission denied for function publish_template',
  'users cannot call publish_template');
select throws_ok($$select * from chat_internal.retire_template('versions-nda')$$,
  '42501', 'permission denied for function retire_template', 'users cannot retire a template');
select tests.authenticate_as_anon();
select throws_ok($$select * from public.template_versions$$, '42501',
  'permission denied for table template_versions', 'anon cannot read versions');
select tests.clear_authentication();

-- The service role publishes and retires.
select set_config('role', 'service_role', true);
select is(
  (select row(version, published)::text from chat_internal.publish_template(
    'cccccccc-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'versions-other', 'Other', '', null,
    '[{"id":"q","text":"Q?","type":"short_text"}]', 'Q {{q}}')),
  row(1, true)::text, 'the service role publishes');
select is(
  (select published_by from public.template_versions
   where template_id = 'cccccccc-aaaa-4aaa-8aaa-aaaaaaaaaaaa'),
  'service_role', 'without a name, the publisher is the role that published');
select is(
  (select row(version, was_active)::text from chat_internal.retire_template('versions-nda')),
  row(3, true)::text, 'the service role retires a template');
select throws_ok($$select * from chat_internal.retire_template('no-such-template')$$, 'CH404',
  'No template "no-such-template"', 'retiring names a template that exists');
select tests.clear_authentication();

-- Retired: the owner's open interview resumes on its version; nothing new starts.
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select is(
  (select slug from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')),
  'versions-nda', 'the owner, with an open interview on it, still finds the retired template');
select is(
  (select row(session_id, template_version)::text from chat_internal.open_session(
    'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000004')),
  row((select id from ids where name = 'second'), 3)::text,
  'and resumes it on its version');
select throws_ok(
  $$select * from chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    'c0000000-0000-4000-8000-000000000005', p_new => true)$$,
  'CH404', 'Template "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa" not found or inactive',
  'but starts no new interview on it');
select throws_ok(
  $$select * from chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    'c0000000-0000-4000-8000-000000000005', p_restart => true)$$,
  'CH404', 'Template "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa" not found or inactive',
  'nor restarts one (which would start a new one)');
select is(
  (select array_agg(version order by version) from public.template_versions
   where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'),
  array[1, 3], 'the owner reads the retired template''s versions their interviews used');
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select is(
  (select count(*)::int from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')),
  0, 'another user no longer finds the retired template');
select is(
  (select count(*)::int from public.template_versions
   where template_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'),
  0, 'nor reads its versions');
select throws_ok(
  $$select * from chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    'c0000000-0000-4000-8000-000000000006')$$,
  'CH404', 'Template "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa" not found or inactive',
  'nor starts an interview on it');
select tests.clear_authentication();

-- Publishing again (the seed runs on every start) does not bring a retired template back.
select is(
  (select row(version, published)::text from chat_internal.publish_template(
    'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'versions-nda', 'Versions NDA', 'A test',
    'NDA with {{company}}', '[{"id":"company","text":"Which company?","type":"short_text"}]',
    'Company {{company}}.')),
  row(3, false)::text, 'publishing the same content again changes nothing');
select is((select is_active from public.document_templates where slug = 'versions-nda'), false,
  'and leaves the template retired');

-- A template nothing uses goes with its versions; one in use is kept by its interviews.
delete from public.document_templates where slug = 'versions-other';
select is(
  (select count(*)::int from public.template_versions
   where template_id = 'cccccccc-aaaa-4aaa-8aaa-aaaaaaaaaaaa'),
  0, 'deleting a template nothing uses deletes its versions');
select throws_ok($$delete from public.document_templates where slug = 'versions-nda'$$, '23503',
  null, 'a template with interviews on it cannot be deleted');

select * from finish();
rollback;
