// End-to-end: a reconnect that names the session it was last in (`?sessionId=`). When that is the
// caller's completed session on the template, the completion whose `session_complete` was lost
// is reported again; in every other case the connection opens as it would without the hint.
import assert from "node:assert/strict";
import type postgres from "postgres";
import { type ChatFixture, withChat } from "../../../../test_support/chat_fixture.ts";
import { createTemplate, createUser, signToken } from "../../../../test_support/local_stack.ts";
import type { TestClient } from "../../../../test_support/ws_client.ts";

/** Runs an interview on the template to its end; its session and the stored document. */
async function completeInterview(
  connect: ChatFixture["connect"],
  token: string,
  templateId: string,
  questions: number,
): Promise<{ sessionId: string; documentId: string }> {
  const client = connect({ token, templateId });
  await client.next("next_question");
  for (let i = 1; i <= questions; i++) client.send({ type: "user_message", content: `A${i}` });
  const done = await client.next("session_complete");
  assert.equal((await closed(client)).code, 1000);
  return { sessionId: done.sessionId, documentId: done.documentId };
}

/** The close code and reason, or a failure after 5 s instead of a hanging test. */
async function closed(client: TestClient): Promise<{ code: number; reason: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Not closed: ${JSON.stringify(client.received)}`)),
      5_000,
    );
  });
  try {
    return await Promise.race([client.closed, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function counts(sql: postgres.Sql, userId: string) {
  const [row] = await sql`select
      (select count(*)::int from chat_sessions where user_id = ${userId}) as sessions,
      (select count(*)::int from generated_documents where user_id = ${userId}) as documents`;
  return { sessions: row!.sessions as number, documents: row!.documents as number };
}

Deno.test("a reconnect naming its completed session gets session_complete and creates nothing", async (t) => {
  await withChat(async ({ sql, chat, newUser, connect }) => {
    const { userId, token, templateId } = await newUser(2);
    const done = await completeInterview(connect, token, templateId, 2);
    const before = await counts(sql, userId);
    assert.deepEqual(before, { sessions: 1, documents: 1 });

    await t.step("session_complete with the stored document, then 1000", async () => {
      const client = connect({ token, templateId, sessionId: done.sessionId });
      assert.equal(await client.protocol, "chat.v1");
      assert.deepEqual(await closed(client), { code: 1000, reason: "interview complete" });
      assert.deepEqual(client.received, [
        { type: "session_complete", sessionId: done.sessionId, documentId: done.documentId },
      ]);
      assert.deepEqual(await counts(sql, userId), before, "no session or document was created");
      assert.match(chat.logs.join("\n"), /"event":"completion_reported"/);
    });

    await t.step("the same with the token in the query (the original contract)", async () => {
      const client = connect({ token, templateId, sessionId: done.sessionId, tokenIn: "query" });
      assert.equal((await client.next("session_complete")).documentId, done.documentId);
      assert.equal((await closed(client)).code, 1000);
    });

    await t.step("it does not supersede the user's open connection elsewhere", async () => {
      const elsewhere = await createTemplate(sql, 2);
      const open = connect({ token, templateId: elsewhere });
      await open.next("next_question");
      const client = connect({ token, templateId, sessionId: done.sessionId });
      assert.equal((await closed(client)).code, 1000);
      // A superseded connection answers nothing more; this one still does.
      open.send({ type: "ping", id: "still-here" });
      assert.deepEqual(await open.next("pong"), { type: "pong", id: "still-here" });
      await open.close();
    });

    await t.step("with restart=1 the user starts over instead", async () => {
      const client = connect({ token, templateId, sessionId: done.sessionId, restart: true });
      const started = await client.next("next_question");
      assert.notEqual(started.sessionId, done.sessionId);
      assert.equal(started.question.id, "q1");
      await client.close();
    });

    await t.step("on another template the hint is ignored", async () => {
      const other = await createTemplate(sql, 2);
      const client = connect({ token, templateId: other, sessionId: done.sessionId });
      const started = await client.next("next_question");
      assert.notEqual(started.sessionId, done.sessionId);
      assert.equal(client.received.some((m) => m.type === "session_complete"), false);
      await client.close();
    });
  });
});

Deno.test("a session id that is not the caller's reveals nothing and changes nothing", async (t) => {
  await withChat(async ({ sql, newUser, connect, history }) => {
    const owner = await newUser(2);
    const done = await completeInterview(connect, owner.token, owner.templateId, 2);
    const strangerId = await createUser(sql, "stranger");
    const stranger = await signToken(strangerId);

    await t.step("another user's completed session: a new interview of their own", async () => {
      const client = connect({
        token: stranger,
        templateId: owner.templateId,
        sessionId: done.sessionId,
      });
      const started = await client.next("next_question");
      assert.notEqual(started.sessionId, done.sessionId);
      assert.equal(started.question.id, "q1");
      await client.close();
      const seen = JSON.stringify(client.received);
      assert.ok(!seen.includes(done.documentId), "the owner's document id never appears");
      assert.ok(!seen.includes("session_complete"));
      assert.deepEqual(await counts(sql, strangerId), { sessions: 1, documents: 0 });
    });

    await t.step("another user's open session: their own, the owner's untouched", async () => {
      const open = connect({ token: owner.token, templateId: owner.templateId, restart: true });
      const ownerQ1 = await open.next("next_question");
      open.send({ type: "user_message", content: "Secret" });
      await open.next("next_question");
      const client = connect({
        token: stranger,
        templateId: owner.templateId,
        sessionId: ownerQ1.sessionId,
      });
      const theirs = await client.next("next_question");
      assert.notEqual(theirs.sessionId, ownerQ1.sessionId);
      assert.ok(!JSON.stringify(client.received).includes("Secret"));
      assert.equal((await history(ownerQ1.sessionId)).length, 3);
      assert.equal(open.socket.readyState, WebSocket.OPEN, "the owner stays connected");
      await client.close();
      await open.close();
    });

    await t.step("authentication and the template are checked first", async () => {
      const badToken = connect({
        token: `${owner.token}x`,
        templateId: owner.templateId,
        sessionId: done.sessionId,
      });
      assert.deepEqual(await closed(badToken), { code: 4500, reason: "unauthorized" });
      const badTemplate = connect({
        token: owner.token,
        templateId: crypto.randomUUID(),
        sessionId: done.sessionId,
      });
      assert.deepEqual(await closed(badTemplate), { code: 4504, reason: "template not found" });
      assert.deepEqual([...badToken.received, ...badTemplate.received], []);
    });
  });
});

Deno.test("an incomplete session's id, or an unknown one, resumes as a plain reconnect does", async (t) => {
  await withChat(async ({ newUser, connect, history }) => {
    const { token, templateId } = await newUser(3);
    const first = connect({ token, templateId });
    const q1 = await first.next("next_question");
    first.send({ type: "user_message", content: "Alpha" });
    await first.next("next_question");
    first.socket.close();
    await closed(first);

    for (const [name, sessionId] of [["its own", q1.sessionId], ["unknown", crypto.randomUUID()]]) {
      await t.step(name, async () => {
        const client = connect({ token, templateId, sessionId });
        const resumed = await client.next("session_resumed");
        assert.equal(resumed.sessionId, q1.sessionId);
        assert.deepEqual(resumed.history, await history(q1.sessionId));
        assert.deepEqual((await client.next("next_question")).question.id, "q2");
        await client.close();
      });
    }
  });
});

Deno.test("a malformed sessionId is refused with 4522 before any session work", async (t) => {
  await withChat(async ({ sql, chat, newUser, connect }) => {
    const { userId, token, templateId } = await newUser(1);
    const cases: [string, string][] = [
      ["empty", ""],
      ["not a UUID", "s-1"],
      ["SQL", "' or 1=1 --"],
      ["a UUID with more after it", `${crypto.randomUUID()}x`],
    ];
    for (const [name, sessionId] of cases) {
      await t.step(name, async () => {
        const client = connect({ token, templateId, sessionId });
        assert.deepEqual(await closed(client), { code: 4522, reason: "invalid sessionId" });
        assert.equal(client.received.length, 0, "nothing is sent on a refused socket");
      });
    }
    await t.step("400 JSON for a plain HTTP request", async () => {
      const response = await fetch(
        `${chat.baseUrl}/chat?templateId=${templateId}&token=${token}&sessionId=s-1`,
      );
      assert.equal(response.status, 400);
      assert.deepEqual(await response.json(), {
        error: "Invalid sessionId",
        code: "invalid_session_id",
      });
    });
    await t.step("a bad token or template still gets its own close code", async () => {
      const badToken = connect({ token: "not-a-jwt", templateId, sessionId: "s-1" });
      assert.equal((await closed(badToken)).code, 4500);
      const badTemplate = connect({ token, templateId: "nda", sessionId: "s-1" });
      assert.equal((await closed(badTemplate)).code, 4504);
    });
    assert.deepEqual(await counts(sql, userId), { sessions: 0, documents: 0 });
  });
});
