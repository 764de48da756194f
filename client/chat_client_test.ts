// Unit tests of the client's lifecycle: the real client on the runtime's WebSocket, over real
// sockets, against a scripted server that plays the chat function's part frame by frame. The
// same behaviour against the real chat function is in chat_client_e2e_test.ts; v2's edits, the
// review and confirm are in chat_client_v2_test.ts.
import assert from "node:assert/strict";
import { BACKOFF, jwt, question, withClient } from "../test_support/client_harness.ts";
import { ChatClient, closeAction, type StateDetail } from "./chat_client.ts";

Deno.test("closeAction sorts every close code of the contract", () => {
  for (const code of [1000, 1008, 4500, 4504, 4509, 4999]) assert.equal(closeAction(code), "stop");
  for (const code of [1001, 1005, 1006, 1011, 1012, 4000, 4499]) {
    assert.equal(closeAction(code), "reconnect", `code ${code}`);
  }
  assert.equal(closeAction(1013), "reconnect_slowly");
  assert.equal(closeAction(4001), "refresh_token");
});

Deno.test("ChatClient connects with the token as a subprotocol", async (t) => {
  await t.step("offers chat.v2 and jwt-<token>, and puts the template in the URL", async () => {
    await withClient({ restart: true }, async ({ connection, tokenRequests, client, waitFor }) => {
      const first = await connection(0);
      assert.deepEqual(tokenRequests, ["connect"]);
      assert.equal(first.url.pathname, "/chat");
      assert.equal(first.url.searchParams.get("templateId"), "template-1");
      assert.equal(first.url.searchParams.get("restart"), "1");
      assert.equal(first.url.searchParams.get("token"), null, "never in the URL");
      assert.equal(first.protocols.length, 2);
      assert.equal(first.protocols[0], "chat.v2");
      assert.match(first.protocols[1]!, /^jwt-[\w-]+\.[\w-]+\.sig$/);
      assert.equal(first.protocol, "chat.v2", "the server echoes it");
      assert.equal(client.protocol, "v2");
      await waitFor(() => client.state === "open", "the client to open");
    });
  });

  await t.step('offers chat.v1 with protocol "v1"', async () => {
    await withClient({ protocol: "v1" }, async ({ connection, client, waitFor }) => {
      const first = await connection(0);
      assert.equal(first.protocols.length, 2);
      assert.equal(first.protocols[0], "chat.v1");
      assert.match(first.protocols[1]!, /^jwt-/);
      assert.equal(first.protocol, "chat.v1");
      assert.equal(client.protocol, "v1");
      await waitFor(() => client.state === "open", "the client to open");
    });
  });

  await t.step("refuses an unknown protocol before connecting", () => {
    assert.throws(
      () =>
        new ChatClient({
          url: "ws://127.0.0.1:9/chat",
          templateId: "t",
          getToken: () => "x",
          protocol: "v3" as "v2",
        }),
      /protocol "v3" is not "v1" or "v2"/,
    );
  });

  await t.step("restarts only on the first connection", async () => {
    await withClient({ restart: true }, async ({ connection }) => {
      const first = await connection(0);
      await first.opened();
      first.send(question("q1"));
      first.close(1012, "server restarting");
      const second = await connection(1);
      assert.equal(first.url.searchParams.get("restart"), "1");
      assert.equal(second.url.searchParams.get("restart"), null);
    });
  });
});

Deno.test("ChatClient never reconnects after a final close code", async (t) => {
  for (const code of [1000, 1008, 4500, 4504, 4509, 4529]) {
    await t.step(String(code), async () => {
      await withClient({}, async ({ connection, connections, client, events, waitFor }) => {
        const first = await connection(0);
        await first.opened();
        await waitFor(() => client.state === "open", "the client to open");
        first.close(code, "final");
        await waitFor(() => client.state === "closed", "the client to close");
        assert.deepEqual(events.at(-1), {
          type: "state",
          detail: { state: "closed", previous: "open", code, reason: "final" },
        });
        // Longer than any delay the backoff could pick: a reconnect would have come by now.
        await new Promise((resolve) => setTimeout(resolve, 2 * BACKOFF.maxMs));
        assert.equal(connections.length, 1, "no new connection");
      });
    });
  }
});

