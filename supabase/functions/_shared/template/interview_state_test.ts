import assert from "node:assert/strict";
import { nextStep } from "./interview_engine.ts";
import { currentAnswers, readInterview, validateEdit } from "./interview_state.ts";
import type { Turn } from "../wire/interview_turn.ts";
import { parseTemplate } from "./template.ts";

const template = parseTemplate({
  id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
  slug: "edits",
  name: "Edits",
  questions: [
    { id: "party", text: "Who is the other party?", type: "short_text" },
    { id: "nonsolicit", text: "Include a non-solicitation clause?", type: "yes_no" },
    {
      id: "months",
      text: "For how many months?",
      type: "number",
      min: 1,
      max: 24,
      when: { question: "nonsolicit", equals: "Yes" },
    },
    { id: "start", text: "When does it start?", type: "date", label: "the start date" },
    { id: "end", text: "When does it end?", type: "date", after: "start" },
    { id: "notes", text: "Anything else?", type: "long_text", required: false },
  ],
  body: [
    "# Agreement with {{party}}",
    "",
    "From {{start}} to {{end}}. Non-solicitation: {{nonsolicit}}.",
    "{{#if nonsolicit}}",
    "Non-solicitation for {{months}} months.",
    "{{/if}}",
    "{{#if notes}}",
    "{{notes}}",
    "{{/if}}",
  ].join("\n"),
});

const at = "2026-03-01T00:00:00.000Z";

/** User turns answering [questionId, content] in order; `edit` marks them as edits. */
function answers(pairs: [string, string][], edit = false): Turn[] {
  return pairs.map(([questionId, content]) => ({
    role: "user",
    content,
    questionId,
    at,
    ...(edit ? { edit: true } : {}),
  }));
}

const complete = answers([
  ["party", "Acme"],
  ["nonsolicit", "yes"],
  ["months", "12"],
  ["start", "2026-04-01"],
  ["end", "2026-12-31"],
  ["notes", "skip"],
]);

Deno.test("currentAnswers", async (t) => {
  await t.step("lists each applicable answer in question order, skipped ones as empty", () => {
    assert.deepEqual(currentAnswers(template, complete), [
      { questionId: "party", question: "Who is the other party?", answer: "Acme" },
      { questionId: "nonsolicit", question: "Include a non-solicitation clause?", answer: "Yes" },
      { questionId: "months", question: "For how many months?", answer: "12" },
      { questionId: "start", question: "When does it start?", answer: "April 1, 2026" },
      { questionId: "end", question: "When does it end?", answer: "December 31, 2026" },
      { questionId: "notes", question: "Anything else?", answer: "" },
    ]);
  });

  await t.step("the latest accepted turn for a question is its answer", () => {
    const history = [...complete, ...answers([["party", "Globex"]], true)];
    assert.equal(currentAnswers(template, history)[0]?.answer, "Globex");
    const refused = [...history, ...answers([["party", "skip"]], true)];
    assert.equal(currentAnswers(template, refused)[0]?.answer, "Globex", "a refused edit");
  });

  await t.step("an edit that turns a condition off drops its questions", () => {
    const history = [...complete, ...answers([["nonsolicit", "no"]], true)];
    assert.deepEqual(currentAnswers(template, history).map((a) => a.questionId), [
      "party",
      "nonsolicit",
      "start",
      "end",
      "notes",
    ]);
    const step = nextStep(template, history);
    assert.equal(step.status, "complete");
    assert.doesNotMatch(
      step.status === "complete" ? step.document.content : "",
      /solicitation for/,
    );
  });

  await t.step("the earlier answer counts again when the condition comes back", () => {
    const history = [...complete, ...answers([["nonsolicit", "no"], ["nonsolicit", "yes"]], true)];
    assert.equal(currentAnswers(template, history)[2]?.answer, "12");
  });
});

