// End-to-end: PostgreSQL restarted behind a running PgBouncer (a cluster of this test's own,
// THROWAWAY_DB_PORT, with its PgBouncer on that port + 10000), as a hosted database restarts behind
// its pooler. PgBouncer keeps taking the chat's connections and refuses them while the database is
// away; the chat process survives that, its client is told to resend, and once the database is back
// the interview goes on with nothing lost or stored twice. Always through the pooler.
import assert from "node:assert/strict";
import { withChat } from "../../../../test_support/chat_fixture.ts";
import { functionLoginUrl } from "../../../../test_support/local_stack.ts";
import { throwawayCluster } from "../../../../test_support/throwaway_cluster.ts";

Deno.test("the database restarted behind PgBouncer: the chat survives and the interview goes on", async () => {
  const cluster = throwawayCluster();
  await cluster.up();
  try {
    await withChat(async ({ chat, newUser, connect, history }) => {
      const { token, templateId } = await newUser(2);
      const client = connect({ token, templateId });
      const q1 = await client.next("next_question");

      await cluster.downBehindPooler();
      client.send({ type: "user_message", content: "Alpha", clientMessageId: "m-1" });
      const refused = await client.next(undefined, 30_000);
      assert.equal(refused.type, "error");
      assert.equal(refused.code, "storage_unavailable");
      assert.equal(refused.retryable, true);
      const health = await fetch(`${chat.baseUrl}/health`);
      await health.body?.cancel();
      assert.equal(health.status, 503, "the process is alive and says the database is away");

      await cluster.up();
      let next;
      for (let attempt = 0; attempt < 40; attempt++) {
        client.send({ type: "user_message", content: "Alpha", clientMessageId: "m-1" });
        next = await client.next(undefined, 30_000);
        if (next.type !== "error") break;
        assert.equal(next.code, "storage_unavailable");
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.equal(
        next?.type,
        "next_question",
        "the resent answer was stored once the database was back",
      );
      assert.equal(next?.question.id, "q2");
      client.send({ type: "user_message", content: "Beta", clientMessageId: "m-2" });
      await client.next("session_complete");
      assert.deepEqual(
        (await history(q1.sessionId)).map((t) => [t.role, t.questionId, t.content]),
        [
          ["assistant", "q1", "Question 1?"],
          ["user", "q1", "Alpha"],
          ["assistant", "q2", "Question 2?"],
          ["user", "q2", "Beta"],
        ],
      );
      assert.ok(
        chat.logs.some((line) => line.includes('"event":"store_unavailable"')),
        "the outage was logged",
      );
    }, {
      SUPABASE_DB_URL: functionLoginUrl("chat", cluster.poolerUrl),
      DB_PREPARE: "false",
      DB_POOL_MAX: "2",
    });
  } finally {
    await cluster.down();
  }
});
