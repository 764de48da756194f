import assert from "node:assert/strict";
import { clientFrameSchema, serverMessageSchema } from "./protocol.ts";

Deno.test("protocol: the second round's tz and understood", async (t) => {
  await t.step("a client may say its time zone with an answer or an edit", () => {
    const answer = { type: "user_message", content: "tomorrow", tz: "Europe/Berlin" };
    assert.deepEqual(clientFrameSchema.parse(answer), answer);
    const edit = { type: "edit_answer", questionId: "start", content: "Dec 14", tz: "UTC" };
    assert.deepEqual(clientFrameSchema.parse(edit), edit);
    assert.equal(clientFrameSchema.safeParse({ ...answer, tz: "" }).success, false);
    assert.equal(clientFrameSchema.safeParse({ ...answer, tz: "x".repeat(65) }).success, false);
  });
  await t.step("next_question and review may carry what was understood", () => {
    const understood = { questionId: "start", answer: "December 14, 2026" };
    const next = {
      type: "next_question",
      sessionId: "s",
      question: { id: "end", text: "End?" },
      understood,
    };
    assert.deepEqual(serverMessageSchema.parse(next), next);
    const review = {
      type: "review",
      sessionId: "s",
      answers: [],
      document: { title: "T", content: "C", format: "markdown" },
      understood,
    };
    assert.deepEqual(serverMessageSchema.parse(review), review);
  });
});
