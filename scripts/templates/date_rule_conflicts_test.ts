import assert from "node:assert/strict";
import { conflictingDateRules, dateRuleEdges } from "./date_rule_conflicts.ts";

const conflicts = (questions: { id: string; [rule: string]: string }[]) =>
  conflictingDateRules(dateRuleEdges(questions)).map((c) => `${c.edge.question}: ${c.chain}`);

Deno.test("rules that can be met together are no conflict", () => {
  assert.deepEqual(
    conflicts([
      { id: "start", notBefore: "today" },
      { id: "offer", notBefore: "today", notAfter: "start" },
      { id: "end", after: "start" },
    ]),
    [],
  );
  // On or after and on or before the same day: that day meets both.
  assert.deepEqual(conflicts([{ id: "d", notBefore: "today", notAfter: "today" }]), []);
});

Deno.test("a strict step in a cycle can never be met, through other questions too", () => {
  assert.deepEqual(conflicts([{ id: "d", notBefore: "today", before: "today" }]), [
    `d: "d" must be on or after today, and "d" must be before today`,
  ]);
  // today <= start < end <= today: each question of the cycle is told.
  assert.deepEqual(
    conflicts([
      { id: "start", notBefore: "today" },
      { id: "end", after: "start", notAfter: "today" },
    ]).map((line) => line.split(":")[0]),
    ["start", "end"],
  );
  const found = conflicts([
    { id: "start", after: "today" },
    { id: "end", notAfter: "start", notBefore: "today", before: "today" },
  ]);
  assert.equal(found.length, 1);
  assert.match(found[0] ?? "", /^end: /);
  assert.deepEqual(
    conflicts([
      { id: "start", notBefore: "today" },
      { id: "end", before: "start", after: "start" },
    ]).map((line) => line.split(":")[0]),
    ["start", "end"],
  );
});
