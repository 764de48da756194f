// Unit tests of the client's v2 side over real sockets against the scripted server: structured
// questions, the review, edit() and confirm(), and their resend after a reconnect.
import assert from "node:assert/strict";
import { BACKOFF, withClient } from "../test_support/client_harness.ts";
import type { ChatClientEventMap, StateDetail } from "./chat_client.ts";

const turn = (role: "assistant" | "user", questionId: string, content: string, extra = {}) => ({
  role,
  content,
  questionId,
  at: "2026-12-01T10:00:00.000Z",
  ...extra,
});
const answers = [
  { questionId: "q1", question: "Name?", answer: "Acme" },
  { questionId: "q2", question: "Law?", answer: "Delaware" },
];
const document = { title: "NDA", content: "# NDA\n\nAcme, Delaware", format: "markdown" };
const review = { type: "review", sessionId: "s-1", answers, document };
const questionFrame = (id: string, extra: Record<string, unknown> = {}) => ({
  type: "next_question",
  sessionId: "s-1",
  question: { id, text: `${id}?` },
  ...extra,
});

function details<K extends keyof ChatClientEventMap>(
  events: { type: string; detail: unknown }[],
  type: K,
): ChatClientEventMap[K][] {
  return events.filter((event) => event.type === type).map((event) =>
    event.detail as ChatClientEventMap[K]
  );
}

Deno.test("ChatClient v2: a question carries its details, progress and problem", async () => {
  await withClient({}, async ({ connection, client, events }) => {
    const first = await connection(0);
    await first.opened();
    const law = {
      id: "law",
      text: "Which law should govern the agreement?",
      type: "choice",
      required: true,
      options: ["Delaware", "New York"],
      hint: "Pick one",
    };
    first.send(questionFrame("law", {
      question: law,
      progress: { answered: 3, total: 9 },
      problem: "Please choose one of the options",
    }));
    first.send(questionFrame("fee", {
      question: {
        id: "fee",
        text: "Fee?",
        type: "amount",
        min: 1,
        max: 1000,
        currency: "USD",
        // Details of the wrong type are dropped, not passed on.
        options: [1, 2],
        hint: 7,
      },
      progress: { answered: "3" },
    }));
    await first.roundTrip();
    assert.deepEqual(details(events, "question"), [
      {
        sessionId: "s-1",
        question: law,
        repeated: false,
        progress: { answered: 3, total: 9 },
        problem: "Please choose one of the options",
      },
      {
        sessionId: "s-1",
        question: { id: "fee", text: "Fee?", type: "amount", min: 1, max: 1000, currency: "USD" },
        repeated: false,
      },
    ]);
    assert.deepEqual(client.question?.currency, "USD");
  });
});

Deno.test("ChatClient v2: resumed carries the answers and the pending question's details", async (t) => {
  await t.step("v2: the server's answers; the question's details from its turn", async () => {
    await withClient({}, async ({ connection, client, events }) => {
      const first = await connection(0);
      await first.opened();
      const history = [
        turn("assistant", "q1", "Name?"),
        turn("user", "q1", "Acme"),
        turn("assistant", "q2", "Law?", {
          details: { type: "choice", options: ["Delaware", "New York"] },
          progress: { answered: 1, total: 2 },
        }),
      ];
      first.send({ type: "session_resumed", sessionId: "s-1", history, answers: [answers[0]] });
      first.send({
        type: "next_question",
        sessionId: "s-1",
        question: { id: "q2", text: "Law?", type: "choice", options: ["Delaware", "New York"] },
        progress: { answered: 1, total: 2 },
      });
      await first.roundTrip();
      assert.deepEqual(details(events, "resumed"), [
        { sessionId: "s-1", history, answers: [answers[0]] },
      ]);
      const [asked] = details(events, "question");
      assert.equal(asked?.repeated, true, "the question the resumed history ends with");
      assert.deepEqual(client.question, {
        id: "q2",
        text: "Law?",
        type: "choice",
        options: ["Delaware", "New York"],
      });
    });
  });

  await t.step("v1: the server sends no answers, the event has an empty list", async () => {
    await withClient({ protocol: "v1" }, async ({ connection, events }) => {
      const first = await connection(0);
      await first.opened();
      first.send({ type: "session_resumed", sessionId: "s-1", history: [] });
      await first.roundTrip();
      assert.deepEqual(details(events, "resumed"), [
        { sessionId: "s-1", history: [], answers: [] },
      ]);
    });
  });
});

