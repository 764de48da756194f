// End-to-end AI faults beyond faults_e2e_test.ts: answers just under and just over the timeout,
// wrong-shaped JSON, bodies over the limit without a content-length, bodies that stall, and a
// service that is not there at all. Each failure is retryable and stores nothing twice.
import assert from "node:assert/strict";
import { withChat } from "../../../../test_support/chat_fixture.ts";

const TIMEOUT_MS = 600;

Deno.test("AI answers slow, stalled, wrong-shaped or oversized: retryable, nothing stored twice", async (t) => {
  await withChat(async ({ ai, newUser, connect, history }) => {
    await t.step("just under the timeout: answered, no error", async () => {
      const { token, templateId } = await newUser(2);
      const client = connect({ token, templateId });
      await client.next("next_question");
      ai.setDelay(TIMEOUT_MS - 150);
      client.send({ type: "user_message", content: "Alpha" });
      assert.equal((await client.next("next_question", 3_000)).question.id, "q2");
      assert.equal(client.received.some((m) => m.type === "error"), false);
      ai.setDelay(0);
    });

    await t.step("just over the timeout: ai_unavailable, then a retry continues", async () => {
      const { token, templateId } = await newUser(2);
      const client = connect({ token, templateId });
      const q1 = await client.next("next_question");
      ai.setDelay(TIMEOUT_MS + 200);
      client.send({ type: "user_message", content: "Alpha" });
      const error = await client.next("error", 3_000);
      assert.deepEqual([error.code, error.retryable], ["ai_unavailable", true]);
      ai.setDelay(0);
      client.send({ type: "retry" });
      assert.equal((await client.next("next_question")).question.id, "q2");
      assert.deepEqual((await history(q1.sessionId)).map((turn) => turn.content), [
        "Question 1?",
        "Alpha",
        "Question 2?",
      ]);
    });

    for (const mode of ["wrong_shape", "oversized_chunked", "stalled_body"] as const) {
      await t.step(`${mode}: ai_unavailable, then a retry continues`, async () => {
        const { token, templateId } = await newUser(2);
        const client = connect({ token, templateId });
        const q1 = await client.next("next_question");
        ai.failNext(mode);
        client.send({ type: "user_message", content: "Alpha", clientMessageId: "a" });
        assert.equal((await client.next("error", 3_000)).code, "ai_unavailable");
        client.send({ type: "user_message", content: "Alpha", clientMessageId: "a" });
        assert.equal((await client.next("next_question")).question.id, "q2", "a resend asks again");
        assert.equal((await history(q1.sessionId)).length, 3);
      });
    }
  }, { AI_TIMEOUT_MS: String(TIMEOUT_MS), AI_MAX_RETRIES: "0" });
});

Deno.test("an AI service that is not there: ai_unavailable, the socket stays open", async () => {
  await withChat(async ({ sql, newUser, connect }) => {
    const { userId, token, templateId } = await newUser(2);
    const client = connect({ token, templateId });
    const error = await client.next("error", 5_000);
    assert.deepEqual([error.code, error.retryable], ["ai_unavailable", true]);
    client.send({ type: "retry" });
    assert.equal((await client.next("error", 5_000)).code, "ai_unavailable");
    assert.equal(client.socket.readyState, WebSocket.OPEN);
    client.send({ type: "ping", id: "still" });
    assert.deepEqual(await client.next("pong"), { type: "pong", id: "still" });
    const rows = await sql`select history from chat_sessions where user_id = ${userId}`;
    assert.deepEqual(rows.map((row) => row.history), [[]], "one session, nothing stored in it");
  }, { AI_SERVICE_URL: "http://127.0.0.1:1", AI_MAX_RETRIES: "1" });
});
