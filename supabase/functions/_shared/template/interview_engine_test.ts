import assert from "node:assert/strict";
import { nextStep, OPTIONAL_SUFFIX, type Turn } from "./interview_engine.ts";
import { parseTemplate } from "./template.ts";

const template = parseTemplate({
  id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
  slug: "test",
  name: "Test Agreement",
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
    { id: "start", text: "When does it start?", type: "date" },
    { id: "notes", text: "Anything else?", type: "long_text", required: false },
  ],
  body: [
    "# Agreement with {{party}}",
    "",
    "Starts on {{start}}. Non-solicitation: {{nonsolicit}}.",
    "",
    "{{#if nonsolicit}}",
    "## Non-Solicitation",
    "",
    "Lasts {{months}} months.",
    "",
    "{{/if}}",
    "{{#if notes}}",
    "## Notes",
    "",
    "{{notes}}",
    "{{/if}}",
  ].join("\n"),
});

const at = "2026-03-01T00:00:00.000Z";

/** A conversation in which the user gives `answers` (question id, text) in order. */
function conversation(...answers: [string | undefined, string][]): Turn[] {
  return answers.flatMap(([questionId, content]) => {
    const user: Turn = { role: "user", content, at };
    if (questionId !== undefined) user.questionId = questionId;
    return [{ role: "assistant", content: "?", questionId, at } as Turn, user];
  });
}

function pending(history: Turn[]) {
  const step = nextStep(template, history);
  assert.equal(step.status, "in_progress");
  return step.nextQuestion;
}

function document(history: Turn[]) {
  const step = nextStep(template, history);
  assert.equal(step.status, "complete", JSON.stringify(step));
  return step.document;
}