Deno.test("ChatClient v2: review, then confirm completes", async () => {
  await withClient({}, async ({ connection, client, events, waitFor }) => {
    const first = await connection(0);
    await first.opened();
    first.send(questionFrame("q2"));
    await first.roundTrip();
    const answerId = client.answer("Delaware");
    first.send(review);
    await first.roundTrip();
    assert.equal(client.pending, null, "the review acknowledges the last answer");
    assert.deepEqual(details(events, "review"), [{ sessionId: "s-1", answers, document }]);
    assert.deepEqual(client.review, { sessionId: "s-1", answers, document });
    assert.equal(client.question, null, "no question is pending in review");

    const confirmId = client.confirm();
    assert.notEqual(confirmId, answerId);
    assert.deepEqual(client.pending, { type: "confirm", clientMessageId: confirmId });
    assert.throws(() => client.edit("q1", "Globex"), /confirm ".+" is still waiting/);
    await first.roundTrip();
    assert.deepEqual(first.received.at(-1), { type: "confirm", clientMessageId: confirmId });
    first.send({ type: "session_complete", sessionId: "s-1", documentId: "d-1" });
    first.close(1000, "interview complete");
    await waitFor(() => client.state === "closed", "the client to close");
    assert.deepEqual(details(events, "complete"), [{ sessionId: "s-1", documentId: "d-1" }]);
    assert.equal(client.review, null);
    assert.throws(() => client.confirm(), /Cannot confirm: the interview is closed/);
  });
});

Deno.test("ChatClient v2: edit sends edit_answer, acknowledged by what comes next", async (t) => {
  await t.step("a question, a review or an error acknowledges it", async () => {
    await withClient({}, async ({ connection, client, events }) => {
      const first = await connection(0);
      await first.opened();
      first.send(questionFrame("q3"));
      await first.roundTrip();
      const id = client.edit("q1", "Globex");
      assert.deepEqual(client.pending, {
        type: "edit_answer",
        clientMessageId: id,
        questionId: "q1",
        content: "Globex",
      });
      assert.equal(client.pendingAnswer, null, "an edit is not an answer");
      assert.throws(() => client.answer("x"), new RegExp(`edit "${id}" is still waiting`));
      await first.roundTrip();
      assert.deepEqual(first.received, [
        { type: "edit_answer", clientMessageId: id, questionId: "q1", content: "Globex" },
      ]);
      first.send(questionFrame("q3"));
      await first.roundTrip();
      assert.equal(client.pending, null, "the pending question again acknowledges it");
      assert.equal(details(events, "question").at(-1)?.repeated, false);

      client.edit("q2", "New York");
      first.send(review);
      await first.roundTrip();
      assert.equal(client.pending, null);

      client.edit("zz", "x");
      first.send({
        type: "error",
        code: "unknown_question",
        message: 'Question "zz" was never asked in this interview',
        retryable: false,
      });
      await first.roundTrip();
      assert.equal(client.pending, null);
      assert.equal(details(events, "error").at(-1)?.code, "unknown_question");
    });
  });

  await t.step("an edit asked again with problem is a new question event", async () => {
    await withClient({}, async ({ connection, client, events }) => {
      const first = await connection(0);
      await first.opened();
      first.send(review);
      await first.roundTrip();
      client.edit("q1", "   ");
      first.send(questionFrame("q1", { problem: "Please type a name" }));
      await first.roundTrip();
      assert.equal(client.review, null, "the review no longer stands");
      assert.equal(client.question?.id, "q1");
      assert.equal(details(events, "question").at(-1)?.problem, "Please type a name");
    });
  });

  await t.step("a v1 client refuses edit and confirm, and sends nothing", async () => {
    await withClient({ protocol: "v1" }, async ({ connection, client }) => {
      const first = await connection(0);
      await first.opened();
      first.send(questionFrame("q1"));
      await first.roundTrip();
      assert.throws(() => client.edit("q1", "x"), /speaks protocol "v1"; edit needs "v2"/);
      assert.throws(() => client.confirm(), /speaks protocol "v1"; confirm needs "v2"/);
      assert.throws(() => client.edit("", "x"), /protocol "v1"/);
      await first.roundTrip();
      assert.deepEqual(first.received, []);
    });
  });

  await t.step("an edit needs a questionId", async () => {
    await withClient({}, async ({ connection, client }) => {
      await (await connection(0)).opened();
      assert.throws(() => client.edit("", "x"), /Cannot edit: no questionId/);
    });
  });
});