Deno.test("ChatClient reconnects with backoff after a retryable close", async (t) => {
  for (const code of [1006, 1011, 1012, 1013]) {
    await t.step(String(code), async () => {
      await withClient({}, async ({ connection, cutConnections, states, waitFor }) => {
        const first = await connection(0);
        await first.opened();
        if (code === 1006) cutConnections();
        else first.close(code, "");
        await waitFor(() => states("reconnecting").length > 0, "the reconnecting state");
        const detail = states("reconnecting")[0]!;
        assert.equal(detail.attempt, 1);
        assert.equal(detail.code, code);
        const [min, max] = code === 1013 ? [40, 80] : [10, 20];
        assert.ok(detail.delayMs! >= min && detail.delayMs! <= max, `${detail.delayMs} ms`);
        await connection(1);
      });
    });
  }

  await t.step(
    "the delay grows while attempts fail and resets once a question arrives",
    async () => {
      await withClient(
        { random: () => 0.999 },
        async ({ connection, states, waitFor }) => {
          // The server refuses the first three handshakes, which the client sees as 1006.
          const fourth = await connection(3);
          const delays = () => states("reconnecting").map((detail) => detail.delayMs);
          assert.deepEqual(delays(), [20, 40, 80]);
          await fourth.opened();
          fourth.send(question("q1"));
          fourth.close(1012, "");
          await waitFor(() => delays().length === 4, "the fourth reconnect");
          assert.deepEqual(delays(), [20, 40, 80, 20]);
        },
        { refuseHandshakes: 3 },
      );
    },
  );

  await t.step("gives up after maxReconnectAttempts", async () => {
    await withClient(
      { maxReconnectAttempts: 2 },
      async ({ connection, connections, client, states, waitFor }) => {
        await connection(2);
        await waitFor(() => client.state === "closed", "the client to give up");
        assert.equal(states("reconnecting").length, 2);
        assert.equal(states("closed")[0]!.code, 1006);
        assert.deepEqual(connections.map(({ accepted }) => accepted), [false, false, false]);
      },
      { refuseHandshakes: 3 },
    );
  });

  await t.step("4001 asks the app for a fresh token and reconnects at once", async () => {
    await withClient({}, async ({ connection, tokenRequests, states }) => {
      const first = await connection(0);
      await first.opened();
      first.close(4001, "token expired");
      const second = await connection(1);
      assert.deepEqual(tokenRequests, ["connect", "expired"]);
      assert.equal(states("reconnecting")[0]!.delayMs, 0);
      assert.notEqual(second.protocols[1], first.protocols[1]);
    });
  });

  await t.step("a failing getToken is reported and retried with backoff", async () => {
    let calls = 0;
    const getToken = () => {
      if (++calls === 2) throw new Error("offline");
      return jwt(3600);
    };
    await withClient({ getToken }, async ({ connection, events, states }) => {
      const first = await connection(0);
      await first.opened();
      first.close(4001, "token expired");
      await connection(1);
      const error = events.find((e) => e.type === "error")!.detail as { code: string };
      assert.equal(error.code, "token_unavailable");
      assert.equal(calls, 3);
      assert.ok(states("reconnecting")[1]!.delayMs! > 0, "backs off after the failure");
    });
  });
});

