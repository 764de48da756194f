-- Row level security and grants: what a user holding only their own JWT (or only the anon key)
-- can do through the Data API, which runs their requests exactly like this. Every table x
-- operation (select, insert, update, delete) as the owner, as another user and as anon; then
-- proof that it is the RLS policy, and nothing else, that hides another user's rows from a read.
begin;
\ir _helpers.psql
select plan(46);

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

-- document_templates: no owner; any signed-in user reads the active ones, nobody writes.
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
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select is_empty(
  $$select 1 from public.document_templates where slug = 'rls-inactive'$$,
  'another user does not see the inactive template either');
select throws_ok(
  $$insert into public.document_templates (slug, name, questions, body)
    values ('planted', 'Planted', '[{}]', 'x')$$,
  '42501', 'permission denied for table document_templates',
  'another user cannot create templates');
select throws_ok(
  $$update public.document_templates set is_active = true where slug = 'rls-inactive'$$,
  '42501', 'permission denied for table document_templates',
  'another user cannot activate a template');
select throws_ok(
  $$delete from public.document_templates where slug = 'rls-inactive'$$,
  '42501', 'permission denied for table document_templates',
  'another user cannot delete templates');

-- chat_sessions: the owner reads their own; no direct writes at all, own rows or anyone else's
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select results_eq(
  $$select id from public.chat_sessions$$,
  array['51111111-1111-4111-8111-111111111111'::uuid], 'the owner sees their own session only');
select throws_ok(
  $$insert into public.chat_sessions (user_id, template_id)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')$$,
  '42501', 'permission denied for table chat_sessions',
  'users cannot insert sessions directly, even their own');
select throws_ok(
  $$update public.chat_sessions set history = '[{"role":"user","content":"forged"}]'
    where id = '51111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table chat_sessions', 'users cannot forge their history');
select throws_ok(
  $$update public.chat_sessions set is_complete = true, completed_at = now()
    where id = '51111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table chat_sessions', 'users cannot forge completion');
select throws_ok(
  $$delete from public.chat_sessions where id = '51111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table chat_sessions', 'users cannot delete their sessions');

select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select is_empty(
  $$select 1 from public.chat_sessions where id = '51111111-1111-4111-8111-111111111111'$$,
  'another user cannot see the owner''s session');
select throws_ok(
  $$insert into public.chat_sessions (user_id, template_id)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb')$$,
  '42501', 'permission denied for table chat_sessions',
  'another user cannot create a session for the owner');
select throws_ok(
  $$update public.chat_sessions set history = '[]'
    where id = '51111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table chat_sessions',
  'another user cannot change the owner''s session');
select throws_ok(
  $$delete from public.chat_sessions where id = '51111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table chat_sessions',
  'another user cannot delete the owner''s session');

-- generated_documents: the same
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select results_eq(
  $$select id from public.generated_documents$$,
  array['d1111111-1111-4111-8111-111111111111'::uuid], 'the owner sees their own document only');
select throws_ok(
  $$insert into public.generated_documents (user_id, template_id, title, content)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      'Forged', 'x')$$,
  '42501', 'permission denied for table generated_documents', 'users cannot forge documents');
select throws_ok(
  $$update public.generated_documents set content = 'edited'
    where id = 'd1111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table generated_documents',
  'users cannot edit their documents');
select throws_ok(
  $$delete from public.generated_documents where id = 'd1111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table generated_documents',
  'users cannot delete their documents');

select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select is_empty(
  $$select 1 from public.generated_documents where id = 'd1111111-1111-4111-8111-111111111111'$$,
  'another user cannot see the owner''s document');
select throws_ok(
  $$insert into public.generated_documents (user_id, template_id, title, content)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      'Planted', 'x')$$,
  '42501', 'permission denied for table generated_documents',
  'another user cannot plant documents on the owner');
select throws_ok(
  $$update public.generated_documents set content = 'edited'
    where id = 'd1111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table generated_documents',
  'another user cannot edit the owner''s documents');
