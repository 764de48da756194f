// The documents list counts an open interview as the chat does: through the template engine, of
// the questions that apply given the answers, with refused replies not counted.
import assert from "node:assert/strict";
import { nextStep } from "../_shared/template/interview_engine.ts";
import { parseTemplate } from "../_shared/template/template.ts";
import type { Turn } from "../_shared/wire/interview_turn.ts";
import { interviewProgress } from "./interview_progress.ts";

const stored = {
  id: "00000000-0000-4000-8000-000000000001",
  slug: "test-progress",
  name: "Progress",
  description: null,
  questions: [
    { id: "party", text: "Who is the other party?", type: "short_text", required: true },
    { id: "paid", text: "Is it paid?", type: "yes_no", required: true },
    {
      id: "fee",
      text: "What is the fee?",
      type: "number",
      required: true,
      when: { question: "paid", equals: "yes" },
    },
    { id: "email", text: "Their email?", type: "email", required: true },
  ],
  body: "{{party}} {{paid}} {{#if fee}}{{fee}}{{/if}} {{email}}",
};
const at = "2026-12-01T10:00:00.000Z";
const ask = (id: string): Turn => ({ role: "assistant", content: id, questionId: id, at });
const reply = (id: string, content: string): Turn => ({
  role: "user",
  content,
  questionId: id,
  at,
});

Deno.test("progress counts the questions that apply, as the chat's v2 progress does", () => {
  const histories: Turn[][] = [
    [],
    [ask("party"), reply("party", "Acme")],
    [ask("party"), reply("party", "Acme"), ask("paid"), reply("paid", "no")],
    [ask("party"), reply("party", "Acme"), ask("paid"), reply("paid", "yes")],
    [ask("party"), reply("party", "Acme"), ask("paid"), reply("paid", "no"), ask("email")],
  ];
  const expected = [
    { answered: 0, total: 3 },
    { answered: 1, total: 3 },
    { answered: 2, total: 3 }, // not paid: the fee does not apply
    { answered: 2, total: 4 }, // paid: the fee does
    { answered: 2, total: 3 },
  ];
  const template = parseTemplate(stored); // throws if the fixture is not in the engine's format
  histories.forEach((history, n) => {
    const progress = interviewProgress(stored, history);
    assert.deepEqual(progress, expected[n], `history ${n}`);
    assert.deepEqual(progress, nextStep(template, history, { protocol: "v2" }).progress);
  });
});

Deno.test("a refused reply is not an answer", () => {
  const history = [ask("party"), reply("party", "Acme"), ask("email"), reply("email", "not mail")];
  assert.deepEqual(interviewProgress(stored, history), { answered: 1, total: 3 });
});

Deno.test("a template the engine cannot read counts replies to its questions, of all", () => {
  const foreign = { ...stored, questions: [{ id: "a", prompt: "A?" }, { id: "b", prompt: "B?" }] };
  const history = [ask("a"), reply("a", "1"), reply("a", "2"), reply("z", "?")];
  assert.deepEqual(interviewProgress(foreign, history), { answered: 1, total: 2 });
});
