// End-to-end: a connection lost at every point of a v2 interview resumes exactly, with nothing
// lost or stored twice: mid-edit (the edit stored or not), in review, after confirm before
// session_complete (the confirm lost or its acknowledgement lost), and a chat process killed
// with SIGKILL between confirm's commit and session_complete. A TCP proxy between client and
// chat cuts connections the way a network does and holds one side's bytes so they are lost.
import assert from "node:assert/strict";
import type postgres from "postgres";
import { ChatClient, type ChatClientEventMap } from "../../../../client/chat_client.ts";
import { startTcpProxy, type TcpProxy } from "../../../../test_support/tcp_proxy.ts";
import {
  answerUntilReview,
  nda,
  nextOf,
  storedSession,
  type V2Stack,
  validAnswers,
  withInterviewerChat,
} from "../../../../test_support/v2_fixture.ts";
import { connect, type TestClient } from "../../../../test_support/ws_client.ts";

const ANSWERS = validAnswers(nda, { party_b_name: "Blue Harbor LLC" });

/** Waits for a condition on the database, failing after 5 s. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!await condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A review as the person sees it: each connection's frames name its own generation. */
function sameReview(review: Record<string, unknown>) {
  const { generation: _connection, ...seen } = review;
  return seen;
}

/** A connection cut without a close frame: Deno reports 0 where browsers say 1006. */
function assertCut(code: number) {
  assert.ok(code === 0 || code === 1006, `closed by a cut, not with ${code}`);
}

/** No turn stored twice: every clientMessageId once, and the turn count is the history's. */
async function assertIntact(sql: postgres.Sql, sessionId: string) {
  const session = await storedSession(sql, sessionId);
  const [row] = await sql`select history from chat_sessions where id = ${sessionId}`;
  const turns = row!.history as { role: string; clientMessageId?: string }[];
  const ids = turns.flatMap((turn) => turn.clientMessageId ? [turn.clientMessageId] : []);
  assert.equal(new Set(ids).size, ids.length, "no answer or edit stored twice");
  assert.equal(session.turn_count, turns.length);
  assert.ok(session.documents <= 1, "at most one document");
  return { session, history: turns };
}

interface Proxied {
  proxy: TcpProxy;
  connect(params: Omit<Parameters<typeof connect>[1], "offer">): TestClient;
}

async function withProxy(stack: V2Stack, run: (proxied: Proxied) => Promise<void>) {
  const proxy = startTcpProxy({ port: stack.port });
  const clients: TestClient[] = [];
  try {
    await run({
      proxy,
      connect(params) {
        const client = connect(`http://127.0.0.1:${proxy.port}`, { offer: ["chat.v2"], ...params });
        clients.push(client);
        return client;
      },
    });
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await proxy.close();
  }
}

/** A new user's NDA interview driven to its review through the proxy. */
async function inReview(stack: V2Stack, proxied: Proxied) {
  const { userId, token } = await stack.newUser("reconnect");
  const client = proxied.connect({ token, templateId: nda.id });
  const { sessionId, review } = await answerUntilReview(client, ANSWERS);
  return { userId, token, client, sessionId, review };
}

