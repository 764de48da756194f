import assert from "node:assert/strict";
import { OPTIONAL_SUFFIX, questionText, questionView } from "./question_view.ts";
import { type Question, questionSchema } from "./template.ts";

function question(fields: Record<string, unknown>): Question {
  return questionSchema.parse({ id: "q", text: "Which law?", ...fields });
}

const law = question({
  type: "choice",
  options: ["Delaware", "New York"],
  hint: "Pick the state of the company.",
});
const problem = "Please choose one of: Delaware, New York (or answer with its number).";

Deno.test("questionText (v1)", async (t) => {
  await t.step("a first ask shows the hint and a choice's options", () => {
    assert.equal(
      questionText(law),
      "Which law? Pick the state of the company. Choose one of: Delaware, New York.",
    );
    assert.equal(questionText(question({ type: "short_text" })), "Which law?");
  });

  await t.step("asked again: the problem, the hint, then the question", () => {
    assert.equal(
      questionText(law, problem),
      `${problem} Pick the state of the company. Which law?`,
    );
  });

  await t.step("an optional question ends with the marker", () => {
    const notes = question({ type: "long_text", required: false, text: "Notes?" });
    assert.equal(questionText(notes), `Notes? ${OPTIONAL_SUFFIX}`);
    assert.equal(
      questionText(notes, "Please type an answer."),
      `Please type an answer. Notes? ${OPTIONAL_SUFFIX}`,
    );
  });
});

Deno.test("questionView", async (t) => {
  await t.step("without a protocol: id and the v1 text only", () => {
    assert.deepEqual(questionView(law), { id: "q", text: questionText(law) });
    assert.deepEqual(questionView(law, { problem }), {
      id: "q",
      text: questionText(law, problem),
    });
  });

  await t.step("v2: the plain question and its structure, problem apart", () => {
    assert.deepEqual(questionView(law, { protocol: "v2", problem }), {
      id: "q",
      text: "Which law?",
      type: "choice",
      required: true,
      options: ["Delaware", "New York"],
      hint: "Pick the state of the company.",
      problem,
    });
    assert.deepEqual(
      questionView(question({ type: "amount", min: 1, max: 500, required: false }), {
        protocol: "v2",
      }),
      {
        id: "q",
        text: "Which law?",
        type: "amount",
        required: false,
        min: 1,
        max: 500,
        currency: "USD",
      },
    );
    assert.deepEqual(questionView(question({ type: "yes_no" }), { protocol: "v2" }), {
      id: "q",
      text: "Which law?",
      type: "yes_no",
      required: true,
      options: ["Yes", "No"],
    });
  });

  await t.step("v1: the same structure with the self-contained text", () => {
    const view = questionView(law, { protocol: "v1", problem });
    assert.equal(view.text, questionText(law, problem));
    assert.equal(view.problem, problem);
    assert.deepEqual(view.options, ["Delaware", "New York"]);
  });
});
