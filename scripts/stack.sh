#!/usr/bin/env bash
# The local Supabase stack without Docker: a private PostgreSQL 15 cluster with pg_cron, the
# platform bootstrap (what hosted Supabase already has), then the project's migrations and
# seed applied by the pinned Supabase CLI.
#
#   scripts/stack.sh up      install what is missing, start the cluster, apply migrations + seed
#   scripts/stack.sh down    stop the cluster (data kept) and PgBouncer (SUPABASE_POOLER_KEEP=1: not it)
#   scripts/stack.sh reset   stop, delete the data, and bring it up again
#   scripts/stack.sh status  say whether it runs, and where
#   scripts/stack.sh env     print the connection settings as KEY=value lines
#
# SUPABASE_DB_PORT (default 54322) picks the port; the data lives in .stack/ in the repo. A cluster
# that applied a migration supabase/migrations no longer has, or has changed since, is rebuilt.
# `up` also starts PgBouncer in transaction mode in front of the cluster, as Supabase's transaction
# pooler, on SUPABASE_POOLER_PORT (default 6543); `down` stops it.
# `up` also makes the local ES256 signing key in .stack/signing_keys.json once (the gateway of
# `npm start` publishes it; development tokens are signed with it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_MAJOR=15
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"
PG_EXT_DIR="/usr/share/postgresql/$PG_MAJOR/extension"
PG_PACKAGES=(postgresql-15 postgresql-15-pgtap postgresql-15-cron postgresql-15-plpgsql-check
  libtap-parser-sourcehandler-pgtap-perl pgbouncer)
PGBOUNCER=/usr/sbin/pgbouncer
DB_PORT="${SUPABASE_DB_PORT:-54322}"
DB_PASSWORD=postgres
STACK_DIR="$ROOT_DIR/.stack"
PG_DIR="$STACK_DIR/pg-$DB_PORT"
DB_URL="postgresql://postgres:$DB_PASSWORD@127.0.0.1:$DB_PORT/postgres"
POOLER_PORT="${SUPABASE_POOLER_PORT:-6543}"
POOLER_URL="postgresql://postgres:$DB_PASSWORD@127.0.0.1:$POOLER_PORT/postgres"
# The pooler's limits, as on Supabase's smallest compute (docs/operations.md, the budget):
# at most POOLER_MAX_CLIENTS client connections, and POOLER_POOL_SIZE server connections (database
# backends) per database and user pair.
POOLER_MAX_CLIENTS="${SUPABASE_POOLER_MAX_CLIENTS:-200}"
POOLER_POOL_SIZE="${SUPABASE_POOLER_POOL_SIZE:-15}"

# PostgreSQL refuses to run as root: as root, run its commands as the postgres user.
RUNUSER=$(command -v runuser || echo /usr/sbin/runuser)
as_pg() {
  if [ "$(id -u)" = 0 ]; then "$RUNUSER" -u postgres -- "$@"; else "$@"; fi
}

packages_missing() {
  [ -x "$PG_BIN/postgres" ] || return 0
  [ -f "$PG_EXT_DIR/pgtap.control" ] || return 0
  [ -f "$PG_EXT_DIR/pg_cron.control" ] || return 0
  [ -f "$PG_EXT_DIR/plpgsql_check.control" ] || return 0
  command -v pg_prove >/dev/null || return 0
  [ -x "$PGBOUNCER" ] || return 0
  return 1
}

ensure_packages() {
  packages_missing || return 0
  if [ "$(id -u)" != 0 ]; then
    die "PostgreSQL $PG_MAJOR is missing; install these Debian packages first: sudo apt-get install ${PG_PACKAGES[*]}"
  fi
  log "installing ${PG_PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || die "apt-get update failed"
  # Debian's postgresql-common would create and start a cluster of its own on 5432; we do not want it.
  mkdir -p /etc/postgresql-common
  [ -f /etc/postgresql-common/createcluster.conf ] ||
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
  # --no-upgrade: a running cluster must not find a newer minor version's libraries under it.
  apt-get install -y -qq --no-install-recommends --no-upgrade "${PG_PACKAGES[@]}" >&2 ||
    die "apt-get install ${PG_PACKAGES[*]} failed"
  PACKAGES_INSTALLED=1
  packages_missing && die "the PostgreSQL packages installed but $PG_BIN or an extension is still missing"
  return 0
}