Deno.test("nextStep", async (t) => {
  await t.step("asks the first question of a new interview", () => {
    assert.deepEqual(pending([]), { id: "party", text: "Who is the other party?" });
  });

  await t.step("asks the first unanswered question", () => {
    assert.deepEqual(pending(conversation(["party", "Acme"])), {
      id: "nonsolicit",
      text: "Include a non-solicitation clause?",
    });
  });

  await t.step("re-asks an invalid answer's question with the hint, then moves on", () => {
    const history = conversation(["party", "Acme"], ["nonsolicit", "maybe"]);
    assert.deepEqual(pending(history), {
      id: "nonsolicit",
      text: "Please answer yes or no. Include a non-solicitation clause?",
    });
    history.push(...conversation(["nonsolicit", "nope"]));
    assert.equal(pending(history).id, "start");
    assert.equal(history.length, 6, "the invalid answer stays in history");
  });

  await t.step("the hint reflects only the latest invalid answer", () => {
    const history = conversation(["party", "Acme"], ["nonsolicit", "No"], ["start", "soon"], [
      "start",
      "2026-02-30",
    ]);
    assert.deepEqual(pending(history), {
      id: "start",
      text:
        "There is no February 30, 2026. Please give a date such as March 8, 2026, tomorrow or next Monday. When does it start?",
    });
  });

  await t.step("marks optional questions and accepts skip", () => {
    const history = conversation(["party", "Acme"], ["nonsolicit", "no"], ["start", "2026-03-01"]);
    assert.deepEqual(pending(history), { id: "notes", text: `Anything else? ${OPTIONAL_SUFFIX}` });
    const doc = document([...history, ...conversation(["notes", "skip"])]);
    assert.equal(
      doc.content,
      "# Agreement with Acme\n\nStarts on March 1, 2026. Non-solicitation: No.\n",
    );
    assert.equal(doc.title, "Agreement with Acme");
  });

  await t.step("refuses skip for a required question", () => {
    assert.deepEqual(pending(conversation(["party", "skip"])), {
      id: "party",
      text: "This question is required and cannot be skipped. Who is the other party?",
    });
  });

  await t.step("asks a conditional question only when its condition holds", () => {
    const yes = conversation(["party", "Acme"], ["nonsolicit", "Yes"]);
    assert.deepEqual(pending(yes), { id: "months", text: "For how many months?" });
    yes.push(...conversation(["months", "30"]));
    assert.deepEqual(pending(yes), {
      id: "months",
      text: "Please give a number from 1 to 24. For how many months?",
    });
    yes.push(...conversation(["months", "12"], ["start", "1 March 2026"], ["notes", "Be nice."]));
    assert.equal(
      document(yes).content,
      "# Agreement with Acme\n\nStarts on March 1, 2026. Non-solicitation: Yes.\n\n## Non-Solicitation\n\nLasts 12 months.\n\n## Notes\n\nBe nice.\n",
    );
  });

  await t.step("ignores answers to a question whose condition no longer holds", () => {
    const history = conversation(
      ["party", "Acme"],
      ["nonsolicit", "Yes"],
      ["months", "12"],
      ["nonsolicit", "No"],
      ["start", "2026-03-01"],
      ["notes", "skip"],
    );
    const doc = document(history);
    assert.doesNotMatch(doc.content, /Non-Solicitation|12/);
  });

  await t.step("the last valid answer wins and later invalid ones do not undo it", () => {
    const history = conversation(
      ["party", "Acme"],
      ["party", "Globex"],
      ["nonsolicit", "no"],
      ["start", "2026-03-01"],
      ["party", ""],
      ["notes", "-"],
    );
    assert.equal(document(history).title, "Agreement with Globex");
  });

  await t.step("a user turn without questionId answers the question asked before it", () => {
    const history = conversation([undefined, "ignored, nothing was asked"]);
    history.push(
      { role: "assistant", content: "Who is the other party?", questionId: "party", at },
      { role: "user", content: "Acme", at },
      { role: "user", content: "Initech", at },
      {
        role: "assistant",
        content: "Include a non-solicitation clause?",
        questionId: "nonsolicit",
        at,
      },
      { role: "user", content: "no", at },
      { role: "user", content: "2026-03-01", questionId: "start", at },
      { role: "user", content: "Stray answer", questionId: "unknown", at },
    );
    assert.equal(pending(history).id, "notes");
    history.push({ role: "user", content: "skip", questionId: "notes", at });
    assert.equal(document(history).title, "Agreement with Initech");
  });

  await t.step("is deterministic", () => {
    const history = conversation(["party", "Acme"], ["nonsolicit", "x"]);
    assert.deepEqual(nextStep(template, history), nextStep(template, history));
  });
});

Deno.test("nextStep checks date rules against earlier answers and today", async (t) => {
  const dated = parseTemplate({
    id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
    slug: "dated",
    name: "Dated",
    questions: [
      { id: "start", text: "Start?", type: "date", label: "the start date", notBefore: "today" },
      { id: "end", text: "End?", type: "date", after: "start" },
    ],
    body: "From {{start}} to {{end}}.",
  });
  const turns = (at: string, ...answers: [string, string][]): Turn[] =>
    answers.map(([questionId, content]) => ({ role: "user", content, questionId, at }));

  await t.step("today is passed in", () => {
    const history = turns(at, ["start", "2026-02-01"]);
    const step = nextStep(dated, history, { today: "2026-01-15" });
    assert.equal(step.status === "in_progress" && step.nextQuestion.id, "end");
    const later = nextStep(dated, history, { today: "2026-02-02" });
    assert.deepEqual(later.status === "in_progress" && later.nextQuestion, {
      id: "start",
      text: "Please give a date that is today (February 2, 2026) or later. Start?",
    });
  });

  await t.step("without it, today is the day of the latest turn", () => {
    const history = turns("2026-02-02T13:00:00Z", ["start", "2026-02-01"]);
    assert.equal(
      (nextStep(dated, history) as { nextQuestion: { id: string } }).nextQuestion.id,
      "start",
    );
    const early = turns("2026-01-31T13:00:00Z", ["start", "2026-02-01"]);
    assert.equal(
      (nextStep(dated, early) as { nextQuestion: { id: string } }).nextQuestion.id,
      "end",
    );
  });

  await t.step("a date is checked against the earlier question's answer", () => {
    const history = turns(at, ["start", "2026-03-10"], ["end", "2026-03-10"]);
    assert.deepEqual((nextStep(dated, history) as { nextQuestion: unknown }).nextQuestion, {
      id: "end",
      text: "Please give a date after the start date (March 10, 2026). End?",
    });
    history.push(...turns(at, ["end", "2026-03-11"]));
    assert.deepEqual(nextStep(dated, history), {
      status: "complete",
      document: {
        title: "Dated",
        content: "From March 10, 2026 to March 11, 2026.\n",
        format: "markdown",
      },
    });
  });
});