Deno.test("v2: a connection lost at every point of the interview resumes exactly", async (t) => {
  await withInterviewerChat(async (stack) => {
    const { sql, history } = stack;
    await withProxy(stack, async (proxied) => {
      const { proxy } = proxied;

      await t.step("mid-edit, the edit stored but its answer lost: not stored again", async () => {
        const { token } = await stack.newUser("mid-edit");
        const client = proxied.connect({ token, templateId: nda.id });
        const first = await client.next("next_question");
        client.send({ type: "user_message", content: ANSWERS.party_a_name });
        const pending = await nextOf(client, ["next_question"]);
        const before = await history(first.sessionId);
        proxy.hold("server");
        const edit = {
          type: "edit_answer",
          questionId: "party_a_name",
          content: "Acme Mid-Edit Ltd",
          clientMessageId: crypto.randomUUID(),
        };
        client.send(edit);
        await until(
          async () => (await history(first.sessionId)).length === before.length + 2,
          "the edit and the question after it to be stored",
        );
        proxy.dropAll();
        proxy.release();
        assertCut((await client.closed).code);

        const again = proxied.connect({ token, templateId: nda.id, sessionId: first.sessionId });
        const resumed = await again.next("session_resumed");
        const stored = await history(first.sessionId);
        assert.deepEqual(resumed.history, stored);
        assert.equal(resumed.answers[0].answer, "Acme Mid-Edit Ltd");
        assert.deepEqual((await nextOf(again, ["next_question"])).question, pending.question);
        again.send(edit); // the client resends what it never saw acknowledged
        assert.deepEqual((await nextOf(again, ["next_question"])).question, pending.question);
        assert.deepEqual(await history(first.sessionId), stored, "stored once");
        await assertIntact(sql, first.sessionId);
        await again.close();
      });

      await t.step("mid-edit, the edit lost on the way: resent, stored once", async () => {
        const { token } = await stack.newUser("mid-edit-lost");
        const client = proxied.connect({ token, templateId: nda.id });
        const first = await client.next("next_question");
        client.send({ type: "user_message", content: ANSWERS.party_a_name });
        await nextOf(client, ["next_question"]);
        const before = await history(first.sessionId);
        proxy.hold("client");
        const edit = {
          type: "edit_answer",
          questionId: "party_a_name",
          content: "Acme Lost Edit Ltd",
          clientMessageId: crypto.randomUUID(),
        };
        client.send(edit);
        // The frame reaches the proxy and stays there: the cut loses it.
        await new Promise((resolve) => setTimeout(resolve, 50));
        proxy.dropAll();
        proxy.release();
        await client.closed;
        assert.deepEqual(await history(first.sessionId), before, "nothing arrived");

        const again = proxied.connect({ token, templateId: nda.id, sessionId: first.sessionId });
        assert.deepEqual((await again.next("session_resumed")).history, before);
        await nextOf(again, ["next_question"]);
        again.send(edit);
        await nextOf(again, ["next_question"]);
        const { history: after } = await assertIntact(sql, first.sessionId);
        const edits = after.filter((turn) => turn.clientMessageId === edit.clientMessageId);
        assert.equal(edits.length, 1);
        await again.close();
      });

      await t.step("in review: session_resumed, then the identical review", async () => {
        const { token, client, sessionId, review } = await inReview(stack, proxied);
        const before = await storedSession(sql, sessionId);
        proxy.dropAll();
        await client.closed;
        const again = proxied.connect({ token, templateId: nda.id, sessionId });
        const resumed = await again.next("session_resumed");
        assert.deepEqual(resumed.answers, review.answers);
        assert.deepEqual(sameReview(await nextOf(again, ["review"])), sameReview(review));
        const after = await storedSession(sql, sessionId);
        assert.deepEqual(after.review, before.review, "the stored preview is unchanged");
        assert.equal(after.turn_count, before.turn_count, "nothing stored by the resume");
        await again.close();
      });

      await t.step("in review after an edit: the new review, not the old one", async () => {
        const { token, client, sessionId } = await inReview(stack, proxied);
        client.send({ type: "edit_answer", questionId: "party_b_name", content: "Globex Again" });
        const edited = await nextOf(client, ["review"]);
        proxy.dropAll();
        await client.closed;
        const again = proxied.connect({ token, templateId: nda.id, sessionId });
        await again.next("session_resumed");
        const shown = await nextOf(again, ["review"]);
        assert.deepEqual(sameReview(shown), sameReview(edited));
        assert.match(shown.document.content, /Globex Again/);
        await again.close();
      });

      await t.step(
        "a confirm lost on the way: resumed in review, the resend completes once",
        async () => {
          const { userId, token, client, sessionId, review } = await inReview(stack, proxied);
          proxy.hold("client");
          const confirm = { type: "confirm", clientMessageId: crypto.randomUUID() };
          client.send(confirm);
          proxy.dropAll();
          proxy.release();
          await client.closed;
          assert.equal((await storedSession(sql, sessionId)).is_complete, false);
          const again = proxied.connect({ token, templateId: nda.id, sessionId });
          await again.next("session_resumed");
          assert.deepEqual(sameReview(await nextOf(again, ["review"])), sameReview(review));
          again.send(confirm);
          const done = await nextOf(again, ["session_complete"]);
          assert.equal((await again.closed).code, 1000);
          const { session } = await assertIntact(sql, sessionId);
          assert.equal(session.stored[0].id, done.documentId);
          assert.equal(session.stored[0].content, review.document.content);
          await assertOneDocument(sql, userId);
        },
      );

      await t.step(
        "after confirm, session_complete lost: the reconnect is told, nothing new",
        async () => {
          const { userId, token, client, sessionId, review } = await inReview(stack, proxied);
          const before = await history(sessionId);
          proxy.hold("server");
          client.send({ type: "confirm", clientMessageId: crypto.randomUUID() });
          await until(
            async () => (await storedSession(sql, sessionId)).is_complete === true,
            "the confirm to commit",
          );
          proxy.dropAll();
          proxy.release();
          assertCut((await client.closed).code);
          assert.ok(!client.received.some((m) => m.type === "session_complete"), "never arrived");
          const again = proxied.connect({ token, templateId: nda.id, sessionId });
          const done = await again.next("session_complete");
          assert.deepEqual(await again.closed, { code: 1000, reason: "interview complete" });
          const { session } = await assertIntact(sql, sessionId);
          assert.equal(session.stored[0].id, done.documentId);
          assert.equal(session.stored[0].content, review.document.content);
          assert.deepEqual(await history(sessionId), before, "the history is as it was");
          await assertOneDocument(sql, userId);
        },
      );
    });
  });
});

