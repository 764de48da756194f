-- The quotas (20261201000150_quotas.sql): open interviews, sessions started per minute and
-- documents per day, each accepted at its limit, refused one over with CH429 and the exact
-- sentence, another user unaffected; the windows free themselves (rows backdated, no sleep).
-- The limits are lowered here (open 3, per minute 5, per day 2), which also proves that an update
-- of chat_internal.quotas takes effect at the next call.
begin;
\ir _helpers.psql
select plan(33);

select tests.create_user('11111111-1111-4111-8111-111111111111', 'script@example.com');
select tests.create_user('22222222-2222-4222-8222-222222222222', 'other@example.com');
select tests.create_template(('aaaaaaaa-aaaa-4aaa-8aaa-0000000000f' || n)::uuid, 'quota-open-' || n)
from generate_series(1, 5) n;
select tests.create_template(('aaaaaaaa-aaaa-4aaa-8aaa-0000000000d' || n)::uuid, 'quota-doc-' || n)
from generate_series(1, 5) n;

-- The CH429 detail of a statement, as the chat reads it; null when it raised nothing.
create function tests.quota_detail(p_statement text) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_detail text;
begin
  execute p_statement;
  return null;
exception when sqlstate 'CH429' then
  get stacked diagnostics v_detail = pg_exception_detail;
  return v_detail::jsonb;
end;
$$;
create function tests.open(p_n integer, p_restart boolean default false) returns uuid
language sql
set search_path = ''
as $$
  select session_id from chat_internal.open_session(
    ('aaaaaaaa-aaaa-4aaa-8aaa-0000000000f' || p_n)::uuid, gen_random_uuid(), p_restart)
$$;
grant execute on all functions in schema tests to authenticated;

-- Defaults and who may see or change them.
select results_eq(
  $$select open_interviews, sessions_per_minute, documents_per_day from chat_internal.quotas$$,
  $$values (20, 10, 50)$$,
  'the defaults: 20 open interviews, 10 sessions a minute, 50 documents a day');
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select throws_ok($$select * from chat_internal.quotas$$, '42501', null,
  'a signed-in user cannot read the quotas');
select throws_ok($$update chat_internal.quotas set documents_per_day = 1000$$, '42501', null,
  'a signed-in user cannot change the quotas');
select tests.clear_authentication();
set local role service_role;
select lives_ok(
  $$update chat_internal.quotas set open_interviews = 3, sessions_per_minute = 5,
    documents_per_day = 2$$,
  'the service role changes the quotas');
reset role;
select throws_ok($$update chat_internal.quotas set open_interviews = 0$$, '23514', null,
  'a quota is at least 1');

-- Open interviews: 3 at once.
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select lives_ok($$select tests.open(1); select tests.open(2)$$, 'two open interviews');
select lives_ok($$select tests.open(3)$$, 'the third, at the limit, is accepted');
select throws_ok($$select tests.open(4)$$, 'CH429',
  'You have 3 interviews in progress, the most allowed at once: finish one, or restart one to '
  'replace it, before starting another',
  'the fourth is refused, naming the quota');
select is(tests.quota_detail($$select tests.open(4)$$),
  '{"quota": "open_interviews", "limit": 3}'::jsonb,
  'its detail names the quota and its limit, and no wait');
select lives_ok($$select tests.open(1)$$, 'resuming an open interview is never refused');
select lives_ok($$select tests.open(2, true)$$, 'a restart replaces an open interview');
select is((select count(*)::int from public.chat_sessions
    where not is_complete and abandoned_at is null),
  3, 'the user still holds 3 open interviews');
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select lives_ok($$select tests.open(4)$$, 'another user opens an interview as before');

-- Sessions per minute: 5 started (3 opens and 1 restart so far); refused ones do not count.
select tests.clear_authentication();
update chat_internal.quotas set open_interviews = 20;
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select lives_ok($$select tests.open(4)$$, 'the fifth session this minute is accepted');
select throws_ok($$select tests.open(4, true)$$, 'CH429',
  'You started 5 interviews within a minute, the most allowed: try again in 60 seconds',
  'the sixth is refused, saying when to try again');
select throws_ok($$select tests.open(5)$$, 'CH429',
  'You started 5 interviews within a minute, the most allowed: try again in 60 seconds',
  'on any template');
select lives_ok($$select tests.open(4)$$, 'resuming is still accepted');
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select lives_ok($$select tests.open(5)$$, 'another user starts a session as before');
select tests.clear_authentication();
update chat_internal.session_start_windows set window_started_at = now() - interval '45 seconds'
where user_id = '11111111-1111-4111-8111-111111111111';
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select is(tests.quota_detail($$select tests.open(5)$$),
  '{"quota": "sessions_per_minute", "limit": 5, "retryAfterSeconds": 15}'::jsonb,
  'the detail gives the seconds left in the window');
