import assert from "node:assert/strict";
import { validateAnswer } from "./answer_validation.ts";
import { dateRuleProblem, todayAt } from "./date_rules.ts";
import { type Question, questionSchema } from "./template.ts";

function question(fields: Record<string, unknown>): Question {
  return questionSchema.parse({ id: "q", text: "When?", type: "date", ...fields });
}

const start = question({ id: "start", label: "the start date" });
const questions = [start];
const answers = new Map([["start", "March 1, 2027"]]);

Deno.test("todayAt is the date in the earliest time zone", () => {
  assert.equal(todayAt(new Date("2026-12-01T07:45:00Z")), "2026-11-30");
  assert.equal(todayAt(new Date("2026-12-01T12:00:00Z")), "2026-12-01");
  assert.equal(todayAt(new Date("2026-12-01T23:59:59Z")), "2026-12-01");
});

Deno.test("dateRuleProblem", async (t) => {
  await t.step("after and notBefore another question, named by its label", () => {
    const end = question({ after: "start" });
    assert.equal(dateRuleProblem(end, "March 2, 2027", { answers, questions }), undefined);
    assert.equal(
      dateRuleProblem(end, "March 1, 2027", { answers, questions }),
      "Please give a date after the start date (March 1, 2027).",
    );
    const from = question({ notBefore: "start" });
    assert.equal(dateRuleProblem(from, "March 1, 2027", { answers, questions }), undefined);
    assert.equal(
      dateRuleProblem(from, "February 28, 2027", { answers, questions }),
      "Please give a date on or after the start date (March 1, 2027).",
    );
  });

  await t.step("before and notAfter; without a label the date alone", () => {
    const expiry = question({ notAfter: "start" });
    assert.equal(dateRuleProblem(expiry, "March 1, 2027", { answers }), undefined);
    assert.equal(
      dateRuleProblem(expiry, "March 2, 2027", { answers }),
      "Please give a date on or before March 1, 2027.",
    );
    assert.equal(
      dateRuleProblem(question({ before: "start" }), "March 1, 2027", { answers }),
      "Please give a date before March 1, 2027.",
    );
  });

  await t.step("rules against today", () => {
    const today = "2026-12-01";
    const future = question({ notBefore: "today" });
    assert.equal(dateRuleProblem(future, "December 1, 2026", { today }), undefined);
    assert.equal(
      dateRuleProblem(future, "November 30, 2026", { today }),
      "Please give a date that is today (December 1, 2026) or later.",
    );
    assert.equal(
      dateRuleProblem(question({ after: "today" }), "December 1, 2026", { today }),
      "Please give a date after today (December 1, 2026).",
    );
    assert.equal(
      dateRuleProblem(question({ notAfter: "today" }), "December 2, 2026", { today }),
      "Please give a date that is today (December 1, 2026) or earlier.",
    );
    assert.equal(
      dateRuleProblem(question({ before: "today" }), "December 1, 2026", { today }),
      "Please give a date before today (December 1, 2026).",
    );
  });

  await t.step("a rule holds when its other date is unknown", () => {
    const end = question({ after: "start", notBefore: "today" });
    assert.equal(dateRuleProblem(end, "January 1, 2000"), undefined);
    assert.equal(
      dateRuleProblem(end, "January 1, 2000", { answers: new Map([["start", ""]]) }),
      undefined,
    );
  });

  await t.step("the first broken rule is the one named", () => {
    const expiry = question({ notBefore: "today", notAfter: "start" });
    const context = { answers, questions, today: "2026-12-01" };
    assert.equal(dateRuleProblem(expiry, "January 15, 2027", context), undefined);
    assert.match(
      dateRuleProblem(expiry, "January 15, 2020", context) ?? "",
      /today \(.*\) or later/,
    );
    assert.match(dateRuleProblem(expiry, "January 15, 2028", context) ?? "", /on or before the/);
  });
});

Deno.test("validateAnswer checks a date's rules after its form", () => {
  const end = question({ after: "start" });
  assert.deepEqual(validateAnswer(end, "2027-03-15", { answers, questions }), {
    ok: true,
    value: "March 15, 2027",
  });
  assert.deepEqual(validateAnswer(end, "2027-02-15", { answers, questions }), {
    ok: false,
    problem: "Please give a date after the start date (March 1, 2027).",
  });
  assert.deepEqual(validateAnswer(end, "soon", { answers, questions }), {
    ok: false,
    problem: "Please give the date in full, such as March 1, 2030.",
  });
  const optional = question({ after: "start", required: false });
  assert.deepEqual(validateAnswer(optional, "skip", { answers, questions }), {
    ok: true,
    value: "",
  });
});

Deno.test("a rule an edit of the other answer broke names both answers: change either one", () => {
  const expiry = question({ id: "expiry", notAfter: "start", label: "the acceptance date" });
  assert.equal(
    dateRuleProblem(expiry, "March 2, 2027", { answers, questions, conflict: true }),
    "Your acceptance date is now after the start date (March 1, 2027): change either one.",
  );
  const end = question({ after: "start" });
  assert.equal(
    dateRuleProblem(end, "March 1, 2027", { answers, questions, conflict: true }),
    "This date is now on or before the start date (March 1, 2027): change either one.",
  );
  const today = question({ notBefore: "today" });
  assert.equal(
    dateRuleProblem(today, "2026-11-30", { today: "2026-12-01", conflict: true }),
    "Please give a date that is today (December 1, 2026) or later.",
    "today is no answer to change: the plain rule",
  );
});