async function assertOneDocument(sql: postgres.Sql, userId: string) {
  const [row] = await sql`select
      (select count(*)::int from generated_documents where user_id = ${userId}) as documents,
      (select count(*)::int from chat_sessions where user_id = ${userId}) as sessions`;
  assert.deepEqual({ ...row }, { documents: 1, sessions: 1 }, "one interview, one document");
}

Deno.test("v2: the SDK reports a confirm whose process was killed with SIGKILL before session_complete", async () => {
  await withInterviewerChat(async (stack) => {
    const { sql, newUser, restartChat, chat: process } = stack;
    await withProxy(stack, async ({ proxy }) => {
      const { userId, token } = await newUser("sigkill");
      const client = new ChatClient({
        url: `ws://127.0.0.1:${proxy.port}/chat`,
        templateId: nda.id,
        getToken: () => token,
        backoff: { initialMs: 100, maxMs: 400 },
        heartbeatIntervalMs: 0,
      });
      const events: { type: string; detail: unknown }[] = [];
      const reviewed = Promise.withResolvers<ChatClientEventMap["review"]>();
      const completed = Promise.withResolvers<ChatClientEventMap["complete"]>();
      const reconnecting = Promise.withResolvers<number | undefined>();
      const closed = Promise.withResolvers<number | undefined>();
      client.on("question", (detail) => {
        events.push({ type: "question", detail });
        client.answer(ANSWERS[detail.question.id]!);
      });
      client.on("review", (detail) => {
        events.push({ type: "review", detail });
        reviewed.resolve(detail);
      });
      client.on("resumed", (detail) => events.push({ type: "resumed", detail }));
      client.on("complete", (detail) => completed.resolve(detail));
      client.on("state", ({ state, code }) => {
        if (state === "reconnecting") reconnecting.resolve(code);
        if (state === "closed") closed.resolve(code);
      });
      try {
        client.connect();
        const review = await reviewed.promise;
        const before = (await sql`select history from chat_sessions
          where id = ${review.sessionId}`)[0]!.history;
        proxy.hold("server"); // session_complete, if sent at all, never reaches the client
        client.confirm();
        await until(
          async () => (await storedSession(sql, review.sessionId)).is_complete === true,
          "the confirm to commit",
        );
        await process().stop("SIGKILL");
        proxy.dropAll();
        proxy.release();
        assert.equal(await reconnecting.promise, 1006);
        await restartChat("SIGKILL"); // already gone: a new process on the same port

        const done = await completed.promise;
        assert.equal(await closed.promise, 1000);
        assert.equal(done.sessionId, review.sessionId);
        const { session, history } = await assertIntact(sql, review.sessionId);
        assert.equal(session.stored[0].id, done.documentId);
        assert.equal(session.stored[0].content, review.document.content, "the previewed bytes");
        assert.deepEqual(history, before, "nothing lost, nothing added");
        assert.equal(client.pending, null);
        assert.equal(events.filter((e) => e.type === "review").length, 1, "no new review");
        assert.equal(events.some((e) => e.type === "resumed"), false, "no new interview");
        await assertOneDocument(sql, userId);
        assert.match(stack.chat().logs.join("\n"), /"event":"completion_reported"/);
      } finally {
        client.close();
      }
    });
  });
});

