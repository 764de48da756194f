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
        hint: "An amount, such as 500 or $500.",
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

Deno.test("questionView: the format hint is there from the first ask", async (t) => {
  await t.step("dates, numbers with their unit and range, amounts", () => {
    const hintOf = (fields: Record<string, unknown>) =>
      questionView(question(fields), { protocol: "v2" }).hint;
    assert.equal(
      hintOf({ type: "date" }),
      "A date such as Dec 14, 14/12 (day/month), tomorrow or next Monday.",
    );
    assert.equal(
      hintOf({ type: "number", unit: "year", min: 1, max: 10 }),
      "A number of years from 1 to 10, such as 3 or three years.",
    );
    assert.equal(
      hintOf({ type: "number", unit: "month", min: 1, max: 24 }),
      "A number of months from 1 to 24, such as 12 or twelve months.",
    );
    assert.equal(hintOf({ type: "number" }), "A number, such as 30 or thirty.");
    assert.equal(
      hintOf({ type: "number", unit: "hour", per: "week", min: 1, max: 39 }),
      "A number of hours per week from 1 to 39, such as 20 or twenty hours.",
    );
    assert.equal(
      hintOf({ type: "amount", per: "hour", min: 1 }),
      "An amount per hour, such as 150 or $150 an hour.",
    );
    assert.equal(hintOf({ type: "amount" }), "An amount, such as 120,000 or 120k.");
    assert.equal(
      hintOf({ type: "amount", currency: "EUR", per: "month" }),
      "An amount per month in EUR, such as 5,000 or EUR 5,000 a month.",
    );
    assert.equal(hintOf({ type: "short_text" }), undefined);
    assert.equal(hintOf({ type: "email" }), undefined);
  });
  await t.step("the template's own hint follows the format", () => {
    assert.equal(
      questionView(question({ type: "date", hint: "Skip it if it runs on." }), { protocol: "v2" })
        .hint,
      "A date such as Dec 14, 14/12 (day/month), tomorrow or next Monday. Skip it if it runs on.",
    );
  });
  await t.step("v1's text is unchanged: its hint is the template's", () => {
    assert.equal(questionText(question({ type: "date" })), "Which law?");
  });
});