# As root the cluster belongs to postgres, who must be able to reach the repo's .stack folder;
# when the checkout sits somewhere postgres cannot enter (a 0700 home), fall back to a folder
# of postgres's own, named after the checkout.
resolve_pg_dir() {
  mkdir -p "$STACK_DIR"
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PG_DIR"
    chown postgres:postgres "$PG_DIR"
    if ! "$RUNUSER" -u postgres -- test -w "$PG_DIR"; then
      local key
      key=$(printf '%s' "$ROOT_DIR" | md5sum | cut -c1-12)
      PG_DIR="/var/lib/postgresql/guided-document-chat-$key/pg-$DB_PORT"
      mkdir -p "$PG_DIR"
      chown -R postgres:postgres "$(dirname "$PG_DIR")"
      log "postgres cannot write inside $ROOT_DIR; the cluster lives in $PG_DIR"
      printf '%s\n' "$PG_DIR" >"$STACK_DIR/pg-$DB_PORT.location"
    fi
  else
    mkdir -p "$PG_DIR"
  fi
}

running() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; }

# Progress lines, silenced while rebuild_cluster says in one line what it does.
QUIET=0
say() { [ "$QUIET" = 1 ] || log "$@"; }

init_cluster() {
  [ -f "$PG_DIR/data/PG_VERSION" ] && return 0
  say "creating a cluster in $PG_DIR/data"
  local pwfile="$PG_DIR/pwfile"
  printf '%s\n' "$DB_PASSWORD" >"$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pwfile"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --pwfile="$pwfile" -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 ||
    die "initdb failed: see $PG_DIR/initdb.log"
  rm -f "$pwfile"
  as_pg mkdir -p "$PG_DIR/run"
  as_pg tee -a "$PG_DIR/data/postgresql.conf" >/dev/null <<CONF

# guided-document-chat local stack
listen_addresses = '127.0.0.1'
port = $DB_PORT
unix_socket_directories = '$PG_DIR/run'
wal_level = logical
max_connections = 300
shared_buffers = 256MB
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
# run jobs in background workers: no libpq connection, so no password is needed
cron.use_background_workers = on
max_worker_processes = 16
cron.timezone = 'UTC'
timezone = 'UTC'
log_min_messages = warning
log_min_error_statement = fatal
CONF
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$DB_PORT") 2>/dev/null; }

# The cluster's port lies in Linux's ephemeral range (32768-60999), so any outgoing connection may
# be given it as its local port and hold it for as long as it lives: a cluster started while a test
# suite has sockets open (the recovery tests' own clusters, a second stack) can then not bind.
# Reserving the port keeps the kernel from handing it out; it needs root, and without root the
# retries in start_cluster are all there is. The reservation lasts until the next reboot.
reserve_port() {
  local file=/proc/sys/net/ipv4/ip_local_reserved_ports current
  [ -w "$file" ] || return 0
  current=$(cat "$file" 2>/dev/null) || return 0
  case ",$current," in *",$DB_PORT,"*) return 0 ;; esac
  echo "${current:+$current,}$DB_PORT" >"$file" 2>/dev/null || true
}

PACKAGES_INSTALLED=0

start_cluster() {
  if running && [ "$PACKAGES_INSTALLED" = 1 ]; then
    # apt may have brought a dependency's newer build: load the installed binaries.
    log "restarting the cluster on the freshly installed packages"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 restart -l "$PG_DIR/postgres.log" \
      >/dev/null || die "PostgreSQL did not restart: see $PG_DIR/postgres.log"
    return 0
  fi
  if running; then
    say "cluster already running on 127.0.0.1:$DB_PORT"
    return 0
  fi
  say "starting PostgreSQL $PG_MAJOR on 127.0.0.1:$DB_PORT"
  reserve_port
  # The port lies in Linux's ephemeral range, so a client socket may hold it for a moment:
  # retry for a few seconds before deciding another program owns it.
  local attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if ! port_taken && as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" \
      -w -t 60 start >/dev/null 2>&1; then
      return 0
    fi
    running && return 0
    sleep 1
  done
  port_taken && die "port $DB_PORT is taken by another program; stop it or set SUPABASE_DB_PORT"
  die "PostgreSQL did not start: see $PG_DIR/postgres.log"
}

psql_db() {
  PGOPTIONS="-c client_min_messages=warning" PGPASSWORD="$DB_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 "$DB_URL" "$@"
}

# What `db push` cannot bring up to date: the versions this cluster applied that have no file in
# supabase/migrations any more, or whose file changed since (the CLI keeps each migration's
# statements; they are compared with the file, whitespace and semicolons aside). One a line, as
# "<version> gone" or "<version> changed"; nothing when every applied migration is as its file.
outdated_migrations() {
  local known applied version applied_sum files file_sum
  known=$(psql_db -At -c "select to_regclass('supabase_migrations.schema_migrations') is not null") ||
    die "could not read the cluster's applied migrations"
  [ "$known" = t ] || return 0
  applied=$(psql_db -At -F ' ' -c "select version, md5(regexp_replace(
      array_to_string(coalesce(statements, '{}'), ''), '[[:space:];]', '', 'g'))
    from supabase_migrations.schema_migrations order by 1") ||
    die "could not read the cluster's applied migrations"
  while read -r version applied_sum; do
    [ -n "$version" ] || continue
    files=("$ROOT_DIR"/supabase/migrations/"$version"_*.sql)
    if [ ! -f "${files[0]}" ]; then
      echo "$version gone"
      continue
    fi
    file_sum=$(tr -d '[:space:];' <"${files[0]}" | md5sum | cut -d' ' -f1)
    [ "$file_sum" = "$applied_sum" ] || echo "$version changed"
  done <<<"$applied"
}