Deno.test("v2: the SDK resumes an edit whose process was killed with SIGKILL after storing it", async () => {
  await withInterviewerChat(async (stack) => {
    const { sql, newUser, restartChat, chat: process, history } = stack;
    await withProxy(stack, async ({ proxy }) => {
      const { token } = await newUser("sigkill-edit");
      const client = new ChatClient({
        url: `ws://127.0.0.1:${proxy.port}/chat`,
        templateId: nda.id,
        getToken: () => token,
        backoff: { initialMs: 100, maxMs: 400 },
        heartbeatIntervalMs: 0,
      });
      const reviews: ChatClientEventMap["review"][] = [];
      const resumed = Promise.withResolvers<ChatClientEventMap["resumed"]>();
      const reviewed = [Promise.withResolvers<void>(), Promise.withResolvers<void>()];
      client.on("question", (detail) => client.answer(ANSWERS[detail.question.id]!));
      client.on("review", (detail) => {
        reviews.push(detail);
        reviewed[reviews.length - 1]?.resolve();
      });
      client.on("resumed", (detail) => resumed.resolve(detail));
      try {
        client.connect();
        await reviewed[0]!.promise;
        const { sessionId } = reviews[0]!;
        const before = await history(sessionId);
        proxy.hold("server"); // the review after the edit never reaches the client
        const editId = client.edit("party_b_name", "Globex Killed LLC");
        await until(
          async () => (await history(sessionId)).some((turn) => turn.clientMessageId === editId),
          "the edit to be stored",
        );
        await process().stop("SIGKILL");
        proxy.dropAll();
        proxy.release();
        await restartChat("SIGKILL");

        const { history: resumedHistory, answers } = await resumed.promise;
        await reviewed[1]!.promise;
        assert.ok(resumedHistory.some((turn) => turn.clientMessageId === editId));
        assert.equal(
          answers.find((answer) => answer.questionId === "party_b_name")?.answer,
          "Globex Killed LLC",
        );
        assert.match(reviews[1]!.document.content, /Globex Killed LLC/);
        assert.equal(client.pending, null, "the stored edit is not sent again");
        const { history: stored } = await assertIntact(sql, sessionId);
        assert.deepEqual(stored.slice(0, before.length), before, "nothing lost");
        assert.equal(stored.filter((turn) => turn.clientMessageId === editId).length, 1);
        assert.equal(stored.length, before.length + 1, "the edit, once; no question after it");
      } finally {
        client.close();
      }
    });
  });
});
