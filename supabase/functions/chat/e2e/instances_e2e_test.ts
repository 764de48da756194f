// End-to-end with two chat processes on one database: last connection wins across instances,
// the database fence, crashes, drains, heartbeats and token lifetime.
import assert from "node:assert/strict";
import {
  type FakeAiService,
  startFakeAiService,
} from "../../../../test_support/fake_ai_service.ts";
import {
  adminSql,
  chatEnv,
  type FunctionProcess,
  newUserOnTemplate,
  signToken,
  startFunction,
  storedHistory,
  VIA_POOLER,
} from "../../../../test_support/local_stack.ts";
import { driveInterview } from "../../../../test_support/interview_driver.ts";
import { connect, type TestClient } from "../../../../test_support/ws_client.ts";
import type postgres from "postgres";

interface Cluster {
  sql: postgres.Sql;
  ai: FakeAiService;
  a: FunctionProcess;
  b: FunctionProcess;
  open(instance: FunctionProcess, params: Parameters<typeof connect>[1]): TestClient;
  user(questions?: number): Promise<{ userId: string; token: string; templateId: string }>;
  history(sessionId: string): Promise<{ role: string; content: string; questionId?: string }[]>;
}

async function withTwoInstances(
  run: (cluster: Cluster) => Promise<void>,
  envA: Record<string, string> = {},
  envB: Record<string, string> = {},
) {
  const sql = adminSql();
  const ai = startFakeAiService();
  const a = await startFunction("chat", chatEnv(ai.url, envA));
  // B talks to Postgres as it would behind Supabase's transaction pooler: unprepared statements.
  const b = await startFunction("chat", chatEnv(ai.url, { DB_PREPARE: "false", ...envB }));
  const clients: TestClient[] = [];
  try {
    await run({
      sql,
      ai,
      a,
      b,
      open(instance, params) {
        const client = connect(instance.baseUrl, params);
        clients.push(client);
        return client;
      },
      user: (questions) => newUserOnTemplate(sql, questions),
      history: (sessionId) => storedHistory(sql, sessionId),
    });
  } catch (error) {
    console.error("instance a:\n" + a.logs.slice(-20).join("\n"));
    console.error("instance b:\n" + b.logs.slice(-20).join("\n"));
    throw error;
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all([a.stop("SIGKILL"), b.stop("SIGKILL")]);
    await ai.close();
    await sql.end();
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test("a new connection on instance B closes the user's socket on instance A with 4509", async () => {
  await withTwoInstances(async ({ a, b, open, user, history }) => {
    const health = await Promise.all(
      [a, b].map(async (i) => (await fetch(`${i.baseUrl}/health`)).json()),
    );
    assert.notEqual(health[0].instanceId, health[1].instanceId, "each instance has its own id");
    // SUPERSEDE_SIGNAL=auto: LISTEN on the direct connection, the poll through the pooler.
    const signalKind = VIA_POOLER ? "poll" : "listen";
    for (const instance of [a, b]) {
      await waitFor(() => instance.logs.some((line) => line.includes('"connection_signal_ready"')));
      assert.ok(
        instance.logs.some((line) =>
          line.includes('"connection_signal_ready"') && line.includes(`"kind":"${signalKind}"`)
        ),
        `the instance chose ${signalKind}`,
      );
    }

    const { token, templateId } = await user();
    const onA = open(a, { token, templateId });
    const q1 = await onA.next("next_question");
    const started = performance.now();
    const onB = open(b, { token, templateId });
    await onB.next("session_resumed");
    assert.deepEqual(await onA.closed, { code: 4509, reason: "superseded by a newer connection" });
    console.log(
      `supersede across instances: closed ${
        Math.round(performance.now() - started)
      } ms after the new connection opened`,
    );

    await onB.next("next_question");
    onB.send({ type: "user_message", content: "from B" });
    await onB.next("next_question");
    assert.deepEqual((await history(q1.sessionId)).map((t) => t.content), [
      "Question 1?",
      "from B",
      "Question 2?",
    ]);
  });
});

Deno.test("a superseded instance that never heard of it cannot write: the database refuses", async () => {
  await withTwoInstances(async ({ a, b, open, user, history }) => {
    const { token, templateId } = await user();
    const onA = open(a, { token, templateId });
    const q1 = await onA.next("next_question");
    const onB = open(b, { token, templateId });
    await onB.next("next_question");
    assert.equal(onA.socket.readyState, WebSocket.OPEN, "A was not told (signalling is off)");

    onA.send({ type: "user_message", content: "stale write" });
    assert.deepEqual(await onA.closed, { code: 4509, reason: "superseded by a newer connection" });
    assert.deepEqual((await history(q1.sessionId)).map((t) => t.content), ["Question 1?"]);
    onB.send({ type: "user_message", content: "fresh write" });
    assert.equal((await onB.next("next_question")).question.id, "q2");
  }, { SUPERSEDE_SIGNAL: "none" });
});

Deno.test("kill -9 of an instance mid-turn: the interview resumes on the other, nothing lost or doubled", async () => {
  await withTwoInstances(async ({ ai, a, b, open, user, history }) => {
    const { token, templateId } = await user();
    const onA = open(a, { token, templateId });
    const q1 = await onA.next("next_question");
    ai.setMode("hang");
    onA.send({ type: "user_message", content: "Alpha", clientMessageId: "m-1" });
    for (let i = 0; i < 50 && (await history(q1.sessionId)).length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await a.stop("SIGKILL");
    assert.notEqual((await onA.closed).code, 1000);
    ai.setMode("ok");

    const onB = open(b, { token, templateId });
    const resumed = await onB.next("session_resumed");
    assert.deepEqual(resumed.history.map((t: { content: string }) => t.content), [
      "Question 1?",
      "Alpha",
    ]);
    assert.equal((await onB.next("next_question")).question.id, "q2");
    onB.send({ type: "user_message", content: "Alpha", clientMessageId: "m-1" }); // the client's resend
    assert.equal((await onB.next("next_question")).question.id, "q2");
    assert.deepEqual((await history(q1.sessionId)).map((t) => t.content), [
      "Question 1?",
      "Alpha",
      "Question 2?",
    ]);
  });
});

Deno.test("SIGTERM drains: in-flight turns persist, every client gets 1012, the process exits", async () => {
  await withTwoInstances(async ({ ai, a, open, user, history }) => {
    const users = await Promise.all([user(), user(), user()]);
    const clients = users.map(({ token, templateId }) => open(a, { token, templateId }));
    const sessions = await Promise.all(
      clients.map(async (c) => (await c.next("next_question")).sessionId),
    );
    ai.setDelay(300); // the answers below are in flight when the signal arrives
    clients.forEach((client, i) => client.send({ type: "user_message", content: `answer ${i}` }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const status = a.stop("SIGTERM");
    const closes = await Promise.all(clients.map((c) => c.closed));
    assert.deepEqual(closes.map((c) => c.code), [1012, 1012, 1012]);
    assert.equal((await status).code, 0);
    for (const [i, sessionId] of sessions.entries()) {
      const turns = await history(sessionId);
      assert.equal(turns[1]?.content, `answer ${i}`, "every accepted answer is stored");
      assert.equal(turns.length, 3, "and the in-flight turn finished persisting");
    }
  }, { DRAIN_GRACE_MS: "3000" });
});

Deno.test("token lifetime: expiry closes with 4001 unless a fresh token arrives first", async (t) => {
  await withTwoInstances(async ({ a, open, user }) => {
    await t.step("an expiring token closes the socket with 4001", async () => {
      const { userId, templateId } = await user();
      const client = open(a, { token: await signToken(userId, { expiresIn: "2s" }), templateId });
      await client.next("next_question");
      assert.deepEqual(await client.closed, { code: 4001, reason: "token expired" });
    });
    await t.step("a refresh keeps the socket open past the first token's expiry", async () => {
      const { userId, templateId } = await user();
      const client = open(a, { token: await signToken(userId, { expiresIn: "2s" }), templateId });
      await client.next("next_question");
      client.send({ type: "refresh_token", token: await signToken(userId, { expiresIn: "1h" }) });
      const refreshed = await client.next("token_refreshed");
      assert.ok(Date.parse(refreshed.expiresAt) > Date.now() + 3_000_000);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      assert.equal(client.socket.readyState, WebSocket.OPEN);
      client.send({ type: "user_message", content: "still here" });
      assert.equal((await client.next("next_question")).question.id, "q2");
    });
    await t.step("a refresh with another user's token is refused with 4500", async () => {
      const { token, templateId } = await user();
      const other = await user();
      const client = open(a, { token, templateId });
      await client.next("next_question");
      client.send({ type: "refresh_token", token: other.token });
      assert.deepEqual(await client.closed, { code: 4500, reason: "unauthorized" });
    });
  });
});

Deno.test("a dead peer is found by the heartbeat and its socket closed", async () => {
  await withTwoInstances(async ({ a, user }) => {
    const { token, templateId } = await user();
    // A raw TCP client that completes the handshake, then never answers a ping.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: a.port });
    await conn.write(new TextEncoder().encode(
      `GET /chat?templateId=${templateId}&token=${token} HTTP/1.1\r\nHost: x\r\n` +
        "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    ));
    const buffer = new Uint8Array(4096);
    const head = new TextDecoder().decode(buffer.subarray(0, (await conn.read(buffer)) ?? 0));
    assert.match(head, /^HTTP\/1.1 101/);
    const total = async () => (await (await fetch(`${a.baseUrl}/health`)).json()).connections.total;
    assert.equal(await total(), 1);
    const started = performance.now();
    while ((await total()) !== 0) {
      assert.ok(performance.now() - started < 15_000, "the dead peer is still counted");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    console.log(
      `dead peer closed after ${Math.round(performance.now() - started)} ms (timeout 2 s)`,
    );
    conn.close();
  }, { HEARTBEAT_TIMEOUT_SECONDS: "2" });
});

Deno.test("connections of one user racing across instances never corrupt or duplicate history", async () => {
  await withTwoInstances(async ({ a, b, open, user, history }) => {
    const { token, templateId } = await user(40);
    let sessionId = "";
    for (let round = 0; round < 12; round++) {
      // Two connections at once, on different instances; each answers (and resends) at once.
      const racers = [open(a, { token, templateId }), open(b, { token, templateId })];
      await Promise.all(racers.map(async (client, i) => {
        try {
          const question = await client.next("next_question", 3_000);
          sessionId = question.sessionId;
          const id = `r${round}-${i}`;
          client.send({ type: "user_message", content: `answer ${id}`, clientMessageId: id });
          client.send({ type: "user_message", content: `answer ${id}`, clientMessageId: id });
          await client.next("next_question", 3_000);
        } catch {
          // superseded by the other racer: expected for one of them
        }
      }));
      await Promise.all(racers.map((client) => client.close()));
    }
    const turns = await history(sessionId);
    assert.ok(turns.length > 12, "answers were accepted");
    turns.forEach((turn, index) => {
      assert.equal(turn.role, index % 2 === 0 ? "assistant" : "user", `turn ${index} alternates`);
      if (turn.role === "user") {
        assert.equal(
          turn.questionId,
          turns[index - 1]!.questionId,
          `turn ${index} answers its question`,
        );
      }
    });
    const ids = turns.flatMap((t) => ((t as { clientMessageId?: string }).clientMessageId ?? []));
    assert.equal(new Set(ids).size, ids.length, "no answer is stored twice");
    const questions = turns.filter((t) => t.role === "assistant").map((t) => t.questionId);
    assert.equal(new Set(questions).size, questions.length, "no question is asked twice");
  });
});

Deno.test("two processes on one port (WEBSOCKET_REUSE_PORT) share the interviews", async () => {
  const sql = adminSql();
  const ai = startFakeAiService();
  const env = chatEnv(ai.url, { WEBSOCKET_REUSE_PORT: "true" });
  // Deno.serve's reusePort is behind --unstable-net (scripts/start.sh passes it too).
  const a = await startFunction("chat", env, "/health", { permissions: ["--unstable-net"] });
  const b = await startFunction("chat", env, "/health", {
    port: a.port,
    permissions: ["--unstable-net"],
  });
  try {
    // B's readiness probe may have been answered by A, so wait for B's own word.
    const listening = (p: FunctionProcess) => p.logs.some((line) => line.includes('"listening"'));
    for (let waited = 0; !listening(b) && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(listening(a) && listening(b), "both processes listen on the one port");
    const interviews = await Promise.all(Array.from({ length: 16 }, async (_, i) => {
      const user = await newUserOnTemplate(sql, 2);
      const result = await driveInterview({
        baseUrl: () => a.baseUrl,
        token: user.token,
        templateId: user.templateId,
        answer: (questionId) => `answer ${i} to ${questionId}`,
        label: `reuse-${i}`,
        timeoutMs: 20_000,
      });
      return { ...result, history: await storedHistory(sql, result.sessionId) };
    }));
    for (const interview of interviews) {
      assert.deepEqual(interview.history.map((turn) => turn.role), [
        "assistant",
        "user",
        "assistant",
        "user",
      ]);
    }
    // The kernel spreads connections by their addresses: with 16, both get some (all 16 on one
    // side has odds of 2 in 65,536).
    const completions = (p: FunctionProcess) =>
      p.logs.filter((line) => line.includes('"session_completed"')).length;
    assert.equal(completions(a) + completions(b), 16);
    assert.ok(completions(a) > 0 && completions(b) > 0, "both processes served interviews");
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await ai.close();
    await sql.end();
  }
});