# Migrations may be squashed or edited while no project has deployed them: a
# local cluster that applied the old files cannot take the new ones (`db push` refuses versions it
# has no file for, and never re-applies a version). Start it over: a new cluster, the bootstrap,
# the migrations and the seed. Local data is lost.
rebuild_cluster() {
  local outdated=$1
  log "the cluster applied migrations that are gone from or changed in supabase/migrations ($(printf '%s' "$outdated" | paste -sd, - | sed 's/,/, /g')): rebuilding it from scratch, its data is lost"
  QUIET=1
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null ||
    die "could not stop the cluster in $PG_DIR/data"
  rm -rf "$PG_DIR/data"
  init_cluster
  start_cluster
  QUIET=0
}

apply_schema() {
  log "applying the platform bootstrap"
  psql_db -f "$ROOT_DIR/scripts/bootstrap.sql" >/dev/null || die "the platform bootstrap failed"
  log "applying supabase/migrations and the seed with the Supabase CLI"
  (cd "$ROOT_DIR" && "$SUPABASE" db push --db-url "$DB_URL?sslmode=disable" \
    --include-all --include-seed --yes) >"$STACK_DIR/db-push.log" 2>&1 || {
    cat "$STACK_DIR/db-push.log" >&2
    die "supabase db push failed"
  }
  grep -E '^(Applying|Seeding)' "$STACK_DIR/db-push.log" >&2 || true
  # The CLI seeds a database once and afterwards only records a changed seed's hash; the seed is
  # idempotent (insert ... on conflict do update), so apply it again to load template changes.
  grep -qE '^Seeding' "$STACK_DIR/db-push.log" ||
    psql_db -f "$ROOT_DIR/supabase/seed.sql" >/dev/null || die "applying supabase/seed.sql failed"
}

# Each function's own login role (scripts/function_roles.sql, docs/database.md): after the
# migrations, whose routines it grants, and before the pooler's auth file is written, so the
# roles log in through PgBouncer too. Their passwords are .env.example's development values,
# or .env's.
apply_function_roles() {
  log "creating the functions' login roles (scripts/function_roles.sql)"
  (
    # shellcheck source=scripts/env.sh
    source "$ROOT_DIR/scripts/env.sh"
    psql_db -v chat_login_password="$CHAT_LOGIN_PASSWORD" \
      -v documents_login_password="$DOCUMENTS_LOGIN_PASSWORD" \
      -v cleanup_login_password="$CLEANUP_LOGIN_PASSWORD" \
      -v interviewer_login_password="$INTERVIEWER_LOGIN_PASSWORD" \
      -f "$ROOT_DIR/scripts/function_roles.sql" >/dev/null
  ) || die "scripts/function_roles.sql failed"
}

