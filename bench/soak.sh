#!/usr/bin/env bash
# The soak (RELIABILITY.md): interviews under faults for SOAK_SECONDS (default 180) on a
# PostgreSQL cluster of its own (SOAK_DB_PORT, default 54442), which it restarts on purpose.
#   npm run soak
#   SOAK_SECONDS=900 SOAK_CONCURRENCY=80 FUZZ_SEED=123 npm run soak
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT_DIR"
ensure_node_deps
SOAK_DB_PORT="${SOAK_DB_PORT:-54442}"
export SOAK_DB_PORT
export SUPABASE_DB_URL="postgresql://postgres:postgres@127.0.0.1:$SOAK_DB_PORT/postgres"
# The shared test cluster's port, which the soak must never restart.
export SUPABASE_DB_PORT="${SUPABASE_DB_PORT:-54322}"
[ "$SOAK_DB_PORT" = "$SUPABASE_DB_PORT" ] && die "SOAK_DB_PORT must differ from SUPABASE_DB_PORT"
exec "$DENO" run --allow-all "$ROOT_DIR/bench/soak.ts"