select tests.clear_authentication();
update chat_internal.session_start_windows set window_started_at = now() - interval '60 seconds'
where user_id = '11111111-1111-4111-8111-111111111111';
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select lives_ok($$select tests.open(5)$$, 'a minute later the window has freed itself');
select tests.clear_authentication();
select is((select sessions_started from chat_internal.session_start_windows
    where user_id = '11111111-1111-4111-8111-111111111111'),
  1, 'and a new window counts from one');

-- Documents per day: 2 in 24 hours. One answered session per doc template, owned by c1.
insert into public.chat_sessions (id, user_id, template_id, connection_id, history, turn_count)
select ('81111111-1111-4111-8111-0000000000d' || n)::uuid,
  case when n = 5 then '22222222-2222-4222-8222-222222222222'::uuid
    else '11111111-1111-4111-8111-111111111111'::uuid end,
  ('aaaaaaaa-aaaa-4aaa-8aaa-0000000000d' || n)::uuid, 'c0000000-0000-4000-8000-000000000001',
  '[{"role":"assistant","content":"Who?","questionId":"party","at":"2026-01-01T00:00:00Z"},
    {"role":"user","content":"Acme","questionId":"party","at":"2026-01-01T00:00:01Z"}]', 2
from generate_series(1, 5) n;
create function tests.complete(p_n integer) returns uuid
language sql
set search_path = ''
as $$
  select chat_internal.complete_session(s.id, 'c0000000-0000-4000-8000-000000000001', 2, null,
    '{"title":"NDA","content":"Agreed."}', null)
  from public.chat_sessions s where s.id = ('81111111-1111-4111-8111-0000000000d' || p_n)::uuid
$$;
grant execute on function tests.complete(integer) to authenticated;

select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select lives_ok($$select tests.complete(1)$$, 'a first document');
select lives_ok($$select tests.complete(2)$$, 'the second, at the limit, is accepted');
select throws_ok($$select tests.complete(3)$$, 'CH429',
  'You finished 2 documents in the last 24 hours, the most allowed: try again in 24 h 0 min. '
  'Your answers are kept',
  'the third is refused, saying when to try again');
select is((select row(is_complete, turn_count, history -> 1 ->> 'content')::text
    from public.chat_sessions where id = '81111111-1111-4111-8111-0000000000d3'),
  '(f,2,Acme)', 'the refused session stays open with every answer');
select lives_ok(
  $$select chat_internal.store_review('81111111-1111-4111-8111-0000000000d3',
    'c0000000-0000-4000-8000-000000000001', 2, '{"title":"NDA","content":"Agreed."}')$$,
  'its review is stored');
select throws_ok(
  $$select chat_internal.confirm_review('81111111-1111-4111-8111-0000000000d3',
    'c0000000-0000-4000-8000-000000000001', 2)$$, 'CH429',
  'You finished 2 documents in the last 24 hours, the most allowed: try again in 24 h 0 min. '
  'Your answers are kept',
  'a confirm is refused the same way');
select ok((select review is not null and not is_complete from public.chat_sessions
    where id = '81111111-1111-4111-8111-0000000000d3'),
  'the session stays in review');
select tests.authenticate_as('22222222-2222-4222-8222-222222222222');
select lives_ok($$select tests.complete(5)$$, 'another user finishes a document as before');

select tests.clear_authentication();
update public.generated_documents set created_at = now() - interval '23 hours'
where session_id = '81111111-1111-4111-8111-0000000000d1';
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select is(tests.quota_detail($$select tests.complete(3)$$),
  '{"quota": "documents_per_day", "limit": 2, "retryAfterSeconds": 3600}'::jsonb,
  'the detail gives the seconds until the oldest of them is 24 hours old');
select tests.clear_authentication();
update public.generated_documents set created_at = now() - interval '24 hours'
where session_id = '81111111-1111-4111-8111-0000000000d1';
select tests.authenticate_as('11111111-1111-4111-8111-111111111111');
select lives_ok(
  $$select chat_internal.confirm_review('81111111-1111-4111-8111-0000000000d3',
    'c0000000-0000-4000-8000-000000000001', 2)$$,
  '24 hours after the oldest, the confirm goes through');
select throws_ok($$select tests.complete(4)$$, 'CH429', null,
  'and the next one is refused again');
select tests.clear_authentication();

select is((select count(*)::int from public.generated_documents
    where user_id = '11111111-1111-4111-8111-111111111111'),
  3, 'the user holds exactly the 3 documents accepted');

select * from finish();
rollback;
