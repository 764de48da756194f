-- Each function's own login role on the local stack: none a superuser, none BYPASSRLS, each with
-- what its function needs and nothing else (docs/database.md, "Each function's login role").
-- Applied by scripts/stack.sh after the migrations, on every `up`: idempotent. Not a migration,
-- because a hosted project creates roles in the dashboard; the same statements work there, run
-- by `postgres` in the SQL editor or with psql:
--
--   psql "$SUPABASE_DB_URL" -v ON_ERROR_STOP=1 -v chat_login_password=... \
--     -v documents_login_password=... -v cleanup_login_password=... \
--     -v interviewer_login_password=... -f scripts/function_roles.sql
--
-- CREATE ROLE gives NOSUPERUSER and NOBYPASSRLS; an ALTER that named them would need a superuser,
-- which a hosted project's postgres is not, so they are left to the default (and the test in
-- supabase/functions/_shared/platform/function_logins_e2e_test.ts checks them).

select format('create role %I', role_name)
from unnest(array['chat_login', 'documents_login', 'cleanup_login', 'interviewer_login']) role_name
where not exists (select from pg_catalog.pg_roles r where r.rolname = role_name)
\gexec

-- The chat: only the right to become `authenticated` (per connection or per transaction, where
-- the caller's claims and RLS apply), and the supersede poll, which runs for no user.
alter role chat_login login noinherit password :'chat_login_password';
grant authenticated to chat_login;
grant usage on schema chat_internal to chat_login;
grant execute on function chat_internal.superseded_connections(uuid[], uuid[]) to chat_login;

-- The documents function: only the right to become `authenticated`; it reads under RLS with the
-- caller's claims.
alter role documents_login login noinherit password :'documents_login_password';
grant authenticated to documents_login;

-- The cleanup: the purge (one batch) and its dry run, which run as their owner. No table.
alter role cleanup_login login noinherit password :'cleanup_login_password';
grant execute on function public.purge_stale_chat_sessions(interval, integer) to cleanup_login;
grant execute on function public.count_stale_chat_sessions(interval) to cleanup_login;

-- The interviewer: the sessionId-only read of one stored interview, which runs as its owner.
alter role interviewer_login login noinherit password :'interviewer_login_password';
grant usage on schema chat_internal to interviewer_login;
grant execute on function chat_internal.read_stored_interview(uuid) to interviewer_login;
