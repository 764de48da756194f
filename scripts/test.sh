#!/usr/bin/env bash
# Runs every test from a clean clone: installs what is missing, brings the local stack up,
# checks formatting, lint, types and the database lint, runs the pgTAP suite and the Deno suite,
# and ends with one line "N passed, N failed" totalled over both.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

ensure_node_deps
ensure_chromium
ensure_poppler
bash scripts/stack.sh up || die "the local stack did not come up"
eval "$(bash scripts/stack.sh env | sed 's/^/export /')"

gates_failed=0
gate() {
  local name=$1
  shift
  log "gate: $name"
  if ! "$@" >"$ROOT_DIR/.stack/gate.log" 2>&1; then
    cat "$ROOT_DIR/.stack/gate.log" >&2
    log "gate failed: $name"
    gates_failed=$((gates_failed + 1))
  fi
}
gate "deno fmt --check" "$DENO" fmt --check
gate "deno lint" "$DENO" lint
gate "deno check" "$DENO" check .
gate "supabase db lint" bash -c "'$SUPABASE' db lint --db-url '$SUPABASE_DB_URL?sslmode=disable' \
  --schema public,chat_internal --level warning --fail-on error"

# The template checker over the shipped templates (docs/template_format.md, "Writing a template").
gate "templates check" "$DENO" run --allow-read --allow-env scripts/templates/main.ts check

# What each function's deployed bundle carries, against the platform's limits (docs/hosted.md):
# printed every run, a gate like the others.
log "bundle check: each function as supabase functions deploy would bundle it"
if ! "$DENO" run --allow-read --allow-run scripts/function_bundles.ts; then
  log "gate failed: bundle check"
  gates_failed=$((gates_failed + 1))
fi

# pgTAP: every planned assertion that did not print "ok" counts as failed.
log "pgTAP: supabase/tests/database"
pg_out="$ROOT_DIR/.stack/pgtap.out"
PGOPTIONS="-c client_min_messages=warning" PGPASSWORD=postgres pg_prove --verbose \
  -h 127.0.0.1 -p "$SUPABASE_DB_PORT" -U postgres -d postgres supabase/tests/database/*.test.sql \
  >"$pg_out" 2>&1
pg_status=$?
grep -vE '^\s*(ok [0-9]+|1\.\.[0-9]+)' "$pg_out" | grep -vE '^\s*$' >&2
pg_planned=$(grep -oE '^\s*1\.\.[0-9]+' "$pg_out" | sed -E 's/.*\.\.//' | awk '{ s += $1 } END { print s + 0 }')
pg_passed=$(grep -cE '^\s*ok [0-9]+' "$pg_out")
pg_planned=${pg_planned:-0}
pg_failed=$((pg_planned - pg_passed))
[ "$pg_failed" -lt 0 ] && pg_failed=0
[ "$pg_status" != 0 ] && [ "$pg_failed" = 0 ] && pg_failed=1
log "pgTAP: $pg_passed passed, $pg_failed failed"

# Each pgTAP file creates its helpers (schema tests) and pgTAP itself inside its own transaction:
# nothing of the suite may outlive the run (the advisor would flag leftover functions).
pgtap_leftovers() {
  local found
  found=$(PGOPTIONS="-c client_min_messages=warning" PGPASSWORD=postgres psql -X -q -At \
    "$SUPABASE_DB_URL" -c "select string_agg(what, ', ') from (
      select 'schema ' || nspname as what from pg_namespace where nspname like 'tests%'
      union all select 'extension pgtap' from pg_extension where extname = 'pgtap') left_behind") ||
    return 1
  [ -z "$found" ] || { echo "the pgTAP run left behind: $found"; return 1; }
}
gate "pgTAP leaves nothing behind" pgtap_leftovers

# Deno: unit tests and end-to-end tests against the running stack.
# "ok | 38 passed (111 steps) | 0 failed": tests and their steps both count.
deno_passed=0
deno_failed=0
run_deno() {
  local out=$1
  shift
  "$DENO" test --allow-all --no-prompt "$@" 2>&1 | tee "$out"
  local status=${PIPESTATUS[0]} summary passed failed
  summary=$(sed -E 's/\x1b\[[0-9;]*m//g' "$out" | grep -E '^(ok|FAILED) \| [0-9]+ passed' | tail -1)
  count() { printf '%s' "$summary" | grep -oE "[0-9]+ $1( \([0-9]+ steps\))?" |
    grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }'; }
  passed=$(count passed)
  failed=$(count failed)
  [ "$status" != 0 ] && [ "$failed" = 0 ] && failed=1
  deno_passed=$((deno_passed + passed))
  deno_failed=$((deno_failed + failed))
}
log "deno test"
run_deno "$ROOT_DIR/.stack/deno-test.out" "$@"

# The functions' end-to-end suites a second time, through PgBouncer in transaction mode
# (E2E_DB_VIA=pooler): every function (chat, documents, cleanup, interviewer) gets DB_URL = the
# pooler, DB_PREPARE=false and no SUPABASE_DB_URL; unprepared statements, no session state,
# supersede by the poll. pooler_route_e2e_test.ts always uses the pooler: first pass only. Skipped
# when arguments pick tests, unless POOLER_E2E=1.
if [ $# = 0 ] || [ "${POOLER_E2E:-}" = 1 ]; then
  log "deno test: the end-to-end suites through the transaction pooler ($SUPABASE_POOLER_URL)"
  mapfile -t pooler_suites < <(find supabase/functions client -name '*_e2e_test.ts' \
    -not -name '*_browser_e2e_test.ts' -not -name 'connection_budget_e2e_test.ts' \
    -not -name 'pooler_recovery_e2e_test.ts' -not -name 'least_privilege_e2e_test.ts' \
    -not -name 'pooler_route_e2e_test.ts' | sort)
  E2E_DB_VIA=pooler run_deno "$ROOT_DIR/.stack/deno-test-pooler.out" "$@" "${pooler_suites[@]}"
fi

# The end-to-end tests share the local database with `npm start`: remove what they created.
PGOPTIONS="-c client_min_messages=warning" PGPASSWORD=postgres psql -X -q -v ON_ERROR_STOP=1 \
  "$SUPABASE_DB_URL" -c "delete from realtime.messages where topic in
        (select 'user:' || id from auth.users where email like '%@example.test')" \
  -c "delete from auth.users where email like '%@example.test'" \
  -c "delete from public.document_templates t where t.slug like 'test-%'
        and not exists (select 1 from public.chat_sessions s where s.template_id = t.id)
        and not exists (select 1 from public.generated_documents d where d.template_id = t.id)" \
  >/dev/null || log "could not remove the tests' data (it is harmless)"

passed=$((pg_passed + deno_passed))
failed=$((pg_failed + deno_failed))
[ "$gates_failed" -gt 0 ] && log "$gates_failed gate(s) failed (see above)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$gates_failed" = 0 ]
