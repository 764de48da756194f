// End-to-end: real Postgres with the migrations, the chat function as its own process, a real
// HTTP AI service, and plain WebSocket clients over real sockets.
import assert from "node:assert/strict";
import { withChat } from "../../../../test_support/chat_fixture.ts";
import { asUserSelect } from "../../../../test_support/local_stack.ts";

Deno.test("an interview runs from connect to session_complete and stores the document", async () => {
  await withChat(async ({ sql, newUser, connect, history }) => {
    const { userId, token, templateId } = await newUser(3);
    const client = connect({ token, templateId });
    assert.equal(await client.protocol, "chat.v1", "the server echoes the subprotocol");
    const first = await client.next("next_question");
    assert.deepEqual(first.question, { id: "q1", text: "Question 1?" });
    client.send({ type: "user_message", content: "Alpha", questionId: "q1" });
    assert.equal((await client.next("next_question")).question.id, "q2");
    client.send({ type: "user_message", content: "Beta", questionId: "q2" });
    assert.equal((await client.next("next_question")).question.id, "q3");
    client.send({ type: "user_message", content: "Gamma" });
    const done = await client.next("session_complete");
    assert.equal(done.sessionId, first.sessionId);
    assert.deepEqual(await client.closed, { code: 1000, reason: "interview complete" });

    const [session] = await sql`
      select is_complete, turn_count from chat_sessions where id = ${first.sessionId}`;
    assert.deepEqual({ ...session }, { is_complete: true, turn_count: 6 });
    assert.deepEqual(
      (await history(first.sessionId)).map((t) => [t.role, t.questionId, t.content]),
      [
        ["assistant", "q1", "Question 1?"],
        ["user", "q1", "Alpha"],
        ["assistant", "q2", "Question 2?"],
        ["user", "q2", "Beta"],
        ["assistant", "q3", "Question 3?"],
        ["user", "q3", "Gamma"],
      ],
    );
    const owned = await asUserSelect(sql, userId, "generated_documents", done.documentId);
    assert.equal(owned.length, 1, "the owner sees the document");
    assert.equal(owned[0]!.content, "q1: Alpha\nq2: Beta\nq3: Gamma");
    const stranger = (await newUser()).userId;
    assert.deepEqual(await asUserSelect(sql, stranger, "generated_documents", done.documentId), []);
    assert.deepEqual(await asUserSelect(sql, stranger, "chat_sessions", first.sessionId), []);
  });
});

Deno.test("a dropped connection resumes with the exact history and the pending question", async () => {
  await withChat(async ({ newUser, connect, history }) => {
    const { token, templateId } = await newUser(3);
    const first = connect({ token, templateId, tokenIn: "query" });
    const q1 = await first.next("next_question");
    first.send({ type: "user_message", content: "Alpha" });
    await first.next("next_question");
    first.socket.close(); // drop mid-interview
    await first.closed;

    const second = connect({ token, templateId });
    const resumed = await second.next("session_resumed");
    assert.equal(resumed.sessionId, q1.sessionId);
    assert.deepEqual(resumed.history, await history(q1.sessionId));
    assert.deepEqual(
      resumed.history.map((t: { role: string; content: string }) => [t.role, t.content]),
      [["assistant", "Question 1?"], ["user", "Alpha"], ["assistant", "Question 2?"]],
    );
    const pending = await second.next("next_question");
    assert.deepEqual(pending.question, { id: "q2", text: "Question 2?" });
    assert.equal((await history(q1.sessionId)).length, 3, "re-sending the question stores nothing");
    second.send({ type: "user_message", content: "Beta", questionId: "q2" });
    assert.equal((await second.next("next_question")).question.id, "q3");
  });
});

Deno.test("frames of one connection are handled strictly in order", async () => {
  await withChat(async ({ newUser, connect, history }) => {
    const { token, templateId } = await newUser(3);
    const client = connect({ token, templateId });
    const q1 = await client.next("next_question");
    for (const answer of ["one", "two", "three"]) {
      client.send({ type: "user_message", content: answer });
    }
    await client.next("session_complete");
    assert.deepEqual(
      (await history(q1.sessionId)).map((t) => t.content),
      ["Question 1?", "one", "Question 2?", "two", "Question 3?", "three"],
    );
  });
});

