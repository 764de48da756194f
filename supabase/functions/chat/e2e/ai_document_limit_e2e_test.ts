// An AI service (a real HTTP server) that completes with a document over the one maximum
// (LIMITS.maxDocumentChars): the chat refuses it before anything is stored, with
// document_too_large; the socket stays open, every stored answer is kept, and a retry that gets a
// document within the maximum completes the interview. v1 completes; v2 opens the review.
import assert from "node:assert/strict";
import { withChat } from "../../../../test_support/chat_fixture.ts";
import { LIMITS } from "../../_shared/wire/constants.ts";

const OVER = "x".repeat(LIMITS.maxDocumentChars + 1);
const AT_MAX = "y".repeat(LIMITS.maxDocumentChars);

Deno.test("a document over the maximum from the AI service: document_too_large, nothing lost", async (t) => {
  await withChat(async ({ sql, ai, newUser, connect, history }) => {
    const documentsOf = async (userId: string) => [
      ...await sql`select length(content)::int as length from generated_documents
        where user_id = ${userId}`,
    ];

    await t.step("v1: refused, the socket open, the answers kept; a retry completes", async () => {
      const { userId, token, templateId } = await newUser(2);
      const client = connect({ token, templateId });
      const q1 = await client.next("next_question");
      client.send({ type: "user_message", content: "Alpha" });
      await client.next("next_question");
      ai.completeWithDocument({ title: "Huge", content: OVER });
      client.send({ type: "user_message", content: "Beta" });
      const error = await client.next("error", 10_000);
      assert.equal(error.code, "document_too_large");
      assert.equal(error.retryable, false);
      assert.match(error.message, /^The document holds 200,001 characters; at most 200,000 fit/);
      assert.match(error.message, /Your answers are kept/);
      assert.equal(client.socket.readyState, WebSocket.OPEN);
      client.send({ type: "ping", id: "open" });
      assert.deepEqual(await client.next("pong"), { type: "pong", id: "open" });
      assert.deepEqual((await history(q1.sessionId)).map((turn) => turn.content), [
        "Question 1?",
        "Alpha",
        "Question 2?",
        "Beta",
      ]);
      assert.deepEqual(await documentsOf(userId), [], "no document stored");

      ai.completeWithDocument({ title: "At the maximum", content: AT_MAX });
      client.send({ type: "retry" });
      const done = await client.next("session_complete", 10_000);
      assert.equal(done.sessionId, q1.sessionId);
      assert.deepEqual(await documentsOf(userId), [{ length: LIMITS.maxDocumentChars }]);
    });

    await t.step("v2: refused before the review is stored", async () => {
      ai.completeWithDocument(null);
      const { userId, token, templateId } = await newUser(1);
      const client = connect({ token, templateId, offer: ["chat.v2"] });
      const q1 = await client.next("next_question");
      ai.completeWithDocument({ title: "Huge", content: OVER });
      client.send({ type: "user_message", content: "Alpha" });
      const error = await client.next("error", 10_000);
      assert.equal(error.code, "document_too_large");
      assert.match(error.message, /edit_answer/);
      const [session] = await sql`select review, turn_count from chat_sessions
        where id = ${q1.sessionId}`;
      assert.deepEqual([session?.review, session?.turn_count], [null, 2]);
      assert.deepEqual(await documentsOf(userId), []);
      assert.equal(client.socket.readyState, WebSocket.OPEN);
    });
  });
});