Deno.test("nextStep with a protocol", async (t) => {
  await t.step("v2: a structured question and progress over the questions that apply", () => {
    assert.deepEqual(nextStep(template, [], { protocol: "v2" }), {
      status: "in_progress",
      nextQuestion: {
        id: "party",
        text: "Who is the other party?",
        type: "short_text",
        required: true,
      },
      progress: { answered: 0, total: 4 },
    });
    const yes = conversation(["party", "Acme"], ["nonsolicit", "yes"], ["months", "99"]);
    assert.deepEqual(nextStep(template, yes, { protocol: "v2" }), {
      status: "in_progress",
      nextQuestion: {
        id: "months",
        text: "For how many months?",
        type: "number",
        required: true,
        min: 1,
        max: 24,
        hint: "A number from 1 to 24, such as 24 or twenty-four.",
        problem: "Please give a number from 1 to 24.",
      },
      progress: { answered: 2, total: 5 },
    });
  });

  await t.step("v1: the same, with the problem in the text as well", () => {
    const step = nextStep(template, conversation(["party", "Acme"], ["nonsolicit", "maybe"]), {
      protocol: "v1",
    });
    assert.deepEqual(step, {
      status: "in_progress",
      nextQuestion: {
        id: "nonsolicit",
        text: "Please answer yes or no. Include a non-solicitation clause?",
        type: "yes_no",
        required: true,
        options: ["Yes", "No"],
        problem: "Please answer yes or no.",
      },
      progress: { answered: 1, total: 4 },
    });
  });

  await t.step("complete: every applicable question answered", () => {
    const history = conversation(["party", "Acme"], ["nonsolicit", "no"], ["start", "2026-03-01"], [
      "notes",
      "no",
    ]);
    const step = nextStep(template, history, { protocol: "v2" });
    assert.equal(step.status, "complete");
    assert.deepEqual(step.progress, { answered: 4, total: 4 });
  });
});

Deno.test("the document is dated with the today its answers were checked against", () => {
  const letter = parseTemplate({
    id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e91",
    slug: "letter",
    name: "Letter",
    questions: [{ id: "name", text: "Name?", type: "short_text" }],
    body: "# Letter\n\n{{@today}}\n\nDear {{name}},\n",
  });
  const history: Turn[] = [
    { role: "assistant", content: "Name?", questionId: "name", at: "2026-12-07T18:00:00.000Z" },
    { role: "user", content: "Jane", questionId: "name", at: "2026-12-07T18:00:01.000Z" },
  ];
  const dated = (step: ReturnType<typeof nextStep>) =>
    step.status === "complete" ? step.document.content : "";
  assert.equal(
    dated(nextStep(letter, history, { today: "2026-12-08" })),
    "# Letter\n\nDecember 8, 2026\n\nDear Jane,\n",
  );
  // Without today, the day of the latest turn (todayOfHistory: the earliest time zone's day).
  assert.match(dated(nextStep(letter, history)), /^# Letter\n\nDecember 7, 2026\n/);
});
