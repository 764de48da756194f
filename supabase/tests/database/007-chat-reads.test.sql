-- chat_internal's reads show a caller what RLS shows: active templates to a signed-in user, a
-- session, its document and its review to its owner, nothing to anyone else. They are security
-- invoker and filter by nothing but the id, so the policies alone decide: a role that bypasses
-- RLS (postgres) gets another user's rows through them, and with row_security off the other
-- user's call is refused for the policy it would have needed.
begin;
\ir _helpers.psql
select plan(22);

select is(
  (select array_agg(p.proname::text order by p.proname) from pg_proc p
    where p.pronamespace = 'chat_internal'::regnamespace and not p.prosecdef
      and p.proname in ('find_template', 'load_session', 'load_review')),
  array['find_template', 'load_review', 'load_session'],
  'the chat''s three reads are security invoker');

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_user('22222222-2222-4222-8222-222222222222', 'other_user@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'reads-active');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'reads-inactive', false);

create temporary table ids (name text primary key, id uuid) on commit drop;
grant all on ids to authenticated;

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select is(
  (select slug from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')),
  'reads-active', 'a signed-in user finds an active template');
select is(
  (select count(*)::int from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb')),
  0, 'an inactive template is not found');
select is(
  (select count(*)::int from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-cccccccccccc')),
  0, 'an unknown template is not found');

insert into ids select 'owner', session_id from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001');
select chat_internal.append_turns((select id from ids where name = 'owner'),
  'c0000000-0000-4000-8000-000000000001', 0,
  '[{"role":"assistant","content":"Who?","questionId":"party","at":"2026-01-01T00:00:00Z"}]');
select results_eq(
  format($$select template_id, turn_count, is_complete, connection_id, document_id
    from chat_internal.load_session(%L)$$, (select id from ids where name = 'owner')),
  $$values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid, 1, false,
    'c0000000-0000-4000-8000-000000000001'::uuid, null::uuid)$$,
  'the owner loads their open session');
select is(
  (select history -> 0 ->> 'content' from chat_internal.load_session(
    (select id from ids where name = 'owner'))),
  'Who?', 'with its history');

select chat_internal.append_turns((select id from ids where name = 'owner'),
  'c0000000-0000-4000-8000-000000000001', 1,
  '[{"role":"user","content":"Acme","questionId":"party","at":"2026-01-01T00:00:01Z"}]');
select chat_internal.store_review((select id from ids where name = 'owner'),
  'c0000000-0000-4000-8000-000000000001', 2, '{"title":"T","content":"Party: Acme"}');
select is(
  (select document ->> 'content' from chat_internal.load_review(
    (select id from ids where name = 'owner'))),
  'Party: Acme', 'the owner loads their review');

-- Another user's claims: RLS, and only RLS, hides the owner's session and review.
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select is(
  (select count(*)::int from chat_internal.load_review((select id from ids where name = 'owner'))),
  0, 'another user cannot load the review');
select set_config('role', 'postgres', true);
select is(
  (select count(*)::int from chat_internal.load_session((select id from ids where name = 'owner'))),
  1, 'load_session filters by nothing but the id: a role that bypasses RLS, with the other '
  'user''s claims, gets the row');
select is(
  (select count(*)::int from chat_internal.load_review((select id from ids where name = 'owner'))),
  1, 'so does load_review');
select is(
  (select slug from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb')),
  'reads-inactive', 'and find_template filters by nothing but the id: the policy hides inactive ones');
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select set_config('row_security', 'off', true);
select throws_ok(
  format($$select * from chat_internal.load_session(%L)$$, (select id from ids where name = 'owner')),
  '42501', 'query would be affected by row-level security policy for table "chat_sessions"',
  'without row security the other user''s load_session is refused: the policy hides the row');
select throws_ok(
  format($$select * from chat_internal.load_review(%L)$$, (select id from ids where name = 'owner')),
  '42501', 'query would be affected by row-level security policy for table "chat_sessions"',
  'so is their load_review');
select throws_ok(
  $$select * from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb')$$,
  '42501', 'query would be affected by row-level security policy for table "document_templates"',
  'and find_template of the inactive template');
select set_config('row_security', 'on', true);

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
insert into ids select 'document', chat_internal.complete_session(
  (select id from ids where name = 'owner'), 'c0000000-0000-4000-8000-000000000001', 2,
  '[]', '{"title":"T","content":"Party: Acme"}');
select results_eq(
  format($$select is_complete, connection_id, document_id
    from chat_internal.load_session(%L)$$, (select id from ids where name = 'owner')),
  format($$values (true, null::uuid, %L::uuid)$$, (select id from ids where name = 'document')),
  'a complete session carries its document id');

select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select is(
  (select count(*)::int from chat_internal.load_session((select id from ids where name = 'owner'))),
  0, 'another user cannot load the session');
select is(
  (select slug from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')),
  'reads-active', 'any signed-in user finds the active template');

select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select set_config('row_security', 'off', true);
select throws_ok(
  $$select * from chat_internal.load_session(gen_random_uuid())$$,
  '42501', 'query would be affected by row-level security policy for table "chat_sessions"',
  'load_session reads under the sessions policy even for an unknown id');
select set_config('row_security', 'on', true);

select tests.clear_authentication();
select set_config('role', 'authenticated', true);
select is(
  (select count(*)::int from chat_internal.load_session((select id from ids where name = 'owner'))),
  0, 'without claims no session is found');
select is(
  (select count(*)::int from chat_internal.load_review((select id from ids where name = 'owner'))),
  0, 'nor a review');

select tests.authenticate_as_anon();
select throws_ok(
  $$select * from chat_internal.find_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')$$,
  '42501', null, 'anon cannot call the reads');
select tests.clear_authentication();
select ok(
  has_function_privilege('authenticated', 'chat_internal.load_session(uuid)', 'execute'),
  'signed-in users may execute the reads (through the chat function only: the schema is hidden)');

select * from finish();
rollback;
