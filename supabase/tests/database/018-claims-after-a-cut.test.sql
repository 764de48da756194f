-- A reconnect that names the generation it held is refused when a newer claim of the user exists;
-- a claim without one (a first connection, "Continue here") takes over as before.
begin;
\ir _helpers.psql
select plan(12);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'owner@example.com');
select tests.create_user('22222222-2222-4222-8222-222222222222', 'other@example.com');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'claims');
select tests.create_template('aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'claims-2');
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');

create temporary table claims (tab text primary key, session_id uuid, generation bigint)
  on commit drop;
grant all on claims to authenticated;

-- The old tab claims, then a newer tab of the same user takes the interview over.
insert into claims select 'old', session_id, generation from chat_internal.claim_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001');
insert into claims select 'new', session_id, generation from chat_internal.claim_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000002');

select is((select session_id from claims where tab = 'new'),
  (select session_id from claims where tab = 'old'), 'the newer tab resumes the same interview');
select is(
  chat_internal.newer_claim_exists((select generation from claims where tab = 'old')), true,
  'the old tab''s generation has a newer claim');
select is(
  chat_internal.newer_claim_exists((select generation from claims where tab = 'new')), false,
  'the newest tab''s generation has none');

-- The old tab, cut while it was sending, reconnects naming what it held: refused.
select throws_ok(
  format($$select * from chat_internal.claim_session('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    'c0000000-0000-4000-8000-000000000003', p_held_generation => %s)$$,
    (select generation from claims where tab = 'old')),
  'CH409', null, 'a reconnect holding an older generation cannot take over');
select is(
  (select connection_id from public.chat_sessions
   where id = (select session_id from claims where tab = 'new')),
  'c0000000-0000-4000-8000-000000000002'::uuid, 'the newer tab keeps the interview');

-- The newest tab reconnecting after its own cut is let in.
insert into claims select 'new-again', session_id, generation from chat_internal.claim_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000004',
  p_held_generation => (select generation from claims where tab = 'new'));
select is(
  (select connection_id from public.chat_sessions
   where id = (select session_id from claims where tab = 'new')),
  'c0000000-0000-4000-8000-000000000004'::uuid,
  'a reconnect holding the newest generation resumes the interview');

-- That reconnect is cut before its client hears its generation: the client names the same one
-- again. Its own reconnect's claim is no newer tab's, so it is let in; a newer tab's would not be.
select is(
  chat_internal.newer_claim_exists((select generation from claims where tab = 'new')), false,
  'the claim of a reconnect that named the same generation is that tab''s own');
insert into claims select 'new-cut-again', session_id, generation from chat_internal.claim_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000007',
  p_held_generation => (select generation from claims where tab = 'new'));
select is(
  (select connection_id from public.chat_sessions
   where id = (select session_id from claims where tab = 'new')),
  'c0000000-0000-4000-8000-000000000007'::uuid,
  'a reconnect cut before it heard its generation gets back in with the one it held');
update claims set generation = (select generation from claims where tab = 'new-cut-again')
where tab = 'new-again';

-- A claim on another template is newer too: last connection wins across templates.
insert into claims select 'other-template', session_id, generation
from chat_internal.claim_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-bbbbbbbbbbbb', 'c0000000-0000-4000-8000-000000000005');
select is(
  chat_internal.newer_claim_exists((select generation from claims where tab = 'new-again')), true,
  'a claim on another template is newer than the tab that lost it');

-- "Continue here": no held generation, so it takes over.
insert into claims select 'take-over', session_id, generation from chat_internal.claim_session(
  'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000006');
select is(
  (select connection_id from public.chat_sessions
   where id = (select session_id from claims where tab = 'new')),
  'c0000000-0000-4000-8000-000000000006'::uuid, 'a claim naming no generation takes over');

-- Another user's claims are not the caller's: their generations never refuse the caller.
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select is(
  chat_internal.newer_claim_exists(1), false, 'another user''s claims are not newer than mine');
select throws_ok(
  $$select * from chat_internal.user_claims$$, '42501', null,
  'users cannot read the claims table');

select * from finish();
rollback;
