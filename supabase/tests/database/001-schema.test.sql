begin;
\ir _helpers.psql
select plan(40);

select has_table('public', 'document_templates', 'document_templates exists');
select has_table('public', 'chat_sessions', 'chat_sessions exists');
select has_table('public', 'generated_documents', 'generated_documents exists');

select columns_are('public', 'document_templates',
  array['id', 'slug', 'name', 'description', 'questions', 'body', 'is_active', 'created_at',
    'updated_at', 'title_rule'],
  'document_templates has exactly the documented columns');
select columns_are('public', 'chat_sessions',
  array['id', 'user_id', 'template_id', 'history', 'turn_count', 'connection_id', 'is_complete',
    'completed_at', 'abandoned_at', 'created_at', 'updated_at', 'review', 'review_turn_count',
    'title'],
  'chat_sessions has exactly the documented columns');
select columns_are('public', 'generated_documents',
  array['id', 'session_id', 'user_id', 'template_id', 'title', 'content', 'format', 'created_at'],
  'generated_documents has exactly the documented columns');

select col_is_pk('public', 'document_templates', 'id', 'templates are keyed by id');
select col_is_pk('public', 'chat_sessions', 'id', 'sessions are keyed by id');
select col_is_pk('public', 'generated_documents', 'id', 'documents are keyed by id');
select col_is_unique('public', 'document_templates', 'slug', 'template slugs are unique');
select col_is_unique('public', 'generated_documents', 'session_id', 'one document per session');

select fk_ok('public', 'chat_sessions', 'user_id', 'auth', 'users', 'id',
  'sessions belong to auth users');
select fk_ok('public', 'chat_sessions', 'template_id', 'public', 'document_templates', 'id',
  'sessions reference their template');
select fk_ok('public', 'generated_documents', 'user_id', 'auth', 'users', 'id',
  'documents belong to auth users');
select fk_ok('public', 'generated_documents', 'session_id', 'public', 'chat_sessions', 'id',
  'documents reference their session');
select fk_ok('public', 'generated_documents', 'template_id', 'public', 'document_templates', 'id',
  'documents reference their template');

select is(
  (select confdeltype::text from pg_constraint
   where conrelid = 'public.chat_sessions'::regclass and confrelid = 'auth.users'::regclass),
  'c', 'deleting a user deletes their sessions');
select is(
  (select confdeltype::text from pg_constraint
   where conrelid = 'public.generated_documents'::regclass and confrelid = 'auth.users'::regclass),
  'c', 'deleting a user deletes their documents');

select col_not_null('public', 'chat_sessions', 'history', 'history is never null');
select col_default_is('public', 'chat_sessions', 'history', '[]'::jsonb,
  'history starts empty');
select col_default_is('public', 'chat_sessions', 'is_complete', 'false',
  'sessions start incomplete');

select has_index('public', 'chat_sessions', 'chat_sessions_open_by_user_template',
  array['user_id', 'template_id', 'updated_at'], 'the open-session look-up index exists');
select is(
  (select indisunique from pg_index
   where indexrelid = 'public.chat_sessions_open_by_user_template'::regclass),
  false, 'the open-session index is not unique: several drafts per template are allowed');
select is(
  (select pg_get_expr(indpred, indrelid) from pg_index
   where indexrelid = 'public.chat_sessions_open_by_user_template'::regclass),
  '((NOT is_complete) AND (abandoned_at IS NULL))',
  'the look-up index covers open sessions only');
select has_index('public', 'chat_sessions', 'chat_sessions_template_id', array['template_id'],
  'sessions are indexed by template for the foreign key check');
select has_index('public', 'generated_documents', 'generated_documents_template_id',
  array['template_id'], 'documents are indexed by template for the foreign key check');
select has_index('public', 'chat_sessions', 'chat_sessions_incomplete_by_updated_at',
  array['updated_at'], 'the purge index exists');

select ok((select relrowsecurity from pg_class where oid = 'public.document_templates'::regclass),
  'RLS is enabled on document_templates');
select ok((select relrowsecurity from pg_class where oid = 'public.chat_sessions'::regclass),
  'RLS is enabled on chat_sessions');
select ok((select relrowsecurity from pg_class where oid = 'public.generated_documents'::regclass),
  'RLS is enabled on generated_documents');

select has_trigger('public', 'chat_sessions', 'chat_sessions_set_updated_at',
  'chat_sessions maintains updated_at');
select has_trigger('public', 'document_templates', 'document_templates_set_updated_at',
  'document_templates maintains updated_at');

select set_eq(
  $$select tablename::text from pg_publication_tables
    where pubname = 'supabase_realtime' and schemaname = 'public'$$,
  array['chat_sessions', 'generated_documents'],
  'sessions and documents are published to Realtime');

select has_function('chat_internal', 'open_session',
  array['uuid', 'uuid', 'boolean', 'uuid', 'boolean'],
  'open_session exists');
select has_function('chat_internal', 'append_turns', array['uuid', 'uuid', 'integer', 'jsonb'],
  'append_turns exists');
select has_function('chat_internal', 'complete_session',
  array['uuid', 'uuid', 'integer', 'jsonb', 'jsonb', 'uuid'], 'complete_session exists');
select is_definer('chat_internal', 'append_turns', array['uuid', 'uuid', 'integer', 'jsonb'],
  'append_turns runs as its owner');
select ok(not has_schema_privilege('anon', 'chat_internal', 'usage'),
  'anon cannot enter chat_internal');
select ok(
  not exists (
    select 1 from pg_proc p
    where p.pronamespace = 'chat_internal'::regnamespace and p.prosecdef
      and not coalesce(array_to_string(p.proconfig, ',') like '%search_path=%', false)
  ),
  'every security definer function pins its search_path');

-- updated_at follows writes
insert into auth.users (id, email) values ('11111111-1111-4111-8111-111111111111', 'o@example.com');
insert into public.document_templates (id, slug, name, questions, body)
values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'schema-test', 'Schema test',
  '[{"id":"a","text":"A?","type":"short_text"}]', '{{a}}');
insert into public.chat_sessions (id, user_id, template_id, updated_at)
values ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', '11111111-1111-4111-8111-111111111111',
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '2000-01-01');
update public.chat_sessions set history = '[]' where id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
select is((select updated_at from public.chat_sessions
           where id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'), now(),
  'an update sets updated_at to now');

select * from finish();
rollback;
