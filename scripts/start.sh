#!/usr/bin/env bash
# Starts the whole product locally: the Postgres stack, then every function that exists, each
# as its own supervised Deno process with the local settings, restarted when it dies. Ctrl-C or
# SIGTERM stops the functions (the database keeps running; `npm run stack -- down` stops it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

ensure_node_deps
bash scripts/stack.sh up
# shellcheck source=/dev/null
source scripts/env.sh

# The gateway serves the platform's URL layout on GATEWAY_PORT (54321, as `supabase start`), and
# SUPABASE_URL names it: the functions fetch the signing keys from its JWKS and expect its issuer.
# On another port, .env.example's SUPABASE_URL follows it; a SUPABASE_URL of your own is kept.
GATEWAY_PORT=${GATEWAY_PORT:-54321}
[[ "$GATEWAY_PORT" =~ ^[0-9]+$ ]] && [ "$GATEWAY_PORT" -ge 1 ] && [ "$GATEWAY_PORT" -le 65535 ] ||
  die "GATEWAY_PORT must be a port number from 1 to 65535, got \"$GATEWAY_PORT\""
export GATEWAY_PORT
if [ "${SUPABASE_URL:-}" = "http://127.0.0.1:54321" ]; then
  export SUPABASE_URL="http://127.0.0.1:$GATEWAY_PORT"
fi

# One supervisor per process (scripts/supervise.sh): a function that dies is started again with
# a backoff while the others keep serving. Ctrl-C or SIGTERM stops every supervisor and its process.
# shellcheck source=scripts/supervise.sh
source scripts/supervise.sh
pids=()
stop() {
  trap - INT TERM
  log "stopping the functions"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
  exit 0
}
trap stop INT TERM

# The platform's memory limit is 256 MB per function. A capped V8 heap also makes the collector
# return idle connections' garbage: 10,000 idle chat sessions in 379 MiB instead of 580
# (BENCHMARKS.md). FUNCTION_MAX_HEAP_MB=0 leaves V8's default; CHAT_MAX_HEAP_MB, the older name,
# still sets the chat's own.
heap_flags() {
  local mb=$1 variable=$2
  [[ "$mb" =~ ^[0-9]+$ ]] || die "$variable must be a whole number of MB (0: V8's default), got \"$mb\""
  [ "$mb" = 0 ] || echo "--v8-flags=--max-old-space-size=$mb"
}
function_heap_flag=$(heap_flags "${FUNCTION_MAX_HEAP_MB:-256}" FUNCTION_MAX_HEAP_MB)
chat_heap_flag=$(heap_flags "${CHAT_MAX_HEAP_MB:-${FUNCTION_MAX_HEAP_MB:-256}}" CHAT_MAX_HEAP_MB)

# Each function logs in as its own role (scripts/function_roles.sql, created by stack.sh), none a
# superuser, on the direct connection. A DB_URL set in .env or the environment points every
# function at that URL instead.
function_db_url() {
  local name=$1 password_variable
  password_variable="$(printf '%s' "$name" | tr '[:lower:]' '[:upper:]')_LOGIN_PASSWORD"
  [ -n "${!password_variable:-}" ] || die "$password_variable is not set (see .env.example)"
  printf 'postgresql://%s_login:%s@127.0.0.1:%s/postgres' "$name" "${!password_variable}" \
    "${SUPABASE_DB_PORT:-54322}"
}

serve() {
  local name=$1 port=$2 heap_flag=$3
  shift 3
  local entry="supabase/functions/$name/index.ts" db_url
  [ -f "$entry" ] || return 0
  db_url=${DB_URL:-$(function_db_url "$name")}
  log "serving $name on http://127.0.0.1:$port as database user $(printf '%s' "$db_url" | sed -E 's|^[a-z]+://([^:@/]*).*|\1|')"
  # Each function with its own import map and lock, as `supabase functions deploy` bundles it.
  DB_URL=$db_url WEBSOCKET_PORT=$port supervise "$name" "$DENO" run --config "supabase/functions/$name/deno.json" \
    --allow-net --allow-env --allow-read --allow-sys ${heap_flag:+"$heap_flag"} "$@" "$entry"
  pids+=("$supervisor_pid")
}
serve interviewer "${INTERVIEWER_PORT:-8081}" "$function_heap_flag"
serve cleanup "${CLEANUP_PORT:-8082}" "$function_heap_flag"
serve documents "${DOCUMENTS_PORT:-8084}" "$function_heap_flag"
chat_flags=()
# CHAT_PROCESSES > 1: that many chat processes share the port (reusePort, behind --unstable-net in
# Deno 2.9) and the kernel spreads connections over them; last connection wins across them as
# across any instances. On 2 cores one process is as fast (BENCHMARKS.md); more pay on more cores.
chat_processes=${CHAT_PROCESSES:-1}
[[ "$chat_processes" =~ ^[1-9][0-9]*$ ]] || die "CHAT_PROCESSES must be a whole number from 1, got \"$chat_processes\""
if [ "$chat_processes" -gt 1 ]; then
  export WEBSOCKET_REUSE_PORT=true
  chat_flags+=(--unstable-net)
fi
for ((i = 0; i < chat_processes; i++)); do
  serve chat "$WEBSOCKET_PORT" "$chat_heap_flag" ${chat_flags[@]+"${chat_flags[@]}"}
done
[ ${#pids[@]} -gt 0 ] || die "no function to serve"
# The gateway in front of them (scripts/gateway/): /functions/v1/<name>/... to each function's port,
# verify_jwt from supabase/config.toml, and the local signing key's JWKS. Not a function: no cap.
supervise gateway "$DENO" run --allow-net --allow-env --allow-read --allow-write \
  scripts/gateway/main.ts
pids+=("$supervisor_pid")
# The demo page and its dev-only token endpoint: local development only, never deployed.
if [ "${DEV_PORTAL:-false}" = true ]; then
  supervise dev_portal "$DENO" run --allow-net --allow-env --allow-read --allow-sys --allow-run \
    scripts/dev_portal.ts
  pids+=("$supervisor_pid")
fi
gateway="127.0.0.1:$GATEWAY_PORT"
log "ready, at the platform's URLs (the gateway on $gateway):"
log "  chat        ws://$gateway/functions/v1/chat?templateId=..., health http://$gateway/functions/v1/chat/health"
log "  documents   http://$gateway/functions/v1/documents (and /documents/<id>, /documents/interviews)"
log "  interviewer http://$gateway/functions/v1/interviewer/v1/chat/next-question"
log "  cleanup     http://$gateway/functions/v1/cleanup"
log "  signing keys (JWKS) http://$gateway/auth/v1/.well-known/jwks.json"
log "each function also answers on its own port: chat $WEBSOCKET_PORT, interviewer ${INTERVIEWER_PORT:-8081}, cleanup ${CLEANUP_PORT:-8082}, documents ${DOCUMENTS_PORT:-8084}"
[ "${DEV_PORTAL:-false}" = true ] && log "demo page: http://127.0.0.1:${DEV_PORTAL_PORT:-8083}/"
# Until Ctrl-C or SIGTERM (stop exits); a supervisor ends only when told to.
wait
stop
