# Shared helpers for the project's scripts. Sourced, never run.
# shellcheck shell=bash

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN_DIR="$ROOT_DIR/node_modules/.bin"
DENO="$BIN_DIR/deno"
SUPABASE="$BIN_DIR/supabase"
export DENO_NO_UPDATE_CHECK=1
export SUPABASE_TELEMETRY_DISABLED=1
export DO_NOT_TRACK=1

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() { printf '[%s] error: %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }

# Installs the pinned deno and supabase CLI from package-lock.json when missing or stale.
ensure_node_deps() {
  local marker="$ROOT_DIR/node_modules/.package-lock.json"
  if [ ! -x "$DENO" ] || [ ! -x "$SUPABASE" ] || [ "$ROOT_DIR/package-lock.json" -nt "$marker" ]; then
    log "installing the pinned deno and supabase CLI (npm ci)"
    (cd "$ROOT_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
      die "npm ci failed"
  fi
}
