// The second round of v2 as the client reads it: each field kept only with its wire type.
import assert from "node:assert/strict";
import { readAnswers, readNextQuestion, readReview } from "./server_frames.ts";

const document = { title: "NDA", content: "# NDA", format: "markdown" };

Deno.test("readNextQuestion keeps understood, title, editing, answers and maxLength", () => {
  const detail = readNextQuestion({
    type: "next_question",
    sessionId: "s-1",
    question: { id: "years", text: "Years?", type: "number", maxLength: 5000 },
    progress: { answered: 6, total: 10, current: 7 },
    problem: "Please give a number of years from 1 to 10.",
    editing: true,
    understood: { questionId: "start", answer: "December 14, 2026" },
    title: "NDA: Acme Ltd and Beta GmbH",
    answers: [
      { questionId: "gate", question: "Gate?", answer: "No" },
      { questionId: "months", question: "Months?", answer: "12", applies: false },
    ],
  });
  assert.equal(detail.question.maxLength, 5000);
  assert.deepEqual(detail.progress, { answered: 6, total: 10, current: 7 });
  assert.equal(detail.editing, true);
  assert.deepEqual(detail.understood, { questionId: "start", answer: "December 14, 2026" });
  assert.equal(detail.title, "NDA: Acme Ltd and Beta GmbH");
  assert.deepEqual(detail.answers?.map((answer) => answer.applies), [undefined, false]);
});

Deno.test("readNextQuestion drops the second round's fields of the wrong type", () => {
  const detail = readNextQuestion({
    type: "next_question",
    sessionId: "s-1",
    question: { id: "q", text: "Q?", maxLength: "200" },
    editing: "yes",
    understood: { questionId: "q" },
    title: 7,
    progress: { answered: 1, total: 2, current: "2" },
  });
  assert.equal(detail.question.maxLength, undefined);
  assert.equal(detail.editing, undefined);
  assert.equal(detail.understood, undefined);
  assert.equal(detail.title, undefined);
  assert.equal(detail.progress, undefined, "a progress with a malformed current is dropped");
  assert.equal(detail.answers, undefined, "no list: the frame said nothing of what applies");
});

Deno.test("readReview keeps understood and title; readAnswers keeps applies and skipped", () => {
  const review = readReview({
    type: "review",
    sessionId: "s-1",
    answers: [{ questionId: "terms", question: "Terms?", answer: "", skipped: true }],
    document,
    understood: { questionId: "years", answer: "3" },
    title: "NDA: Acme Ltd and Beta GmbH",
  });
  assert.deepEqual(review.answers, [
    { questionId: "terms", question: "Terms?", answer: "", skipped: true },
  ]);
  assert.deepEqual(review.understood, { questionId: "years", answer: "3" });
  assert.equal(review.title, "NDA: Acme Ltd and Beta GmbH");
  assert.deepEqual(
    readAnswers({
      answers: [{ questionId: "q" }, "x", {
        questionId: "a",
        question: "A?",
        answer: "1",
        applies: "no",
      }],
    }),
    [{ questionId: "a", question: "A?", answer: "1" }],
    "malformed entries and fields are left out",
  );
});