Deno.test("ChatClient resends an unacknowledged answer after a reconnect", async (t) => {
  await t.step("with the same clientMessageId, once the session is resumed", async () => {
    await withClient({}, async ({ connection, client, cutConnections }) => {
      const first = await connection(0);
      await first.opened();
      first.send(question("q1"));
      await first.roundTrip();
      const id = client.answer("Alpha");
      await first.roundTrip();
      assert.deepEqual(first.received, [
        { type: "user_message", content: "Alpha", clientMessageId: id, questionId: "q1" },
      ]);
      cutConnections();
      const second = await connection(1);
      await second.opened();
      await second.roundTrip();
      assert.deepEqual(second.received, [], "nothing before the resume handshake");
      second.send({
        type: "session_resumed",
        sessionId: "s-1",
        history: [{ role: "assistant", content: "q1?", questionId: "q1", at: "" }],
      });
      second.send(question("q1"));
      await second.roundTrip();
      assert.deepEqual(second.received, [
        { type: "user_message", content: "Alpha", clientMessageId: id, questionId: "q1" },
      ]);
      assert.equal(client.pendingAnswer?.clientMessageId, id);
      second.send(question("q2"));
      await second.roundTrip();
      assert.equal(client.pendingAnswer, null, "the next question acknowledges it");
    });
  });

  await t.step("not when the resumed history already holds it", async () => {
    await withClient({}, async ({ connection, client, events }) => {
      const first = await connection(0);
      await first.opened();
      first.send(question("q1"));
      await first.roundTrip();
      const id = client.answer("Alpha");
      first.close(1012, "server restarting");
      const second = await connection(1);
      await second.opened();
      second.send({
        type: "session_resumed",
        sessionId: "s-1",
        history: [
          { role: "assistant", content: "q1?", questionId: "q1", at: "" },
          { role: "user", content: "Alpha", questionId: "q1", at: "", clientMessageId: id },
          { role: "assistant", content: "q2?", questionId: "q2", at: "" },
        ],
      });
      second.send(question("q2"));
      await second.roundTrip();
      assert.deepEqual(second.received, []);
      assert.equal(client.pendingAnswer, null);
      const last = events.filter((e) => e.type === "question").at(-1)!.detail;
      assert.deepEqual(last, {
        sessionId: "s-1",
        question: { id: "q2", text: "q2?" },
        repeated: true,
      });
    });
  });

  await t.step("an answer given while offline waits for the reconnect", async () => {
    await withClient({}, async ({ connection, client, cutConnections }) => {
      const first = await connection(0);
      await first.opened();
      first.send(question("q1"));
      await first.roundTrip();
      // Answer in the same turn as the drop is noticed, so the client is surely offline.
      const answered = new Promise<string>((resolve) => {
        const stop = client.on("state", ({ state }) => {
          if (state !== "reconnecting") return;
          stop();
          resolve(client.answer("Offline answer"));
        });
      });
      cutConnections();
      const id = await answered;
      const second = await connection(1);
      await second.opened();
      second.send(question("q1"));
      await second.roundTrip();
      assert.deepEqual(first.received, []);
      assert.deepEqual(second.received, [
        { type: "user_message", content: "Offline answer", clientMessageId: id, questionId: "q1" },
      ]);
    });
  });

  await t.step("an error frame acknowledges the answer", async () => {
    await withClient({}, async ({ connection, client, events }) => {
      const first = await connection(0);
      await first.opened();
      first.send(question("q1"));
      await first.roundTrip();
      client.answer("Alpha");
      assert.throws(() => client.answer("Beta"), /still waiting for the server/);
      first.send({ type: "error", code: "ai_unavailable", message: "x", retryable: true });
      await first.roundTrip();
      assert.equal(client.pendingAnswer, null);
      assert.deepEqual(events.at(-1), {
        type: "error",
        detail: { source: "server", code: "ai_unavailable", message: "x", retryable: true },
      });
      assert.equal(client.retry(), true);
      await first.roundTrip();
      assert.deepEqual(first.received.at(-1), { type: "retry" });
    });
  });
});

Deno.test("ChatClient surfaces a quota refusal and its wait, and does not reconnect", async () => {
  await withClient({}, async ({ connection, connections, client, events, waitFor }) => {
    const first = await connection(0);
    await first.opened();
    first.send({
      type: "error",
      code: "quota_exceeded",
      message: "You started 10 interviews within a minute, the most allowed: try again in 42 " +
        "seconds",
      retryable: true,
      retryAfterSeconds: 42,
    });
    first.close(4529, "quota exceeded");
    await waitFor(() => client.state === "closed", "the client to close");
    assert.deepEqual(events.find((event) => event.type === "error")?.detail, {
      source: "server",
      code: "quota_exceeded",
      message: "You started 10 interviews within a minute, the most allowed: try again in 42 " +
        "seconds",
      retryable: true,
      retryAfterSeconds: 42,
    });
    assert.deepEqual(events.at(-1), {
      type: "state",
      detail: { state: "closed", previous: "open", code: 4529, reason: "quota exceeded" },
    });
    await new Promise((resolve) => setTimeout(resolve, 2 * BACKOFF.maxMs));
    assert.equal(connections.length, 1, "no reconnect into the same refusal");
  });
});

