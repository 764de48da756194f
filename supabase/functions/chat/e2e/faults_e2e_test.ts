// End-to-end: what goes wrong. AI failures, bad frames, floods and a newer connection.
import assert from "node:assert/strict";
import { withChat } from "../../../../test_support/chat_fixture.ts";

Deno.test("an AI failure leaves the answer stored; a retry continues with no duplicate turn", async (t) => {
  await withChat(async ({ ai, newUser, connect, history }) => {
    for (const mode of ["fail_500", "hang", "malformed", "oversized"] as const) {
      await t.step(mode, async () => {
        const { token, templateId } = await newUser(2);
        const client = connect({ token, templateId });
        const q1 = await client.next("next_question");
        ai.failNext(mode, 2); // the first attempt and its one retry
        client.send({ type: "user_message", content: "Alpha", clientMessageId: "a-1" });
        const error = await client.next("error", 10_000);
        assert.equal(error.code, "ai_unavailable");
        assert.equal(error.retryable, true);
        assert.equal(client.socket.readyState, WebSocket.OPEN, "the socket stays open");
        assert.deepEqual((await history(q1.sessionId)).map((turn) => turn.content), [
          "Question 1?",
          "Alpha",
        ]);

        client.send({ type: "retry" });
        assert.equal((await client.next("next_question")).question.id, "q2");
        client.send({ type: "user_message", content: "Alpha", clientMessageId: "a-1" });
        assert.equal(
          (await client.next("next_question")).question.id,
          "q2",
          "a resend is not stored",
        );
        assert.deepEqual((await history(q1.sessionId)).map((turn) => turn.content), [
          "Question 1?",
          "Alpha",
          "Question 2?",
        ]);
      });
    }

    await t.step("a reconnect also asks again from the stored history", async () => {
      const { token, templateId } = await newUser(2);
      const client = connect({ token, templateId });
      const q1 = await client.next("next_question");
      ai.failNext("fail_500", 2);
      client.send({ type: "user_message", content: "Alpha" });
      await client.next("error", 10_000);
      await client.close();
      const back = connect({ token, templateId });
      assert.equal((await back.next("session_resumed")).history.length, 2);
      assert.equal((await back.next("next_question")).question.id, "q2");
      assert.equal((await history(q1.sessionId)).length, 3);
    });

    await t.step("an answer before the retry is refused until a question is pending", async () => {
      const { token, templateId } = await newUser(2);
      const client = connect({ token, templateId });
      const q1 = await client.next("next_question");
      ai.failNext("fail_500", 2);
      client.send({ type: "user_message", content: "Alpha" });
      await client.next("error", 10_000);
      client.send({ type: "user_message", content: "Beta" });
      const refused = await client.next("error");
      assert.equal(refused.code, "no_pending_question");
      assert.equal((await history(q1.sessionId)).length, 2);
    });

    await t.step("a 4xx is not retried and keeps the socket open", async () => {
      const { token, templateId } = await newUser(2);
      const client = connect({ token, templateId });
      await client.next("next_question");
      const before = ai.requests.length;
      ai.failNext("reject_400");
      client.send({ type: "user_message", content: "Alpha" });
      const error = await client.next("error");
      assert.equal(error.code, "ai_rejected");
      assert.equal(ai.requests.length, before + 1, "asked once, no retry");
      assert.equal(client.socket.readyState, WebSocket.OPEN);
      client.send({ type: "retry" });
      assert.equal((await client.next("next_question")).question.id, "q2");
    });

    await t.step("the first question fails, and a retry asks it", async () => {
      const { token, templateId } = await newUser(2);
      ai.failNext("fail_500", 2);
      const client = connect({ token, templateId });
      assert.equal((await client.next("error", 10_000)).code, "ai_unavailable");
      client.send({ type: "retry" });
      assert.equal((await client.next("next_question")).question.id, "q1");
    });
  }, { AI_TIMEOUT_MS: "400", AI_MAX_RETRIES: "1" });
});

