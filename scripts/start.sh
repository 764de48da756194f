#!/usr/bin/env bash
# Starts the whole product locally: the Postgres stack, then every function that exists, each
# as its own Deno process with the local settings. Ctrl-C stops the functions (the database
# keeps running; `npm run stack -- down` stops it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

ensure_node_deps
bash scripts/stack.sh up
# shellcheck source=/dev/null
source scripts/env.sh

pids=()
stop() {
  trap - INT TERM
  log "stopping the functions"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
}
trap stop INT TERM

serve() {
  local name=$1 port=$2
  shift 2
  local entry="supabase/functions/$name/index.ts"
  [ -f "$entry" ] || return 0
  log "serving $name on http://127.0.0.1:$port"
  WEBSOCKET_PORT=$port "$DENO" run --allow-net --allow-env --allow-read --allow-sys "$@" "$entry" &
  pids+=($!)
}
serve interviewer "$INTERVIEWER_PORT"
serve cleanup "$CLEANUP_PORT"
# A capped V8 heap makes the collector return idle connections' garbage: 10,000 idle sessions in
# 379 MiB instead of 580 (BENCHMARKS.md). CHAT_MAX_HEAP_MB=0 leaves V8's default.
if [ "${CHAT_MAX_HEAP_MB:-256}" != 0 ]; then
  serve chat "$WEBSOCKET_PORT" "--v8-flags=--max-old-space-size=${CHAT_MAX_HEAP_MB:-256}"
else
  serve chat "$WEBSOCKET_PORT"
fi
[ ${#pids[@]} -gt 0 ] || die "no function to serve"
# The demo page and its dev-only token endpoint: local development only, never deployed.
if [ "${DEV_PORTAL:-false}" = true ]; then
  "$DENO" run --allow-net --allow-env --allow-read --allow-sys --allow-run scripts/dev_portal.ts &
  pids+=($!)
fi
log "ready: chat on ws://127.0.0.1:$WEBSOCKET_PORT/chat, health on http://127.0.0.1:$WEBSOCKET_PORT/health"
[ "${DEV_PORTAL:-false}" = true ] && log "demo page: http://127.0.0.1:${DEV_PORTAL_PORT:-8083}/"
wait -n || true
stop