Deno.test("ChatClient marks a question asked again without an answer as repeated", async () => {
  await withClient({}, async ({ connection, client, events }) => {
    const first = await connection(0);
    await first.opened();
    first.send(question("q1"));
    first.send(question("q1"));
    await first.roundTrip();
    client.answer("not an email");
    first.send(question("q1")); // asked again after an answer: not a repeat
    await first.roundTrip();
    const repeated = events.filter((e) => e.type === "question")
      .map((e) => (e.detail as { repeated: boolean }).repeated);
    assert.deepEqual(repeated, [false, true, false]);
  });
});

Deno.test("ChatClient answers the server's application pings", async () => {
  await withClient({}, async ({ connection }) => {
    const first = await connection(0);
    await first.opened();
    first.send({ type: "ping", id: "srv-7" });
    first.send({ type: "ping" });
    await first.roundTrip();
    assert.deepEqual(first.received, [{ type: "pong", id: "srv-7" }, { type: "pong" }]);
  });
});

Deno.test("ChatClient sends heartbeats and drops a silent connection", async () => {
  await withClient(
    { heartbeatIntervalMs: 30, heartbeatTimeoutMs: 30 },
    async ({ connection, states, waitFor }) => {
      const first = await connection(0);
      await first.opened();
      const ping = await first.frame((message) => message.type === "ping", "a ping");
      first.send({ type: "pong", id: ping.id });
      await first.frame((message) => message.type === "ping" && message.id !== ping.id, "a ping");
      // The server stays silent now: the client gives up on the socket and says why.
      assert.deepEqual(await first.closing(), { code: 4000, reason: "heartbeat timeout" });
      await waitFor(() => states("reconnecting").length > 0, "the reconnecting state");
      assert.equal(states("reconnecting")[0]!.reason, "heartbeat timeout");
      await connection(1);
    },
  );
});

Deno.test("ChatClient refreshes the token over the socket before it expires", async () => {
  const tokens: string[] = [];
  const getToken = () => {
    const token = jwt(tokens.length === 0 ? 2 : 3600);
    tokens.push(token);
    return token;
  };
  await withClient({ getToken }, async ({ connection, connections, events }) => {
    const first = await connection(0);
    await first.opened();
    const refresh = await first.frame(
      (message) => message.type === "refresh_token",
      "a refresh",
      3_000,
    );
    assert.deepEqual(refresh, { type: "refresh_token", token: tokens[1] });
    first.send({ type: "token_refreshed", expiresAt: "2030-01-01T00:00:00.000Z" });
    await first.roundTrip();
    assert.deepEqual(events.at(-1), {
      type: "token_refreshed",
      detail: { expiresAt: "2030-01-01T00:00:00.000Z" },
    });
    assert.equal(connections.length, 1, "no reconnect needed");
    assert.equal(first.open, true);
  });
});

Deno.test("ChatClient stops after completion and on close()", async (t) => {
  await t.step("after session_complete", async () => {
    await withClient({}, async ({ connection, client, events, waitFor }) => {
      const first = await connection(0);
      await first.opened();
      first.send(question("q1"));
      await first.roundTrip();
      client.answer("Alpha");
      first.send({ type: "session_complete", sessionId: "s-1", documentId: "d-1" });
      await first.roundTrip();
      assert.deepEqual(events.at(-1), {
        type: "complete",
        detail: { sessionId: "s-1", documentId: "d-1" },
      });
      assert.throws(() => client.answer("more"), /interview is closed/);
      first.close(1000, "interview complete");
      await waitFor(() => client.state === "closed", "the client to close");
    });
  });

  await t.step("on close(), with 1000", async () => {
    await withClient({}, async ({ connection, client, waitFor }) => {
      const first = await connection(0);
      await first.opened();
      await waitFor(() => client.state === "open", "the client to open");
      client.close();
      assert.equal(client.state, "closed");
      assert.deepEqual(await first.closing(), { code: 1000, reason: "closed by the client" });
      assert.throws(() => client.answer("more"), /interview is closed/);
    });
  });
});

