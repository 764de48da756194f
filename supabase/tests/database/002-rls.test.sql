-- Row level security and grants: what a user holding only their own JWT (or only the anon key)
-- can do through the Data API, which runs their requests exactly like this.
begin;
\ir _helpers.psql
select plan(34);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_user('22222222-2222-4222-8222-222222222222', 'other_user@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'rls-active');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'rls-inactive', false);
insert into public.chat_sessions (id, user_id, template_id) values
  ('51111111-1111-4111-8111-111111111111', '11111111-1111-4111-8111-111111111111',
   'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'),
  ('52222222-2222-4222-8222-222222222222', '22222222-2222-4222-8222-222222222222',
   'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
insert into public.generated_documents (id, session_id, user_id, template_id, title, content) values
  ('d1111111-1111-4111-8111-111111111111', '51111111-1111-4111-8111-111111111111',
   '11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Owner doc', 'x'),
  ('d2222222-2222-4222-8222-222222222222', '52222222-2222-4222-8222-222222222222',
   '22222222-2222-4222-8222-222222222222', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Other doc', 'y');

-- document_templates
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select results_eq(
  $$select slug from public.document_templates where slug like 'rls-%'$$,
  array['rls-active'], 'a signed-in user sees active templates only');
select throws_ok(
  $$insert into public.document_templates (slug, name, questions, body)
    values ('forged', 'Forged', '[{}]', 'x')$$,
  '42501', 'permission denied for table document_templates', 'users cannot create templates');
select throws_ok(
  $$update public.document_templates set body = 'hacked' where slug = 'rls-active'$$,
  '42501', 'permission denied for table document_templates', 'users cannot change templates');
select throws_ok(
  $$delete from public.document_templates where slug = 'rls-active'$$,
  '42501', 'permission denied for table document_templates', 'users cannot delete templates');

-- chat_sessions: reading
select results_eq(
  $$select id from public.chat_sessions$$,
  array['51111111-1111-4111-8111-111111111111'::uuid], 'the owner sees their own session only');
select is_empty(
  $$select 1 from public.chat_sessions where user_id = '22222222-2222-4222-8222-222222222222'$$,
  'the owner cannot see the other user''s session');

-- chat_sessions: no direct writes at all, neither to one's own rows nor to anyone else's
select throws_ok(
  $$insert into public.chat_sessions (user_id, template_id)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')$$,
  '42501', 'permission denied for table chat_sessions',
  'users cannot insert sessions directly, even their own');
select throws_ok(
  $$insert into public.chat_sessions (user_id, template_id)
    values ('22222222-2222-4222-8222-222222222222', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')$$,
  '42501', 'permission denied for table chat_sessions',
  'users cannot create a session for someone else');
select throws_ok(
  $$update public.chat_sessions set history = '[{"role":"user","content":"forged"}]'
    where id = '51111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table chat_sessions', 'users cannot forge their history');
select throws_ok(
  $$update public.chat_sessions set is_complete = true, completed_at = now()
    where id = '51111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table chat_sessions', 'users cannot forge completion');
select throws_ok(
  $$update public.chat_sessions set history = '[]'
    where id = '52222222-2222-4222-8222-222222222222'$$,
  '42501', 'permission denied for table chat_sessions',
  'users cannot change the other user''s session');
select throws_ok(
  $$delete from public.chat_sessions where id = '51111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table chat_sessions', 'users cannot delete their sessions');
select throws_ok(
  $$delete from public.chat_sessions where id = '52222222-2222-4222-8222-222222222222'$$,
  '42501', 'permission denied for table chat_sessions',
  'users cannot delete the other user''s session');

-- generated_documents
select results_eq(
  $$select id from public.generated_documents$$,
  array['d1111111-1111-4111-8111-111111111111'::uuid], 'the owner sees their own document only');
select is_empty(
  $$select 1 from public.generated_documents where id = 'd2222222-2222-4222-8222-222222222222'$$,
  'the owner cannot see the other user''s document');
select throws_ok(
  $$insert into public.generated_documents (user_id, template_id, title, content)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      'Forged', 'x')$$,
  '42501', 'permission denied for table generated_documents', 'users cannot forge documents');
select throws_ok(
  $$insert into public.generated_documents (user_id, template_id, title, content)
    values ('22222222-2222-4222-8222-222222222222', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      'Planted', 'x')$$,
  '42501', 'permission denied for table generated_documents',
  'users cannot plant documents on someone else');
select throws_ok(
  $$update public.generated_documents set content = 'edited'
    where id = 'd1111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table generated_documents',
  'users cannot edit their documents');
select throws_ok(
  $$update public.generated_documents set content = 'edited'
    where id = 'd2222222-2222-4222-8222-222222222222'$$,
  '42501', 'permission denied for table generated_documents',
  'users cannot edit the other user''s documents');
select throws_ok(
  $$delete from public.generated_documents where id = 'd2222222-2222-4222-8222-222222222222'$$,
  '42501', 'permission denied for table generated_documents',
  'users cannot delete the other user''s documents');

-- the other user, symmetrically
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select results_eq(
  $$select id from public.chat_sessions$$,
  array['52222222-2222-4222-8222-222222222222'::uuid], 'the other user sees only their session');
select results_eq(
  $$select id from public.generated_documents$$,
  array['d2222222-2222-4222-8222-222222222222'::uuid], 'the other user sees only their document');

-- anon: nothing at all
select tests.authenticate_as_anon();
select throws_ok($$select * from public.document_templates$$, '42501',
  'permission denied for table document_templates', 'anon cannot read templates');
select throws_ok($$select * from public.chat_sessions$$, '42501',
  'permission denied for table chat_sessions', 'anon cannot read sessions');
select throws_ok($$select * from public.generated_documents$$, '42501',
  'permission denied for table generated_documents', 'anon cannot read documents');
select throws_ok(
  $$insert into public.chat_sessions (user_id, template_id)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')$$,
  '42501', 'permission denied for table chat_sessions', 'anon cannot create sessions');
select throws_ok(
  $$select chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', gen_random_uuid())$$,
  '42501', 'permission denied for schema chat_internal', 'anon cannot reach the write path');
select throws_ok($$select public.purge_stale_chat_sessions()$$, '42501',
  'permission denied for function purge_stale_chat_sessions', 'anon cannot purge');

-- privileges as the catalog states them
select tests.clear_authentication();
select ok(not has_table_privilege('authenticated', 'public.chat_sessions', 'INSERT,UPDATE,DELETE'),
  'authenticated holds no write privilege on chat_sessions');
select ok(
  not has_table_privilege('authenticated', 'public.generated_documents', 'INSERT,UPDATE,DELETE'),
  'authenticated holds no write privilege on generated_documents');
select ok(
  not has_table_privilege('authenticated', 'public.document_templates', 'INSERT,UPDATE,DELETE'),
  'authenticated holds no write privilege on document_templates');
select ok(not has_table_privilege('anon', 'public.chat_sessions', 'SELECT'),
  'anon holds no privilege on chat_sessions');
select ok(not has_function_privilege('authenticated',
    'public.purge_stale_chat_sessions(interval, integer)', 'EXECUTE'),
  'authenticated cannot execute the purge');
select ok(has_function_privilege('service_role',
    'public.purge_stale_chat_sessions(interval, integer)', 'EXECUTE'),
  'service_role can execute the purge');

select * from finish();
rollback;
