#!/usr/bin/env bash
# `npm run bench`: brings the local stack up (like scripts/test.sh), raises the open-file limit
# for 10,000 sockets, and runs the benchmark (bench/main.ts). Options are environment variables;
# see bench/options.ts or BENCHMARKS.md. SUPABASE_DB_PORT picks the cluster, as for npm test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT_DIR"

ensure_node_deps
bash scripts/stack.sh up || die "the local stack did not come up"
eval "$(bash scripts/stack.sh env | sed 's/^/export /')"

# Every idle session is a socket in the chat process and another in the load generator.
want=$(( ${BENCH_IDLE_TARGET:-10000} + 2048 ))
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then
  log "the hard open-file limit is $hard; the idle ramp may stop near it (BENCH_IDLE_TARGET)"
  want=$hard
fi
ulimit -n "$want"

exec "$DENO" run --allow-all --no-prompt bench/main.ts "$@"
