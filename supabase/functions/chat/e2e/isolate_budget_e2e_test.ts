// End-to-end: a chat process that reaches its isolate budget drains itself. Under load with a
// small CPU budget every socket closes with 1012 and every client (the SDK) reconnects to the next
// process and resumes exactly: the stored history is what was sent, nothing twice, every interview
// completes. A process born over its memory budget drains at once.
import assert from "node:assert/strict";
import type postgres from "postgres";
import { ChatClient } from "../../../../client/chat_client.ts";
import { startFakeAiService } from "../../../../test_support/fake_ai_service.ts";
import {
  adminSql,
  chatEnv,
  freePort,
  type FunctionProcess,
  newUserOnTemplate,
  ROOT,
  startFunction,
  storedHistory,
} from "../../../../test_support/local_stack.ts";

const CLIENTS = 16;
const QUESTIONS = 40;
// The process's own start costs 170-270 ms of CPU here; 80% of 600 ms leaves a few hundred turns.
const CPU_LIMIT_MS = 600;

/** 100 to 300 ms. */
function thinkMs(): number {
  return 100 + Math.random() * 200;
}

interface Interview {
  sessionId: string;
  documentId: string;
  /** The answers sent, in order, each once (a resend after a reconnect is the SDK's, same id). */
  sent: string[];
  /** Close codes that made the client reconnect. */
  reconnectCodes: number[];
  /** Per reconnect: ms from the close to the resumed session, and the SDK's backoff before it. */
  reconnects: { closeToResumedMs: number; backoffMs: number }[];
  /** Turns in the history each resume brought back. */
  resumedTurns: number[];
}

/** One interview through the SDK, at `route` as it is when the SDK (re)connects. */
function interview(route: URL, token: string, templateId: string, label: string) {
  const client = new ChatClient({
    url: route,
    templateId,
    protocol: "v1",
    getToken: () => token,
    heartbeatIntervalMs: 0,
  });
  const result: Interview = {
    sessionId: "",
    documentId: "",
    sent: [],
    reconnectCodes: [],
    reconnects: [],
    resumedTurns: [],
  };
  const done = Promise.withResolvers<Interview>();
  let closedAt: { at: number; backoffMs: number } | undefined;
  const answered = new Set<string>();
  client.on("question", ({ question }) => {
    // Asked again after a reconnect: the SDK resends the pending answer itself. (`repeated` is
    // for display: a question stored just before the drain and first seen in the resumed
    // history comes repeated, yet was never answered.)
    if (answered.has(question.id)) return;
    answered.add(question.id);
    const content = `${label} answers ${question.id}`;
    result.sent.push(content);
    // A person's think time, which also keeps within the frame guard's 5 frames a second.
    setTimeout(() => client.answer(content, { questionId: question.id }), thinkMs());
  });
  client.on("resumed", ({ history }) => {
    result.resumedTurns.push(history.length);
    if (closedAt) {
      result.reconnects.push({
        closeToResumedMs: performance.now() - closedAt.at,
        backoffMs: closedAt.backoffMs,
      });
      closedAt = undefined;
    }
  });
  client.on("state", ({ state, code, delayMs }) => {
    if (state === "reconnecting") {
      result.reconnectCodes.push(code ?? -1);
      closedAt ??= { at: performance.now(), backoffMs: 0 };
      closedAt.backoffMs += delayMs ?? 0;
    }
    if (state === "closed" && !result.documentId) {
      done.reject(new Error(`${label}: closed with ${code} before completing`));
    }
  });
  client.on("complete", ({ sessionId, documentId }) => {
    result.sessionId = sessionId;
    result.documentId = documentId;
    done.resolve(result);
  });
  const deadline = setTimeout(
    () => done.reject(new Error(`${label}: no completion within 60 s; sent ${result.sent.length}`)),
    60_000,
  );
  client.connect();
  return { client, done: done.promise.finally(() => clearTimeout(deadline)) };
}