Deno.test("ChatClient v2: an unacknowledged edit or confirm is resent after a reconnect", async (t) => {
  await t.step("an edit, with the same clientMessageId, after the handshake", async () => {
    await withClient({}, async ({ connection, client, cutConnections }) => {
      const first = await connection(0);
      await first.opened();
      first.send(questionFrame("q3"));
      await first.roundTrip();
      const id = client.edit("q1", "Globex");
      await first.frame((message) => message.clientMessageId === id, "the edit");
      cutConnections();
      const second = await connection(1);
      assert.equal(second.protocol, "chat.v2");
      await second.opened();
      await second.roundTrip();
      assert.deepEqual(second.received, [], "nothing before the resume handshake");
      second.send({
        type: "session_resumed",
        sessionId: "s-1",
        history: [turn("assistant", "q3", "q3?")],
        answers,
      });
      second.send(questionFrame("q3"));
      await second.roundTrip();
      assert.deepEqual(second.received, [
        { type: "edit_answer", clientMessageId: id, questionId: "q1", content: "Globex" },
      ]);
      second.send(questionFrame("q3"));
      await second.roundTrip();
      assert.equal(client.pending, null);
    });
  });

  await t.step("not an edit the resumed history already holds", async () => {
    await withClient({}, async ({ connection, client }) => {
      const first = await connection(0);
      await first.opened();
      first.send(review);
      await first.roundTrip();
      const id = client.edit("q1", "Globex");
      first.close(1012, "server restarting");
      const second = await connection(1);
      await second.opened();
      second.send({
        type: "session_resumed",
        sessionId: "s-1",
        history: [turn("user", "q1", "Globex", { edit: true, clientMessageId: id })],
        answers,
      });
      second.send(review);
      await second.roundTrip();
      assert.deepEqual(second.received, []);
      assert.equal(client.pending, null);
    });
  });

  await t.step("a confirm, after session_resumed and the review again", async () => {
    await withClient({}, async ({ connection, client, cutConnections, events }) => {
      const first = await connection(0);
      await first.opened();
      first.send(review);
      await first.roundTrip();
      const id = client.confirm();
      await first.frame((message) => message.type === "confirm", "the confirm");
      cutConnections();
      const second = await connection(1);
      assert.equal(second.url.searchParams.get("sessionId"), "s-1");
      await second.opened();
      second.send({ type: "session_resumed", sessionId: "s-1", history: [], answers });
      second.send(review);
      await second.roundTrip();
      assert.deepEqual(second.received, [{ type: "confirm", clientMessageId: id }]);
      assert.equal(details(events, "review").length, 2, "the same review again");
      second.send({ type: "session_complete", sessionId: "s-1", documentId: "d-1" });
      await second.roundTrip().catch(() => {});
      assert.deepEqual(details(events, "complete"), [{ sessionId: "s-1", documentId: "d-1" }]);
    });
  });

  await t.step(
    "a confirm whose session_complete was lost is reported on the reconnect",
    async () => {
      await withClient({}, async (harness) => {
        const { connection, connections, cutConnections, client, events, waitFor } = harness;
        const first = await connection(0);
        await first.opened();
        first.send(review);
        await first.roundTrip();
        client.confirm();
        await first.frame((message) => message.type === "confirm", "the confirm");
        cutConnections(); // the server stored the document; session_complete was lost
        const second = await connection(1);
        assert.equal(second.url.searchParams.get("sessionId"), "s-1");
        await second.opened();
        second.send({ type: "session_complete", sessionId: "s-1", documentId: "d-1" });
        second.close(1000, "interview complete");
        await waitFor(() => client.state === "closed", "the client to close");
        assert.deepEqual(details(events, "complete"), [{ sessionId: "s-1", documentId: "d-1" }]);
        const closed = details(events, "state").at(-1) as StateDetail;
        assert.equal(closed.code, 1000);
        assert.deepEqual(second.received, [], "the confirm is not resent");
        assert.equal(client.pending, null);
        await new Promise((resolve) => setTimeout(resolve, 2 * BACKOFF.maxMs));
        assert.equal(connections.length, 2, "no new connection");
      });
    },
  );

  await t.step("a confirm given while offline waits for the reconnect", async () => {
    await withClient({}, async ({ connection, client, cutConnections }) => {
      const first = await connection(0);
      await first.opened();
      first.send(review);
      await first.roundTrip();
      const confirmed = new Promise<string>((resolve) => {
        const stop = client.on("state", ({ state }) => {
          if (state !== "reconnecting") return;
          stop();
          resolve(client.confirm());
        });
      });
      cutConnections();
      const id = await confirmed;
      const second = await connection(1);
      await second.opened();
      second.send({ type: "session_resumed", sessionId: "s-1", history: [], answers });
      second.send(review);
      await second.roundTrip();
      assert.deepEqual(first.received, []);
      assert.deepEqual(second.received, [{ type: "confirm", clientMessageId: id }]);
    });
  });
});

