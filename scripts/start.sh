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
  # Each function with its own import map and lock, as `supabase functions deploy` bundles it.
  WEBSOCKET_PORT=$port "$DENO" run --config "supabase/functions/$name/deno.json" \
    --allow-net --allow-env --allow-read --allow-sys "$@" "$entry" &
  pids+=($!)
}
serve interviewer "$INTERVIEWER_PORT"
serve cleanup "$CLEANUP_PORT"
serve documents "${DOCUMENTS_PORT:-8084}"
# A capped V8 heap makes the collector return idle connections' garbage: 10,000 idle sessions in
# 379 MiB instead of 580 (BENCHMARKS.md). CHAT_MAX_HEAP_MB=0 leaves V8's default.
chat_flags=()
[ "${CHAT_MAX_HEAP_MB:-256}" != 0 ] && chat_flags+=("--v8-flags=--max-old-space-size=${CHAT_MAX_HEAP_MB:-256}")
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
  serve chat "$WEBSOCKET_PORT" ${chat_flags[@]+"${chat_flags[@]}"}
done
[ ${#pids[@]} -gt 0 ] || die "no function to serve"
# The demo page and its dev-only token endpoint: local development only, never deployed.
if [ "${DEV_PORTAL:-false}" = true ]; then
  "$DENO" run --allow-net --allow-env --allow-read --allow-sys --allow-run scripts/dev_portal.ts &
  pids+=($!)
fi
log "ready: chat on ws://127.0.0.1:$WEBSOCKET_PORT/chat, health on http://127.0.0.1:$WEBSOCKET_PORT/health"
log "documents on http://127.0.0.1:${DOCUMENTS_PORT:-8084}/documents and /interviews"
[ "${DEV_PORTAL:-false}" = true ] && log "demo page: http://127.0.0.1:${DEV_PORTAL_PORT:-8083}/"
wait -n || true
stop
