// End-to-end: the client against the real chat function (its own process, restarted or killed
// by the tests), the local Postgres with the migrations, and a real HTTP AI service.
import assert from "node:assert/strict";
import type postgres from "postgres";
import { type FakeAiService, startFakeAiService } from "../test_support/fake_ai_service.ts";
import {
  adminSql,
  chatEnv,
  freePort,
  type FunctionProcess,
  newUserOnTemplate,
  signToken,
  startFunction,
  storedHistory,
} from "../test_support/local_stack.ts";
import { startTcpProxy, type TcpProxy } from "../test_support/tcp_proxy.ts";
import {
  ChatClient,
  type ChatClientEventMap,
  type ChatClientOptions,
  type Turn,
} from "./chat_client.ts";

type EventName = keyof ChatClientEventMap;

/** A client with every event recorded, and a way to wait for the next one of a kind. */
class RecordedClient {
  readonly client: ChatClient;
  readonly events: { type: EventName; detail: unknown }[] = [];
  #consumed = new Set<number>();

  constructor(options: ChatClientOptions) {
    this.client = new ChatClient(options);
    const types: EventName[] = ["state", "resumed", "question", "complete", "error"];
    for (const type of types) {
      this.client.on(type, (detail) => this.events.push({ type, detail }));
    }
    this.client.connect();
  }

  /** The first event of `type` not returned before that matches, waiting up to timeoutMs. */
  next = async <K extends EventName>(
    type: K,
    match: (detail: ChatClientEventMap[K]) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ChatClientEventMap[K]> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex((event, i) =>
        !this.#consumed.has(i) && event.type === type &&
        match(event.detail as ChatClientEventMap[K])
      );
      if (index >= 0) {
        this.#consumed.add(index);
        return this.events[index]!.detail as ChatClientEventMap[K];
      }
      if (Date.now() > deadline) {
        throw new Error(`No ${type} event within ${timeoutMs} ms: ${JSON.stringify(this.events)}`);
      }
      await delay(20);
    }
  };

  state = (state: ChatClientEventMap["state"]["state"]) =>
    this.next("state", (detail) => detail.state === state);
}

interface Stack {
  sql: postgres.Sql;
  ai: FakeAiService;
  chatUrl: string;
  chat(): FunctionProcess;
  /** Stops the chat process with a signal and starts a new one on the same port. */
  restartChat(signal: Deno.Signal, downMs?: number): Promise<void>;
  newUser(questions?: number): Promise<{ userId: string; token: string; templateId: string }>;
  client(options: Partial<ChatClientOptions> & { templateId: string }): RecordedClient;
  history(sessionId: string): Promise<Turn[]>;
}

async function withStack(run: (stack: Stack) => Promise<void>): Promise<void> {
  const sql = adminSql();
  const ai = startFakeAiService();
  const port = freePort();
  const start = () => startFunction("chat", chatEnv(ai.url), "/health", { port });
  let chat = await start();
  const clients: RecordedClient[] = [];
  try {
    await run({
      sql,
      ai,
      chatUrl: `ws://127.0.0.1:${port}/chat`,
      chat: () => chat,
      async restartChat(signal, downMs = 300) {
        await chat.stop(signal);
        await delay(downMs);
        chat = await start();
      },
      newUser: (questions) => newUserOnTemplate(sql, questions),
      client(options) {
        const recorded = new RecordedClient({
          url: `ws://127.0.0.1:${port}/chat`,
          getToken: () => {
            throw new Error("no token source");
          },
          backoff: { initialMs: 100, maxMs: 800 },
          // The v1 suite, as before v2; the SDK's v2 against the real chat: v2_e2e_test.ts.
          protocol: "v1",
          ...options,
        });
        clients.push(recorded);
        return recorded;
      },
      history: (sessionId) => storedHistory(sql, sessionId),
    });
  } catch (error) {
    console.error(chat.logs.slice(-30).join("\n"));
    throw error;
  } finally {
    for (const recorded of clients) recorded.client.close();
    await delay(50);
    await chat.stop();
    await ai.close();
    await sql.end();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await delay(50);
  }
}