Deno.test("a resend with the same clientMessageId is stored once and answered the same way", async () => {
  await withChat(async ({ newUser, connect, history }) => {
    const { token, templateId } = await newUser(3);
    const client = connect({ token, templateId });
    const q1 = await client.next("next_question");
    client.send({ type: "user_message", content: "Alpha", clientMessageId: "m-1" });
    const q2 = await client.next("next_question");
    client.send({ type: "user_message", content: "Alpha", clientMessageId: "m-1" });
    const again = await client.next("next_question");
    assert.deepEqual(again.question, q2.question);
    const turns = await history(q1.sessionId);
    assert.equal(turns.filter((t) => t.role === "user").length, 1);
    assert.equal(turns.length, 3);

    client.socket.close(); // the ack is lost; the client reconnects and resends
    await client.closed;
    const back = connect({ token, templateId });
    await back.next("session_resumed");
    await back.next("next_question");
    back.send({ type: "user_message", content: "Alpha", clientMessageId: "m-1" });
    assert.deepEqual((await back.next("next_question")).question, q2.question);
    assert.equal((await history(q1.sessionId)).length, 3, "still stored once");
  });
});

Deno.test("an answer to a question that is no longer pending is refused and not stored", async () => {
  await withChat(async ({ newUser, connect, history }) => {
    const { token, templateId } = await newUser(3);
    const client = connect({ token, templateId });
    const q1 = await client.next("next_question");
    client.send({ type: "user_message", content: "Alpha", questionId: "q1" });
    await client.next("next_question");
    client.send({ type: "user_message", content: "late", questionId: "q1" });
    const error = await client.next("error");
    assert.equal(error.code, "stale_question");
    assert.equal(error.retryable, false);
    assert.equal((await history(q1.sessionId)).length, 3);
    client.send({ type: "user_message", content: "Beta", questionId: "q2" });
    assert.equal((await client.next("next_question")).question.id, "q3");
  });
});

Deno.test("restart=1 abandons the open session and starts a new one", async () => {
  await withChat(async ({ sql, newUser, connect }) => {
    const { token, templateId } = await newUser(2);
    const first = connect({ token, templateId });
    const q1 = await first.next("next_question");
    first.send({ type: "user_message", content: "Alpha" });
    await first.next("next_question");
    await first.close();

    const fresh = connect({ token, templateId, restart: true });
    const started = await fresh.next("next_question");
    assert.notEqual(started.sessionId, q1.sessionId);
    assert.equal(started.question.id, "q1");
    const [old] =
      await sql`select abandoned_at, history from chat_sessions where id = ${q1.sessionId}`;
    assert.ok(old?.abandoned_at, "the abandoned session is marked");
    assert.equal(old?.history.length, 3, "and keeps its history");
  });
});

Deno.test("two first connections racing create one session", async () => {
  await withChat(async ({ sql, newUser, connect }) => {
    const { userId, token, templateId } = await newUser(2);
    const racers = [connect({ token, templateId }), connect({ token, templateId })];
    // The later connection supersedes the earlier one, which may have had its first question
    // by then: wait for a close, not for whichever message comes first, then for the survivor.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const loser = await Promise.race([
      ...racers.map((client, index) => client.closed.then(({ code }) => ({ index, code }))),
      new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), 5_000)),
    ]);
    clearTimeout(timer);
    assert.equal(loser?.code, 4509, "one racer is superseded");
    await racers[1 - loser.index]!.next("next_question");
    const [{ count }] = await sql`
      select count(*)::int from chat_sessions where user_id = ${userId}` as unknown as [
      { count: number },
    ];
    assert.equal(count, 1);
  });
});

Deno.test("another user cannot reach the first user's session", async () => {
  await withChat(async ({ sql, newUser, connect }) => {
    const owner = await newUser(2);
    const client = connect({ token: owner.token, templateId: owner.templateId });
    const q1 = await client.next("next_question");
    client.send({ type: "user_message", content: "Secret answer" });
    await client.next("next_question");

    const other = (await newUser()).token;
    const intruder = connect({ token: other, templateId: owner.templateId });
    const theirs = await intruder.next("next_question");
    assert.notEqual(theirs.sessionId, q1.sessionId, "the other user gets a session of their own");
    assert.equal(intruder.received.some((m) => m.type === "session_resumed"), false);
    const [row] = await sql`select jsonb_array_length(history) as n from chat_sessions
      where id = ${q1.sessionId}`;
    assert.equal(row?.n, 3, "the owner's session is untouched");
    assert.equal(client.socket.readyState, WebSocket.OPEN, "the owner stays connected");
  });
});
