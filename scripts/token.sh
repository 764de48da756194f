#!/usr/bin/env bash
# Prints a local access token for a user of the local stack (development only).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT_DIR/scripts/env.sh"
# --allow-write: the first token makes the local signing key when the stack has not yet.
exec "$DENO" run --allow-net --allow-env --allow-read --allow-write "$ROOT_DIR/scripts/dev_token.ts" "$@"