Deno.test("the client reconnects after the chat process is killed and resumes where it was", async () => {
  await withStack(async ({ newUser, client, restartChat, history }) => {
    const { token, templateId } = await newUser(3);
    const { client: chat, next, state } = client({ templateId, getToken: () => token });
    const q1 = await next("question");
    assert.deepEqual(q1.question, { id: "q1", text: "Question 1?" });
    chat.answer("Alpha");
    assert.equal((await next("question")).question.id, "q2");

    await restartChat("SIGKILL");
    const dropped = await state("reconnecting");
    assert.equal(dropped.code, 1006, "a killed server sends no close frame");

    const resumed = await next("resumed");
    assert.equal(resumed.sessionId, q1.sessionId);
    assert.deepEqual(resumed.history, await history(q1.sessionId));
    const again = await next("question");
    assert.deepEqual(again.question, { id: "q2", text: "Question 2?" });
    assert.equal(again.repeated, true, "the pending question, already shown");

    chat.answer("Beta");
    assert.equal((await next("question")).question.id, "q3");
    chat.answer("Gamma");
    const done = await next("complete");
    assert.equal(done.sessionId, q1.sessionId);
    const closed = await state("closed");
    assert.equal(closed.code, 1000);
    assert.deepEqual((await history(q1.sessionId)).map((turn) => turn.content), [
      "Question 1?",
      "Alpha",
      "Question 2?",
      "Beta",
      "Question 3?",
      "Gamma",
    ]);
  });
});

Deno.test("a draining server (1012) sends the client to the restarted one", async () => {
  await withStack(async ({ newUser, client, restartChat }) => {
    const { token, templateId } = await newUser(2);
    const { client: chat, next, state } = client({ templateId, getToken: () => token });
    await next("question");
    await restartChat("SIGTERM");
    assert.equal((await state("reconnecting")).code, 1012);
    await next("resumed");
    assert.equal((await next("question")).question.id, "q1");
    chat.answer("Alpha");
    assert.equal((await next("question")).question.id, "q2");
  });
});

Deno.test("an answer stored before the drop is not stored again after the reconnect", async () => {
  await withStack(async ({ ai, newUser, client, restartChat, history }) => {
    const { token, templateId } = await newUser(2);
    const { client: chat, next } = client({ templateId, getToken: () => token });
    const q1 = await next("question");
    ai.setMode("hang"); // the answer is stored, then the AI never answers
    const id = chat.answer("Alpha");
    await until(async () => (await history(q1.sessionId)).length === 2, "the stored answer");
    await restartChat("SIGKILL");
    ai.setMode("ok");

    const resumed = await next("resumed");
    assert.equal(resumed.history.at(-1)?.clientMessageId, id);
    const q2 = await next("question");
    assert.equal(q2.question.id, "q2");
    assert.equal(q2.repeated, false, "a new question: the answer was acknowledged by the history");
    assert.equal(chat.pendingAnswer, null);
    const turns = await history(q1.sessionId);
    assert.equal(turns.filter((turn) => turn.clientMessageId === id).length, 1);
    assert.deepEqual(turns.map((turn) => turn.content), ["Question 1?", "Alpha", "Question 2?"]);
  });
});

Deno.test("an answer lost with the connection is resent with the same id and stored once", async () => {
  let proxy: TcpProxy | undefined;
  try {
    await withStack(async ({ chatUrl, newUser, client, history }) => {
      proxy = startTcpProxy({ port: Number(new URL(chatUrl).port) });
      const { token, templateId } = await newUser(2);
      const { client: chat, next, state } = client({
        templateId,
        getToken: () => token,
        url: `ws://127.0.0.1:${proxy.port}/chat`,
      });
      const q1 = await next("question");
      proxy.hold(); // what the client sends now never reaches the server
      const id = chat.answer("Alpha");
      await delay(200);
      assert.equal((await history(q1.sessionId)).length, 1, "not stored yet");
      proxy.dropAll();
      proxy.release();
      assert.equal((await state("reconnecting")).code, 1006);

      await next("resumed");
      assert.equal((await next("question")).question.id, "q1");
      assert.equal((await next("question")).question.id, "q2", "the resend was answered");
      assert.equal(chat.pendingAnswer, null);
      const turns = await history(q1.sessionId);
      assert.deepEqual(
        turns.map((turn) => [turn.content, turn.clientMessageId]),
        [["Question 1?", undefined], ["Alpha", id], ["Question 2?", undefined]],
      );
    });
  } finally {
    await proxy?.close();
  }
});

