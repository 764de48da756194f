// The interview with answers as people type them: units, number words, relative dates read in
// the person's time zone, and the `understood` echo of what was stored.
import assert from "node:assert/strict";
import { nextStep, type Turn, validateEdit } from "./interview_engine.ts";
import { readInterview } from "./interview_state.ts";
import { parseTemplate } from "./template.ts";

const template = parseTemplate({
  id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
  slug: "natural",
  name: "Natural",
  questions: [
    { id: "years", text: "For how many years?", type: "number", unit: "year", min: 1, max: 10 },
    { id: "start", text: "Start?", type: "date", label: "the start date", notBefore: "today" },
    { id: "end", text: "End?", type: "date", after: "start", required: false },
  ],
  body: "For {{years}} years from {{start}}{{#if end}} to {{end}}{{/if}}.",
});

function turns(at: string, ...answers: [string, string][]): Turn[] {
  return answers.map(([questionId, content]) => ({ role: "user", content, questionId, at }));
}

// 23:30 UTC on Monday, December 7, 2026: already Tuesday the 8th in Berlin.
const LATE_MONDAY = "2026-12-07T23:30:00Z";

Deno.test("nextStep with natural answers", async (t) => {
  await t.step("a number in words with its unit is stored as the number, and echoed", () => {
    const step = nextStep(template, turns(LATE_MONDAY, ["years", "three years"]), {
      protocol: "v2",
    });
    assert.equal(step.status === "in_progress" && step.nextQuestion.id, "start");
    assert.deepEqual(step.understood, { questionId: "years", answer: "3" });
  });

  await t.step("a unit that is not the question's is refused in the user's words", () => {
    const step = nextStep(template, turns(LATE_MONDAY, ["years", "twelve months"]), {
      protocol: "v2",
    });
    assert.deepEqual(
      step.status === "in_progress" && step.nextQuestion.problem,
      "This asks for a number of years, not months.",
    );
    assert.equal(step.understood, undefined, "nothing was stored");
  });

  await t.step("the asked unit in digits is no reinterpretation", () => {
    const step = nextStep(template, turns(LATE_MONDAY, ["years", "3 years"]), { protocol: "v2" });
    assert.equal(step.understood, undefined);
  });

  await t.step("relative dates resolve against today in the person's time zone", () => {
    const history = turns(LATE_MONDAY, ["years", "3"], ["start", "tomorrow"]);
    const utc = nextStep(template, history, { protocol: "v2" });
    assert.deepEqual(utc.understood, { questionId: "start", answer: "December 8, 2026" });
    const berlin = nextStep(template, history, { protocol: "v2", timeZone: "Europe/Berlin" });
    assert.deepEqual(berlin.understood, { questionId: "start", answer: "December 9, 2026" });
    const unknown = nextStep(template, history, { protocol: "v2", timeZone: "Nowhere/Else" });
    assert.deepEqual(unknown.understood, utc.understood, "an unknown zone is UTC");
  });

  await t.step("a relative answer keeps its meaning when the interview is read later", () => {
    const history = [
      ...turns(LATE_MONDAY, ["years", "3"], ["start", "tomorrow"]),
      ...turns("2026-12-08T09:00:00Z", ["end", "in two weeks"]),
    ];
    const state = readInterview(template, history, { today: "2026-12-08" });
    assert.equal(state.answers.get("start"), "December 8, 2026", "typed on the 7th");
    assert.equal(state.answers.get("end"), "December 22, 2026", "typed on the 8th");
    const step = nextStep(template, history, { protocol: "v2", today: "2026-12-08" });
    assert.equal(step.status, "complete");
    assert.deepEqual(step.understood, { questionId: "end", answer: "December 22, 2026" });
  });

  await t.step("the template's date rules still apply to what was understood", () => {
    const history = turns(LATE_MONDAY, ["years", "3"], ["start", "yesterday"]);
    const step = nextStep(template, history, { protocol: "v2", timeZone: "Europe/Berlin" });
    assert.equal(
      step.status === "in_progress" && step.nextQuestion.problem,
      "Please give a date that is today (December 8, 2026) or later.",
    );
    const end = nextStep(template, [
      ...history.slice(0, 1),
      ...turns(LATE_MONDAY, ["start", "Dec 20"], ["end", "Dec 14"]),
    ], {
      protocol: "v2",
    });
    assert.equal(
      end.status === "in_progress" && end.nextQuestion.problem,
      "Please give a date after the start date (December 20, 2026).",
    );
  });

  await t.step("the original contract carries no understood", () => {
    const step = nextStep(template, turns(LATE_MONDAY, ["years", "three years"]));
    assert.equal(step.understood, undefined);
  });

  await t.step("the date hint is on the first ask; a refusal's example is in the future", () => {
    const first = nextStep(template, turns(LATE_MONDAY, ["years", "3"]), { protocol: "v2" });
    assert.equal(
      first.status === "in_progress" && first.nextQuestion.hint,
      "A date such as Dec 14, 14/12 (day/month), tomorrow or next Monday.",
    );
    const refused = nextStep(template, turns(LATE_MONDAY, ["years", "3"], ["start", "soon"]), {
      protocol: "v2",
    });
    assert.equal(
      refused.status === "in_progress" && refused.nextQuestion.problem,
      "Please give a date such as December 14, 2026, tomorrow or next Monday.",
    );
  });
});

Deno.test("validateEdit reads a relative date on the day of the edit", () => {
  const history = turns(LATE_MONDAY, ["years", "3"], ["start", "Dec 20"]);
  assert.deepEqual(
    validateEdit(template, history, {
      questionId: "start",
      content: "next Monday",
      at: "2026-12-15T08:00:00Z",
      timeZone: "America/New_York",
    }),
    { ok: true, value: "December 21, 2026" },
  );
  assert.deepEqual(
    validateEdit(template, history, { questionId: "years", content: "two years" }),
    { ok: true, value: "2" },
  );
});
