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

# Debian's chromium for the browser test (driven by playwright-core, which never downloads a
# browser). Installed with apt-get when running as root; otherwise one line says what to install.
CHROMIUM=/usr/bin/chromium
ensure_chromium() {
  [ -x "$CHROMIUM" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's chromium for the browser test"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2 ||
      die "apt-get install chromium failed"
  else
    die "the browser test needs Debian's chromium: sudo apt-get install chromium"
  fi
}

# Debian's poppler-utils (pdftotext, pdfinfo): the documents function's tests read its PDFs back
# with them. Installed with apt-get when running as root; otherwise one line says what to install.
ensure_poppler() {
  command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's poppler-utils for the documents tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils) >&2 ||
      die "apt-get install poppler-utils failed"
  else
    die "the documents tests need Debian's poppler-utils: sudo apt-get install poppler-utils"
  fi
}