async function assertStoredExactly(sql: postgres.Sql, run: Interview) {
  const history = await storedHistory(sql, run.sessionId);
  assert.deepEqual(
    history.filter((turn) => turn.role === "user").map((turn) => turn.content),
    run.sent,
    "the stored answers are exactly those sent, in order, each once",
  );
  history.forEach((turn, index) => {
    assert.equal(turn.role, index % 2 === 0 ? "assistant" : "user", `turn ${index} alternates`);
  });
  const questions = history.filter((turn) => turn.role === "assistant").map((t) => t.questionId);
  assert.equal(new Set(questions).size, QUESTIONS, "every question asked once");
  assert.equal(run.sent.length, QUESTIONS);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

Deno.test("a chat over its CPU budget drains under load; every client resumes on the next process", async () => {
  const sql = adminSql();
  const ai = startFakeAiService();
  const processes: FunctionProcess[] = [];
  const clients: ChatClient[] = [];
  try {
    const a = await startFunction(
      "chat",
      chatEnv(ai.url, { EDGE_CPU_LIMIT_MS: `${CPU_LIMIT_MS}` }),
    );
    processes.push(a);
    const b = await startFunction("chat", chatEnv(ai.url));
    processes.push(b);

    const health = await (await fetch(`${a.baseUrl}/health`)).json();
    assert.equal(health.budget.cpuLimitMs, CPU_LIMIT_MS);
    assert.ok(health.budget.cpuMs > 0 && health.budget.cpuMs < CPU_LIMIT_MS * 0.8, "below budget");
    assert.equal(health.budget.heapLimitMb, null, "locally only the budgets set apply");
    assert.equal(health.budget.wallClockLimitSeconds, null);
    assert.ok(health.budget.heapMb > 1);
    assert.equal(health.budget.draining, false);
    assert.deepEqual(Object.keys(health.connections).sort(), ["active", "total"]);

    // As the platform's router does: once an isolate drains, new connections go to another one.
    const route = new URL(`ws://127.0.0.1:${a.port}/chat`);
    const users = await Promise.all(
      Array.from({ length: CLIENTS }, () => newUserOnTemplate(sql, QUESTIONS)),
    );
    const runs = users.map(({ token, templateId }, i) => {
      const run = interview(route, token, templateId, `client-${i}`);
      clients.push(run.client);
      run.client.on("state", ({ state, code }) => {
        if (state === "reconnecting" && code === 1012) route.port = String(b.port);
      });
      return run.done;
    });
    const results = await Promise.all(runs);

    assert.equal((await a.stop()).code, 0, "the drained process exited by itself");
    const reached = a.logs.find((line) => line.includes('"isolate_budget_reached"'));
    assert.ok(reached, "the drain says why");
    const line = JSON.parse(reached.slice(reached.indexOf("{")));
    assert.equal(line.budget, "cpu");
    assert.equal(line.limit, CPU_LIMIT_MS);
    assert.ok(line.used >= CPU_LIMIT_MS * 0.8, `drained at ${line.used} ms of CPU`);

    for (const run of results) {
      assert.ok(run.reconnectCodes.length >= 1, "every client was on the drained process");
      assert.ok(run.reconnectCodes.every((code) => code === 1012), `closed ${run.reconnectCodes}`);
      await assertStoredExactly(sql, run);
    }
    const midInterview = results.filter((run) => run.resumedTurns.some((turns) => turns > 1));
    assert.ok(midInterview.length > 0, "the drain came under load, mid-interview");

    const reconnects = results.flatMap((run) => run.reconnects);
    const seen = reconnects.map((r) => r.closeToResumedMs);
    const server = reconnects.map((r) => r.closeToResumedMs - r.backoffMs);
    console.log(
      `drained at ${line.used} ms CPU of ${CPU_LIMIT_MS}; ${midInterview.length}/${CLIENTS} ` +
        `resumed mid-interview; close -> resumed p50 ${percentile(seen, 0.5).toFixed(0)} ms, ` +
        `max ${Math.max(...seen).toFixed(0)} ms, of which the SDK's backoff p50 ` +
        `${percentile(reconnects.map((r) => r.backoffMs), 0.5).toFixed(0)} ms; reconnect ` +
        `attempt -> resumed p50 ${percentile(server, 0.5).toFixed(1)} ms, max ` +
        `${Math.max(...server).toFixed(1)} ms`,
    );
  } catch (error) {
    for (const [i, p] of processes.entries()) {
      console.error(`process ${i}:\n${p.logs.slice(-20).join("\n")}`);
    }
    throw error;
  } finally {
    clients.forEach((client) => client.close());
    await Promise.all(processes.map((p) => p.stop("SIGKILL")));
    await ai.close();
    await sql.end();
  }
});

Deno.test("a chat born over its memory budget drains at once and exits, saying so", async () => {
  const ai = startFakeAiService();
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-sys",
        `${ROOT}supabase/functions/chat/index.ts`,
      ],
      cwd: ROOT,
      env: chatEnv(ai.url, {
        EDGE_MEMORY_LIMIT_MB: "1",
        WEBSOCKET_PORT: `${freePort()}`,
        NO_COLOR: "1",
      }),
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const { code, stdout, stderr } = await child.output();
    clearTimeout(timer);
    assert.equal(code, 0, "it drained and exited by itself");
    const logs = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    const reached = logs.split("\n")
      .find((text) => text.includes('"isolate_budget_reached"'));
    assert.ok(reached, "the drain says why");
    const line = JSON.parse(reached.slice(reached.indexOf("{")));
    assert.equal(line.budget, "memory");
    assert.equal(line.unit, "MB");
    assert.equal(line.limit, 1);
    assert.ok(line.used > 1, `its heap: ${line.used} MB`);
    assert.equal(line.usage.heapLimitMb, 1);
  } finally {
    await ai.close();
  }
});
