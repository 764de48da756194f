-- Every claim of an interview draws a newer generation; the newest claim owns the session.
begin;
\ir _helpers.psql
select plan(6);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'generations');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'generations-2');
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');

create temporary table claims (n serial, session_id uuid, created boolean, generation bigint)
  on commit drop;
grant all on claims to authenticated;
grant usage on sequence claims_n_seq to authenticated;

insert into claims (session_id, created, generation)
select session_id, created, generation from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001');
insert into claims (session_id, created, generation)
select session_id, created, generation from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000002');
insert into claims (session_id, created, generation)
select session_id, created, generation from chat_internal.open_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'c0000000-0000-4000-8000-000000000003');

select is((select created from claims where n = 1), true, 'the first claim creates the session');
select is((select created from claims where n = 2), false, 'the second claim resumes it');
select ok((select generation from claims where n = 2) > (select generation from claims where n = 1),
  'a later claim of the same session has a higher generation');
select ok((select generation from claims where n = 3) > (select generation from claims where n = 2),
  'generations are ordered across the user''s templates too');
select is(
  (select connection_id from public.chat_sessions
   where id = (select session_id from claims where n = 1)),
  'c0000000-0000-4000-8000-000000000002'::uuid, 'the newest claim owns the session');
select throws_ok(
  $$select nextval('chat_internal.connection_generation')$$, '42501', null,
  'users cannot draw generations themselves');

select * from finish();
rollback;