Deno.test("nextStep with edits", async (t) => {
  await t.step("a condition turned on asks its question next", () => {
    const without = answers([
      ["party", "Acme"],
      ["nonsolicit", "no"],
      ["start", "2026-04-01"],
      ["end", "2026-12-31"],
      ["notes", "skip"],
    ]);
    assert.equal(nextStep(template, without).status, "complete");
    const edited = [...without, ...answers([["nonsolicit", "yes"]], true)];
    assert.deepEqual(nextStep(template, edited), {
      status: "in_progress",
      nextQuestion: { id: "months", text: "For how many months?" },
    });
    const answered = [...edited, ...answers([["months", "6"]])];
    const step = nextStep(template, answered);
    assert.equal(step.status, "complete");
    assert.match(step.status === "complete" ? step.document.content : "", /for 6 months/);
  });

  await t.step("a refused edit is asked again with its problem, then the interview goes on", () => {
    const history = [...complete.slice(0, 3), ...answers([["party", "skip"]], true)];
    assert.deepEqual(nextStep(template, history), {
      status: "in_progress",
      nextQuestion: {
        id: "party",
        text: "This question is required and cannot be skipped. Who is the other party?",
      },
    });
    history.push(...answers([["party", "Initech"]], true));
    const step = nextStep(template, history);
    assert.equal(step.status === "in_progress" && step.nextQuestion.id, "start");
  });

  await t.step("an edit that breaks a later answer's rule asks that question again", () => {
    const history = [...complete, ...answers([["start", "2027-02-01"]], true)];
    assert.deepEqual(nextStep(template, history), {
      status: "in_progress",
      nextQuestion: {
        id: "end",
        // The edit of the start date broke the end date's rule: the problem names the conflict.
        text:
          "This date is now on or before the start date (February 1, 2027): change either one. When does it end?",
      },
    });
    assert.equal(readInterview(template, history).answers.has("end"), false);
  });

  await t.step("the document is assembled from the current answers", () => {
    const history = [...complete, ...answers([["party", "Globex"], ["notes", "Be nice."]], true)];
    const step = nextStep(template, history);
    assert.equal(step.status, "complete");
    assert.equal(
      step.status === "complete" && step.document.content,
      "# Agreement with Globex\n\nFrom April 1, 2026 to December 31, 2026. Non-solicitation: Yes.\nNon-solicitation for 12 months.\n\nBe nice.\n",
    );
  });
});

Deno.test("validateEdit", async (t) => {
  await t.step("gives the normalised value of an acceptable edit", () => {
    assert.deepEqual(
      validateEdit(template, complete, { questionId: "party", content: "  Globex  Inc " }),
      { ok: true, value: "Globex Inc" },
    );
  });

  await t.step("checks rules against the other current answers", () => {
    assert.deepEqual(
      validateEdit(template, complete, { questionId: "end", content: "2026-03-15" }),
      {
        ok: false,
        code: "invalid_answer",
        problem: "Please give a date after the start date (April 1, 2026).",
      },
    );
  });

  await t.step("names questions that do not exist or do not apply", () => {
    assert.deepEqual(validateEdit(template, complete, { questionId: "zz", content: "x" }), {
      ok: false,
      code: "unknown_question",
      problem: 'This template has no question "zz".',
    });
    const without = [...complete, ...answers([["nonsolicit", "no"]], true)];
    assert.equal(
      (validateEdit(template, without, { questionId: "months", content: "3" }) as { code: string })
        .code,
      "not_applicable",
    );
  });

  await t.step("today is taken from the options or the history", () => {
    const dated = parseTemplate({
      ...template,
      questions: [{ id: "start", text: "Start?", type: "date", notBefore: "today" }],
      body: "{{start}}",
    });
    assert.equal(
      validateEdit(dated, [], { questionId: "start", content: "2026-01-01", today: "2026-02-01" })
        .ok,
      false,
    );
    assert.equal(validateEdit(dated, [], { questionId: "start", content: "2026-01-01" }).ok, true);
    assert.equal(
      validateEdit(dated, answers([["start", "2026-04-01"]]), {
        questionId: "start",
        content: "2026-01-01",
      }).ok,
      false,
    );
  });
});

Deno.test("an edit that breaks a later date's rule: that date is asked again, naming the conflict", () => {
  const template = parseTemplate({
    id: "7d0f6c1e-3b2a-4c5d-8e9f-0a1b2c3d4e5f",
    slug: "dates",
    name: "Dates",
    description: "",
    body: "{{start}} {{expiry}}",
    questions: [
      { id: "start", text: "Start?", type: "date", label: "the start date" },
      { id: "expiry", text: "Accept by?", type: "date", notAfter: "start" },
    ],
  });
  const at = "2026-12-01T10:00:00.000Z";
  const history = [
    { role: "assistant" as const, content: "Start?", questionId: "start", at },
    { role: "user" as const, content: "2027-03-01", questionId: "start", at },
    { role: "assistant" as const, content: "Accept by?", questionId: "expiry", at },
    { role: "user" as const, content: "2027-02-15", questionId: "expiry", at },
    { role: "user" as const, content: "2027-02-01", questionId: "start", at, edit: true },
  ];
  const state = readInterview(template, history);
  assert.equal(state.answers.get("start"), "February 1, 2027");
  assert.equal(state.answers.has("expiry"), false);
  assert.equal(
    state.problems.get("expiry"),
    "This date is now after the start date (February 1, 2027): change either one.",
  );
  assert.equal(state.refusedLast, undefined, "the edit itself was accepted");
});