Deno.test("ChatClient reports the protocol the server chose, not the one it asked for", async () => {
  let before = "";
  await withClient({}, async ({ connection, client, waitFor }) => {
    const first = await connection(0);
    assert.equal(first.protocols[0], "chat.v2", "the client asks for v2");
    assert.equal(first.protocol, "", "an older server echoes no subprotocol: v1");
    await first.opened();
    await waitFor(() => client.state === "open", "the client to open");
    assert.equal(client.protocol, "v1");
    first.send(questionFrame("q1"));
    await first.roundTrip();
    assert.throws(
      () => client.edit("q1", "x"),
      /Cannot edit: the server chose protocol "v1" for this connection; edit needs "v2"/,
    );
    const id = client.answer("Acme");
    await first.roundTrip();
    assert.deepEqual(first.received, [
      { type: "user_message", content: "Acme", clientMessageId: id, questionId: "q1" },
    ]);
  }, { speaks: "v1" });
  // Before a connection has opened, the client can only say what it will ask for.
  await withClient({ protocol: "v1" }, ({ client }) => {
    before = client.protocol;
  });
  assert.equal(before, "v1");
});

Deno.test("ChatClient v2: tz goes with every answer and edit, never on v1", async (t) => {
  await t.step("v2: the answer and the edit carry the time zone", async () => {
    await withClient({ tz: "Europe/Berlin" }, async ({ connection, client }) => {
      const first = await connection(0);
      await first.opened();
      first.send(questionFrame("start"));
      await first.roundTrip();
      const answerId = client.answer("next Monday");
      await first.roundTrip();
      first.send(questionFrame("end"));
      await first.roundTrip();
      const editId = client.edit("start", "tomorrow");
      await first.roundTrip();
      assert.deepEqual(first.received, [
        {
          type: "user_message",
          clientMessageId: answerId,
          content: "next Monday",
          questionId: "start",
          tz: "Europe/Berlin",
        },
        {
          type: "edit_answer",
          clientMessageId: editId,
          questionId: "start",
          content: "tomorrow",
          tz: "Europe/Berlin",
        },
      ]);
    });
  });

  await t.step("v1: a server that knows no tz is not sent one", async () => {
    await withClient({ tz: "Europe/Berlin", protocol: "v1" }, async ({ connection, client }) => {
      const first = await connection(0);
      await first.opened();
      first.send(questionFrame("start"));
      await first.roundTrip();
      const id = client.answer("2026-12-14");
      await first.roundTrip();
      assert.deepEqual(first.received, [
        { type: "user_message", clientMessageId: id, content: "2026-12-14", questionId: "start" },
      ]);
    });
  });
});