Deno.test("a connection superseded by the same user's newer one (4509) never reconnects", async () => {
  await withStack(async ({ newUser, client }) => {
    const { token, templateId } = await newUser(2);
    let sockets = 0;
    class CountingWebSocket extends WebSocket {
      constructor(url: string, protocols: string[]) {
        super(url, protocols);
        sockets++;
      }
    }
    const older = client({ templateId, getToken: () => token, WebSocket: CountingWebSocket });
    await older.next("question");
    const newer = client({ templateId, getToken: () => token });
    await newer.next("resumed");
    assert.equal((await newer.next("question")).question.id, "q1");

    const closed = await older.state("closed");
    assert.equal(closed.code, 4509);
    await delay(1_500);
    assert.equal(sockets, 1, "no reconnect attempt");
    assert.equal(older.events.filter((e) => e.type === "state").length, 3);
    newer.client.answer("Alpha");
    assert.equal((await newer.next("question")).question.id, "q2");
  });
});

Deno.test("a client cut while superseded reconnects with its generation and is told 4509", async () => {
  let proxy: TcpProxy | undefined;
  try {
    await withStack(async ({ chatUrl, newUser, client, history }) => {
      proxy = startTcpProxy({ port: Number(new URL(chatUrl).port) });
      const { token, templateId } = await newUser(3);
      const older = client({
        templateId,
        getToken: () => token,
        url: `ws://127.0.0.1:${proxy.port}/chat`,
        protocol: "v2",
      });
      const q1 = await older.next("question");
      // What the server tells the older tab is lost from now on; a newer tab takes over.
      proxy.hold("server");
      const newer = client({ templateId, getToken: () => token, protocol: "v2" });
      await newer.next("resumed");
      assert.equal((await newer.next("question")).question.id, "q1");
      // The older tab sends while its 4509 is held, then its socket is cut: it sees 1006.
      older.client.answer("From the old tab");
      proxy.dropAll();
      proxy.release();
      assert.equal((await older.state("reconnecting")).code, 1006);
      // Its reconnect names the generation it held: refused, and it stops for good.
      const closed = await older.state("closed");
      assert.equal(closed.code, 4509);
      // The newer tab keeps the interview: its answer is the one stored.
      newer.client.answer("From the new tab");
      assert.equal((await newer.next("question")).question.id, "q2");
      const answers = (await history(q1.sessionId)).filter((turn) => turn.role === "user");
      assert.deepEqual(answers.map((turn) => turn.content), ["From the new tab"]);

      // "Continue here" in the older tab: a new client, which names no generation, takes over.
      const takeOver = client({
        templateId,
        getToken: () => token,
        protocol: "v2",
        sessionId: q1.sessionId,
      });
      await takeOver.next("resumed");
      assert.equal((await takeOver.next("question")).question.id, "q2");
      assert.equal((await newer.state("closed")).code, 4509);
    });
  } finally {
    await proxy?.close();
  }
});

Deno.test("final refusals stop the client: unknown template (4504), bad token (4500)", async (t) => {
  await withStack(async ({ newUser, client }) => {
    const { token, templateId } = await newUser(1);
    await t.step("4504", async () => {
      const recorded = client({ templateId: crypto.randomUUID(), getToken: () => token });
      assert.equal((await recorded.state("closed")).code, 4504);
    });
    await t.step("4500", async () => {
      const recorded = client({ templateId, getToken: () => `${token}x` });
      assert.equal((await recorded.state("closed")).code, 4500);
    });
  });
});

