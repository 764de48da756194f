// End-to-end: a session at the database's bounds refuses a further answer with session_full,
// over a real socket, and stores nothing; the connection stays usable.
import assert from "node:assert/strict";
import { withChat } from "../../../../test_support/chat_fixture.ts";

Deno.test("an answer to a session of 499 turns gets session_full and is not stored", async () => {
  await withChat(async ({ sql, newUser, connect, history }) => {
    const { userId, token, templateId } = await newUser(3);
    const at = new Date().toISOString();
    const turns = Array.from(
      { length: 499 },
      (_, n) =>
        n % 2 === 0
          ? { role: "assistant", content: "Question 1?", questionId: "q1", at, source: "ai" }
          : { role: "user", content: `Answer ${n}`, questionId: "q1", at },
    );
    const [session] = await sql`
      insert into public.chat_sessions (user_id, template_id, history, turn_count)
      values (${userId}, ${templateId}, ${sql.json(turns)}, 499) returning id`;

    const client = connect({ token, templateId });
    assert.equal((await client.next("session_resumed")).history.length, 499);
    assert.equal((await client.next("next_question")).question.id, "q1");
    client.send({ type: "user_message", content: "One more", questionId: "q1" });
    const refused = await client.next("error");
    assert.deepEqual(refused, {
      type: "error",
      code: "session_full",
      message: "This interview is full: it holds at most 500 messages and 1,000,000 bytes, so " +
        "this answer was not saved. Your earlier answers are kept; reconnect with restart=1 to " +
        "start over",
      retryable: false,
    });
    client.send({ type: "ping", id: "p1" });
    assert.deepEqual(await client.next("pong"), { type: "pong", id: "p1" });
    assert.equal((await history(session!.id)).length, 499, "nothing was stored");
  });
});
