import assert from "node:assert/strict";
import {
  BECOME_AUTHENTICATED,
  missingReason,
  PURGE_NEEDS,
  roleCheckQuery,
  roleReportOf,
  supersedePollNeed,
} from "./login_role_check.ts";

Deno.test("roleCheckQuery asks every need as one column of one row", () => {
  const query = roleCheckQuery([BECOME_AUTHENTICATED, ...PURGE_NEEDS]);
  assert.match(query, /as need_0/);
  assert.match(query, /as need_2/);
  assert.doesNotMatch(query, /need_3/);
  assert.match(query, /where r\.rolname = session_user/);
});

Deno.test("roleReportOf names what a required need lacks, and only that", () => {
  let polling = false;
  const needs = [BECOME_AUTHENTICATED, supersedePollNeed(() => polling)];
  const row = {
    role: "chat_x",
    superuser: false,
    bypasses_rls: false,
    need_0: true,
    need_1: false,
  };
  assert.deepEqual(roleReportOf(row, needs), {
    role: "chat_x",
    superuser: false,
    bypassesRls: false,
    missing: [],
  });
  polling = true;
  const report = roleReportOf(row, needs);
  assert.deepEqual(report.missing, [
    '"chat_x" cannot execute chat_internal.superseded_connections(uuid[], uuid[]) (the supersede ' +
    "poll): grant usage on schema chat_internal and execute on function " +
    "chat_internal.superseded_connections(uuid[], uuid[]) to chat_x",
  ]);
  assert.match(missingReason(report)!, /^The database login "chat_x" lacks what this function/);
});

Deno.test("missingReason is undefined when nothing is missing", () => {
  const report = { role: "r", superuser: true, bypassesRls: true, missing: [] };
  assert.equal(missingReason(report), undefined);
});