select throws_ok(
  $$delete from public.generated_documents where id = 'd1111111-1111-4111-8111-111111111111'$$,
  '42501', 'permission denied for table generated_documents',
  'another user cannot delete the owner''s documents');
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
select throws_ok(
  $$insert into public.document_templates (slug, name, questions, body)
    values ('anon', 'Anon', '[{}]', 'x')$$,
  '42501', 'permission denied for table document_templates', 'anon cannot create templates');
select throws_ok($$update public.document_templates set body = 'x'$$, '42501',
  'permission denied for table document_templates', 'anon cannot change templates');
select throws_ok($$delete from public.document_templates$$, '42501',
  'permission denied for table document_templates', 'anon cannot delete templates');
select throws_ok($$select * from public.chat_sessions$$, '42501',
  'permission denied for table chat_sessions', 'anon cannot read sessions');
select throws_ok(
  $$insert into public.chat_sessions (user_id, template_id)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')$$,
  '42501', 'permission denied for table chat_sessions', 'anon cannot create sessions');
select throws_ok($$update public.chat_sessions set history = '[]'$$, '42501',
  'permission denied for table chat_sessions', 'anon cannot change sessions');
select throws_ok($$delete from public.chat_sessions$$, '42501',
  'permission denied for table chat_sessions', 'anon cannot delete sessions');
select throws_ok($$select * from public.generated_documents$$, '42501',
  'permission denied for table generated_documents', 'anon cannot read documents');
select throws_ok(
  $$insert into public.generated_documents (user_id, template_id, title, content)
    values ('11111111-1111-4111-8111-111111111111', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      'Anon', 'x')$$,
  '42501', 'permission denied for table generated_documents', 'anon cannot create documents');
select throws_ok($$update public.generated_documents set content = 'x'$$, '42501',
  'permission denied for table generated_documents', 'anon cannot change documents');
select throws_ok($$delete from public.generated_documents$$, '42501',
  'permission denied for table generated_documents', 'anon cannot delete documents');
select throws_ok(
  $$select chat_internal.open_session('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', gen_random_uuid())$$,
  '42501', 'permission denied for schema chat_internal', 'anon cannot reach the write path');
select throws_ok($$select public.purge_stale_chat_sessions()$$, '42501',
  'permission denied for function purge_stale_chat_sessions', 'anon cannot purge');

-- A read with another user's claims returns nothing because of RLS. The read below filters on
-- nothing but the session id (a security invoker function, as a read path for the chat would
-- be): the service role, which bypasses RLS, gets the row through it; the other user gets
-- nothing; and with row security switched off the other user's read is refused for the policy
-- it would have needed, so the policy is the one thing that stands in the way.
select tests.clear_authentication();
create function tests.session_history(p_session_id uuid) returns setof jsonb
language sql stable
security invoker
set search_path = ''
as $$ select s.history from public.chat_sessions s where s.id = p_session_id $$;
grant execute on function tests.session_history(uuid) to authenticated, service_role;

select set_config('role', 'service_role', true);
select is(
  (select count(*)::int from tests.session_history('51111111-1111-4111-8111-111111111111')), 1,
  'the read itself filters by nothing but the id: the service role gets the owner''s session');
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select is(
  (select count(*)::int from tests.session_history('51111111-1111-4111-8111-111111111111')), 0,
  'another user''s claims read nothing of the owner''s session');
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select is(
  (select count(*)::int from tests.session_history('51111111-1111-4111-8111-111111111111')), 1,
  'the owner''s claims read it');
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select set_config('row_security', 'off', true);
select throws_ok(
  $$select * from tests.session_history('51111111-1111-4111-8111-111111111111')$$,
  '42501', 'query would be affected by row-level security policy for table "chat_sessions"',
  'without row security the same read is refused: the policy is what hides the row');
select throws_ok(
  $$select * from public.generated_documents where id = 'd1111111-1111-4111-8111-111111111111'$$,
  '42501', 'query would be affected by row-level security policy for table "generated_documents"',
  'so is a plain select of the owner''s document');
select set_config('row_security', 'on', true);
select tests.clear_authentication();

select * from finish();
rollback;
