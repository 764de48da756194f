// End-to-end Broadcast from Database: what a user's other devices would receive on their private
// topic user:<uid> while the chat runs, read back as Realtime reads it (as the user, with
// realtime.topic() set to the topic joined).
import assert from "node:assert/strict";
import type postgres from "postgres";
import { withChat } from "../../../../test_support/chat_fixture.ts";

/** The broadcasts the user may receive on their own topic, oldest first. */
function received(sql: postgres.Sql, userId: string) {
  return sql.begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true),
      set_config('request.jwt.claims', ${
      JSON.stringify({ sub: userId, role: "authenticated" })
    }, true),
      set_config('realtime.topic', ${"user:" + userId}, true)`;
    return [
      ...await tx`select event, payload, private from realtime.messages
        order by inserted_at, event`,
    ];
  });
}

Deno.test("a user's topic hears of the superseded connection and of the finished document", async () => {
  await withChat(async ({ sql, newUser, connect }) => {
    const { userId, token, templateId } = await newUser(1);
    const first = connect({ token, templateId });
    const q1 = await first.next("next_question");
    assert.deepEqual(await received(sql, userId), [], "a new interview broadcasts nothing");

    const second = connect({ token, templateId });
    await second.next("session_resumed");
    assert.equal((await first.closed).code, 4509);
    await second.next("next_question");
    second.send({ type: "user_message", content: "Alpha" });
    const done = await second.next("session_complete");

    const messages = (await received(sql, userId)).map(({ event, payload, private: p }) => ({
      event,
      payload: { ...payload, id: typeof payload.id },
      private: p,
    }));
    assert.deepEqual(messages, [
      {
        event: "superseded",
        payload: { id: "string", sessionId: q1.sessionId, templateId, reason: "claimed" },
        private: true,
      },
      {
        event: "interview_completed",
        payload: { id: "string", sessionId: q1.sessionId, templateId, documentId: done.documentId },
        private: true,
      },
    ]);
    const stranger = (await newUser()).userId;
    assert.deepEqual(await received(sql, stranger), [], "another user's topic heard nothing");
  });
});