Deno.test("bad frames get a specific error, store nothing, and too many close with 1008", async (t) => {
  await withChat(async ({ newUser, connect, history }) => {
    const { token, templateId } = await newUser(2);
    const client = connect({ token, templateId });
    const q1 = await client.next("next_question");
    const cases: [string, string | Uint8Array, string][] = [
      ["not JSON", "{nope", "invalid_json"],
      ["a JSON array", "[1,2]", "invalid_message"],
      ["no type", "{}", "invalid_message"],
      ["an unknown type", '{"type":"hack"}', "unknown_type"],
      ["binary", new Uint8Array([1, 2, 3]), "binary_not_supported"],
      ["content of the wrong type", '{"type":"user_message","content":42}', "invalid_field"],
      ["empty content", '{"type":"user_message","content":"   "}', "invalid_field"],
      [
        "content over the limit",
        JSON.stringify({ type: "user_message", content: "x".repeat(5_001) }),
        "invalid_field",
      ],
      [
        "a frame over 16 KiB",
        JSON.stringify({ type: "ping", id: "x".repeat(17_000) }),
        "frame_too_large",
      ],
      [
        "a NUL character",
        JSON.stringify({ type: "user_message", content: "a\u0000b" }),
        "invalid_field",
      ],
    ];
    let sent = 0;
    for (const [name, frame, code] of cases.slice(0, 9)) {
      await t.step(name, async () => {
        client.sendRaw(frame);
        sent++;
        const error = await client.next("error");
        assert.equal(error.code, code);
        assert.equal(typeof error.message, "string");
      });
    }
    assert.equal(sent, 9);
    assert.equal(client.socket.readyState, WebSocket.OPEN, "nine bad frames are tolerated");
    assert.equal((await history(q1.sessionId)).length, 1, "nothing was stored");
    client.sendRaw(cases[9]![1]);
    assert.equal((await client.next("error")).code, "invalid_field");
    assert.equal((await client.closed).code, 1008, "the tenth closes the socket");
    assert.equal((await history(q1.sessionId)).length, 1);
  });
});

Deno.test("a client that floods is closed with 1008 and others keep being served", async () => {
  await withChat(async ({ newUser, connect }) => {
    const flooder = await newUser(2);
    const calm = await newUser(2);
    const noisy = connect({ token: flooder.token, templateId: flooder.templateId });
    const quiet = connect({ token: calm.token, templateId: calm.templateId });
    await noisy.next("next_question");
    await quiet.next("next_question");
    for (let i = 0; i < 200; i++) noisy.send({ type: "ping", id: String(i) });
    assert.deepEqual(await noisy.closed, { code: 1008, reason: "too many messages" });
    quiet.send({ type: "user_message", content: "still here" });
    assert.equal((await quiet.next("next_question")).question.id, "q2");
  });
});

Deno.test("a user's newer connection closes the older one with 4509, which can no longer write", async () => {
  await withChat(async ({ newUser, connect, history }) => {
    const { token, templateId } = await newUser(3);
    const older = connect({ token, templateId });
    const q1 = await older.next("next_question");
    const newer = connect({ token, templateId });
    await newer.next("session_resumed");
    assert.deepEqual(await older.closed, {
      code: 4509,
      reason: "superseded by a newer connection",
    });
    await newer.next("next_question");
    newer.send({ type: "user_message", content: "from the newer one" });
    await newer.next("next_question");
    assert.deepEqual((await history(q1.sessionId)).map((t) => t.content), [
      "Question 1?",
      "from the newer one",
      "Question 2?",
    ]);
  });
});

Deno.test("application ping is answered with pong", async () => {
  await withChat(async ({ newUser, connect }) => {
    const { token, templateId } = await newUser(2);
    const client = connect({ token, templateId });
    await client.next("next_question");
    client.send({ type: "ping", id: "p-1" });
    assert.deepEqual(await client.next("pong"), { type: "pong", id: "p-1" });
  });
});

Deno.test("completion with the AI's documentId accepts the user's own document only", async (t) => {
  await withChat(async ({ sql, ai, newUser, connect }) => {
    await t.step("the user's own document is linked to the session", async () => {
      const { userId, token, templateId } = await newUser(1);
      const [doc] = await sql`insert into generated_documents (user_id, template_id, title, content)
        values (${userId}, ${templateId}, 'From the AI', 'Body') returning id`;
      ai.completeWithDocumentId(doc!.id);
      const client = connect({ token, templateId });
      const q1 = await client.next("next_question");
      client.send({ type: "user_message", content: "Alpha" });
      const done = await client.next("session_complete");
      assert.equal(done.documentId, doc!.id);
      const [linked] = await sql`select session_id from generated_documents where id = ${doc!.id}`;
      assert.equal(linked?.session_id, q1.sessionId);
    });
    await t.step("another user's document is refused and the session stays open", async () => {
      const other = await newUser(1);
      const [foreign] =
        await sql`insert into generated_documents (user_id, template_id, title, content)
        values (${other.userId}, ${other.templateId}, 'Not yours', 'x') returning id`;
      ai.completeWithDocumentId(foreign!.id);
      const { token, templateId } = await newUser(1);
      const client = connect({ token, templateId });
      const q1 = await client.next("next_question");
      client.send({ type: "user_message", content: "Alpha" });
      assert.equal((await client.closed).code, 1011);
      const [session] = await sql`select is_complete from chat_sessions where id = ${q1.sessionId}`;
      assert.equal(session?.is_complete, false);
      const [untouched] = await sql`select session_id from generated_documents where id = ${
        foreign!.id
      }`;
      assert.equal(untouched?.session_id, null);
      ai.completeWithDocumentId(null);
    });
  });
});