# PgBouncer in transaction mode: each transaction gets any of the pool's server connections, as
# behind Supabase's transaction pooler (port 6543), so nothing may rely on session state, named
# prepared statements or LISTEN. It authenticates clients against an auth_file holding the
# cluster's SCRAM secrets of its login roles, and logs in to the cluster with the same secrets.
POOLER_DIR() { printf '%s' "$PG_DIR/pgbouncer"; }
pooler_running() {
  local pidfile
  pidfile="$(POOLER_DIR)/pgbouncer.pid"
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

write_pooler_config() {
  local dir
  dir=$(POOLER_DIR)
  as_pg mkdir -p "$dir"
  psql_db -At -F ' ' -c "select format('%s %s', to_json(rolname::text), to_json(rolpassword))
      from pg_authid where rolcanlogin and rolpassword is not null order by 1" |
    as_pg tee "$dir/userlist.txt.new" >/dev/null || die "could not read the cluster's login roles"
  as_pg chmod 600 "$dir/userlist.txt.new"
  as_pg mv "$dir/userlist.txt.new" "$dir/userlist.txt"
  as_pg tee "$dir/pgbouncer.ini" >/dev/null <<INI
; written by scripts/stack.sh; rewritten on every up
[databases]
* = host=127.0.0.1 port=$DB_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $POOLER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
pool_mode = transaction
max_client_conn = $POOLER_MAX_CLIENTS
default_pool_size = $POOLER_POOL_SIZE
min_pool_size = 0
reserve_pool_size = 0
max_db_connections = $POOLER_POOL_SIZE
server_idle_timeout = 60
; While the database is away, fail fast instead of queueing clients for minutes: a refused login
; is retried after 1 s, and a client waits at most 10 s for a server connection.
server_login_retry = 1
server_connect_timeout = 5
query_wait_timeout = 10
ignore_startup_parameters = extra_float_digits
admin_users = postgres
stats_users = postgres
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
log_connections = 0
log_disconnections = 0
INI
}

start_pooler() {
  write_pooler_config
  if pooler_running; then
    # Reload: a rebuilt cluster has new SCRAM secrets.
    kill -HUP "$(cat "$(POOLER_DIR)/pgbouncer.pid")"
    say "PgBouncer already running on 127.0.0.1:$POOLER_PORT (configuration reloaded)"
    return 0
  fi
  say "starting PgBouncer (transaction mode) on 127.0.0.1:$POOLER_PORT"
  local attempt
  for attempt in 1 2 3 4 5; do
    # PgBouncer refuses to run as root, like PostgreSQL.
    as_pg "$PGBOUNCER" -d -q "$(POOLER_DIR)/pgbouncer.ini" >/dev/null 2>&1 || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      pooler_running && (exec 3<>"/dev/tcp/127.0.0.1/$POOLER_PORT") 2>/dev/null && return 0
      sleep 0.2
    done
    sleep 1
  done
  die "PgBouncer did not start on 127.0.0.1:$POOLER_PORT: see $(POOLER_DIR)/pgbouncer.log (SUPABASE_POOLER_PORT picks another port)"
}

stop_pooler() {
  pooler_running || return 0
  local pid
  pid=$(cat "$(POOLER_DIR)/pgbouncer.pid")
  # SIGTERM: an immediate shutdown (SIGINT would wait for its clients to leave).
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  log "PgBouncer stopped"
}

# The local ES256 signing key (scripts/local_signing_key.ts), as a new hosted project has one: made
# once in .stack/signing_keys.json (never in git), published by the gateway's JWKS, signing the
# development tokens. Kept across `reset`, which deletes only the database.
ensure_signing_key() {
  (cd "$ROOT_DIR" && "$DENO" run --allow-read --allow-write --allow-env \
    scripts/local_signing_key.ts) >&2 || die "could not make the local signing key (scripts/local_signing_key.ts)"
}

cmd_up() {
  ensure_node_deps
  ensure_signing_key
  ensure_packages
  resolve_pg_dir
  init_cluster
  start_cluster
  local outdated
  outdated=$(outdated_migrations)
  [ -z "$outdated" ] || rebuild_cluster "$outdated"
  apply_schema
  apply_function_roles
  start_pooler
  log "ready: $DB_URL (transaction pooler: $POOLER_URL)"
}

cmd_down() {
  resolve_pg_dir
  # The database first: a test that stops the stack means the database to go away at once.
  if running; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
    log "stopped"
  else
    log "not running"
  fi
  # SUPABASE_POOLER_KEEP=1: the database goes, PgBouncer stays, as when a hosted database restarts
  # behind its pooler.
  [ "${SUPABASE_POOLER_KEEP:-}" = 1 ] || stop_pooler
}

cmd_reset() {
  cmd_down
  log "deleting $PG_DIR"
  rm -rf "$PG_DIR"
  cmd_up
}

cmd_status() {
  resolve_pg_dir
  if running; then echo "running: $DB_URL (data: $PG_DIR/data)"; else echo "stopped"; fi
  if pooler_running; then
    echo "pooler running: $POOLER_URL (transaction mode, pool $POOLER_POOL_SIZE, clients $POOLER_MAX_CLIENTS)"
  else
    echo "pooler stopped"
  fi
}

cmd_env() {
  echo "SUPABASE_DB_URL=$DB_URL"
  echo "SUPABASE_DB_PORT=$DB_PORT"
  echo "SUPABASE_POOLER_URL=$POOLER_URL"
  echo "SUPABASE_POOLER_PORT=$POOLER_PORT"
  echo "SUPABASE_POOLER_POOL_SIZE=$POOLER_POOL_SIZE"
  echo "SUPABASE_POOLER_MAX_CLIENTS=$POOLER_MAX_CLIENTS"
  # The functions' login roles' passwords, as function_roles.sql was given them.
  (
    # shellcheck source=scripts/env.sh
    source "$ROOT_DIR/scripts/env.sh"
    for name in CHAT DOCUMENTS CLEANUP INTERVIEWER; do
      variable="${name}_LOGIN_PASSWORD"
      echo "$variable=${!variable}"
    done
  )
}

case "${1:-up}" in
  up) cmd_up ;;
  down | stop) cmd_down ;;
  reset) cmd_reset ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) die "unknown command \"$1\": use up, down, reset, status or env" ;;
esac