Deno.test("an expired token (4001) is replaced through the app's callback", async () => {
  await withStack(async ({ newUser, client }) => {
    const { userId, templateId } = await newUser(1);
    const reasons: string[] = [];
    const { next, state } = client({
      templateId,
      getToken: (reason) => {
        reasons.push(reason);
        const expired = Math.floor(Date.now() / 1000) - 60;
        return signToken(userId, { expiresIn: reason === "connect" ? expired : "1h" });
      },
    });
    assert.equal((await state("reconnecting")).code, 4001);
    assert.equal((await next("question")).question.id, "q1");
    assert.deepEqual(reasons, ["connect", "expired"]);
  });
});

Deno.test("the token is refreshed over the open socket before it expires", async () => {
  await withStack(async ({ newUser, client }) => {
    const { userId, templateId } = await newUser(2);
    const reasons: string[] = [];
    let sockets = 0;
    class CountingWebSocket extends WebSocket {
      constructor(url: string, protocols: string[]) {
        super(url, protocols);
        sockets++;
      }
    }
    const { client: chat, next, events } = client({
      templateId,
      WebSocket: CountingWebSocket,
      getToken: (reason) => {
        reasons.push(reason);
        return signToken(userId, { expiresIn: reason === "connect" ? "3s" : "1h" });
      },
    });
    const refreshed = new Promise<string>((resolve) =>
      chat.on("token_refreshed", ({ expiresAt }) => resolve(expiresAt))
    );
    await next("question");
    const expiresAt = Date.parse(await refreshed);
    assert.ok(expiresAt > Date.now() + 50 * 60_000, "the server holds the new expiry");
    await delay(3_500); // past the first token's expiry
    chat.answer("Alpha");
    assert.equal((await next("question")).question.id, "q2");
    assert.deepEqual(reasons, ["connect", "refresh"]);
    assert.equal(sockets, 1, "the same socket throughout");
    assert.equal(events.filter((e) => e.type === "error").length, 0);
  });
});

Deno.test("a completion lost with a SIGKILLed process is reported on the reconnect", async () => {
  let proxy: TcpProxy | undefined;
  try {
    await withStack(async ({ sql, chat, chatUrl, newUser, client, restartChat }) => {
      proxy = startTcpProxy({ port: Number(new URL(chatUrl).port) });
      const { userId, token, templateId } = await newUser(2);
      const { client: recorded, next, state, events } = client({
        templateId,
        getToken: () => token,
        url: `ws://127.0.0.1:${proxy.port}/chat`,
      });
      const q1 = await next("question");
      recorded.answer("Alpha");
      assert.equal((await next("question")).question.id, "q2");

      proxy.hold("server"); // what the server sends from now on never reaches the client
      recorded.answer("Beta");
      await until(async () => {
        const [row] = await sql`select is_complete from chat_sessions where id = ${q1.sessionId}`;
        return row?.is_complete === true;
      }, "the completion to commit");
      const [stored] = await sql`
        select id from generated_documents where session_id = ${q1.sessionId}`;
      // The process dies with session_complete unsent, or sent and held: either way it is lost.
      await chat().stop("SIGKILL");
      proxy.dropAll();
      proxy.release();
      assert.equal((await state("reconnecting")).code, 1006);
      await restartChat("SIGKILL"); // already gone: starts a new process on the same port

      const done = await next("complete");
      assert.deepEqual(done, { sessionId: q1.sessionId, documentId: stored!.id });
      assert.equal((await state("closed")).code, 1000);
      assert.equal(events.filter((event) => event.type === "question").length, 2, "no new one");
      assert.equal(events.some((event) => event.type === "resumed"), false);
      const [{ count }] = await sql`select count(*)::int from chat_sessions
        where user_id = ${userId}` as unknown as [{ count: number }];
      assert.equal(count, 1, "no new interview was started");
      assert.match(chat().logs.join("\n"), /"event":"completion_reported"/);
    });
  } finally {
    await proxy?.close();
  }
});