Deno.test("ChatClient names its session on a reconnect, so a lost completion is reported", async (t) => {
  await t.step(
    "no sessionId on the first connection; the last one seen on a reconnect",
    async () => {
      await withClient({}, async ({ connection, cutConnections }) => {
        const first = await connection(0);
        await first.opened();
        assert.equal(first.url.searchParams.get("sessionId"), null);
        first.send(question("q1"));
        await first.roundTrip();
        cutConnections();
        const second = await connection(1);
        assert.equal(second.url.searchParams.get("sessionId"), "s-1");
        assert.equal(second.url.searchParams.get("templateId"), "template-1");
        await second.opened();
        second.send({ type: "session_resumed", sessionId: "s-2", history: [] });
        await second.roundTrip();
        second.close(1012, "server restarting");
        const third = await connection(2);
        assert.equal(
          third.url.searchParams.get("sessionId"),
          "s-2",
          "session_resumed names it too",
        );
      });
    },
  );

  await t.step("session_complete on that reconnect is reported, and the client stops", async () => {
    await withClient({}, async (harness) => {
      const { connection, connections, cutConnections, client, events, waitFor } = harness;
      const first = await connection(0);
      await first.opened();
      first.send(question("q1"));
      await first.roundTrip();
      const id = client.answer("Alpha");
      await first.frame((message) => message.clientMessageId === id, "the answer");
      cutConnections(); // the server completed the interview; its session_complete was lost
      const second = await connection(1);
      assert.equal(second.url.searchParams.get("sessionId"), "s-1");
      await second.opened();
      second.send({ type: "session_complete", sessionId: "s-1", documentId: "d-1" });
      second.close(1000, "interview complete");
      await waitFor(() => client.state === "closed", "the client to close");
      const closed = events.findLast((event) => event.type === "state")?.detail as StateDetail;
      assert.deepEqual(closed, {
        state: "closed",
        previous: "open",
        code: 1000,
        reason: "interview complete",
      });
      assert.deepEqual(events.filter((event) => event.type === "complete"), [
        { type: "complete", detail: { sessionId: "s-1", documentId: "d-1" } },
      ]);
      assert.deepEqual(second.received, [], "the answer is not resent");
      assert.equal(client.pendingAnswer, null);
      assert.throws(() => client.answer("more"), /interview is closed/);
      // Longer than any delay the backoff could pick: a reconnect would have come by now.
      await new Promise((resolve) => setTimeout(resolve, 2 * BACKOFF.maxMs));
      assert.equal(connections.length, 2, "no new connection");
    });
  });

  await t.step("a session kept by the app is named on the first connection", async () => {
    const kept = "0b8c5a52-3f1e-4c43-9a7e-1d2f3a4b5c6d";
    await withClient({ sessionId: kept }, async ({ connection, client, events, waitFor }) => {
      const first = await connection(0);
      assert.equal(first.url.searchParams.get("sessionId"), kept);
      assert.equal(client.sessionId, kept);
      await first.opened();
      // The interview completed while the page was gone: the server says so at once.
      first.send({ type: "session_complete", sessionId: kept, documentId: "d-9" });
      first.close(1000, "interview complete");
      await waitFor(() => client.state === "closed", "the client to close");
      assert.deepEqual(events.filter((event) => event.type === "complete"), [
        { type: "complete", detail: { sessionId: kept, documentId: "d-9" } },
      ]);
    });
  });

  await t.step("a kept session is not named when restarting", async () => {
    await withClient(
      { restart: true, sessionId: "0b8c5a52-3f1e-4c43-9a7e-1d2f3a4b5c6d" },
      async ({ connection }) => {
        const first = await connection(0);
        assert.equal(first.url.searchParams.get("restart"), "1");
        assert.equal(first.url.searchParams.get("sessionId"), null);
      },
    );
  });

  await t.step("a kept session that is not a UUID is refused before connecting", () => {
    assert.throws(
      () =>
        new ChatClient({
          url: "ws://127.0.0.1:9/chat",
          templateId: "t",
          getToken: () => "x",
          sessionId: "s-1",
        }),
      /sessionId "s-1" is not a UUID/,
    );
  });

  await t.step("a restart's first connection names no session; its reconnect does", async () => {
    await withClient({ restart: true }, async ({ connection }) => {
      const first = await connection(0);
      await first.opened();
      assert.equal(first.url.searchParams.get("restart"), "1");
      assert.equal(first.url.searchParams.get("sessionId"), null);
      first.send({ type: "next_question", sessionId: "s-new", question: { id: "q1", text: "?" } });
      await first.roundTrip();
      first.close(1012, "server restarting");
      const second = await connection(1);
      assert.equal(second.url.searchParams.get("restart"), null);
      assert.equal(second.url.searchParams.get("sessionId"), "s-new");
    });
  });
});
