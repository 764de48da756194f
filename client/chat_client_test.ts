// Unit tests of the client's lifecycle with a scripted in-memory WebSocket; the same behaviour
// against the real chat function is in chat_client_e2e_test.ts.
import assert from "node:assert/strict";
import {
  ChatClient,
  type ChatClientEventMap,
  type ChatClientOptions,
  closeAction,
  type WebSocketFactory,
  type WebSocketLike,
} from "./chat_client.ts";

// The global WebSocket fits the client's interface, in Deno as in browsers.
const _standard: WebSocketFactory = WebSocket;

class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string, readonly protocols: string[]) {
    FakeSocket.all.push(this);
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }

  receive(message: Record<string, unknown>): void {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(message) }));
  }

  serverClose(code: number, reason = ""): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent("close", { code, reason }));
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000, reason = ""): void {
    this.readyState = 3;
    queueMicrotask(() => this.onclose?.(new CloseEvent("close", { code, reason })));
  }
}

function jwt(expiresInSeconds: number, sub = "user-1"): string {
  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const exp = Math.floor(Date.now() / 1000) + expiresInSeconds;
  return `${encode({ alg: "HS256" })}.${encode({ sub, exp, n: crypto.randomUUID() })}.sig`;
}

interface Harness {
  client: ChatClient;
  tokenRequests: string[];
  events: { type: keyof ChatClientEventMap; detail: unknown }[];
  socket(index?: number): FakeSocket;
  waitFor(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

async function withClient(
  options: Partial<ChatClientOptions>,
  run: (harness: Harness) => void | Promise<void>,
): Promise<void> {
  FakeSocket.all = [];
  const tokenRequests: string[] = [];
  const client = new ChatClient({
    url: "ws://chat.test/chat",
    templateId: "template-1",
    getToken: (reason) => {
      tokenRequests.push(reason);
      return jwt(3600);
    },
    WebSocket: FakeSocket,
    backoff: { initialMs: 20, maxMs: 80 },
    heartbeatIntervalMs: 0,
    ...options,
  });
  const events: Harness["events"] = [];
  for (
    const type of ["state", "resumed", "question", "complete", "error", "token_refreshed"] as const
  ) {
    client.on(type, (detail) => events.push({ type, detail }));
  }
  const waitFor = async (condition: () => boolean, what: string, timeoutMs = 2_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const socket = (index = -1) => {
    const found = FakeSocket.all.at(index);
    if (!found) throw new Error(`No socket ${index}`);
    return found;
  };
  try {
    client.connect();
    await waitFor(() => FakeSocket.all.length > 0, "the first socket");
    await run({ client, tokenRequests, events, socket, waitFor });
  } finally {
    client.close();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

function question(id: string, text = `${id}?`) {
  return { type: "next_question", sessionId: "s-1", question: { id, text } };
}

Deno.test("closeAction sorts every close code of the contract", () => {
  for (const code of [1000, 1008, 4500, 4504, 4509, 4999]) assert.equal(closeAction(code), "stop");
  for (const code of [1001, 1005, 1006, 1011, 1012, 4000, 4499]) {
    assert.equal(closeAction(code), "reconnect", `code ${code}`);
  }
  assert.equal(closeAction(1013), "reconnect_slowly");
  assert.equal(closeAction(4001), "refresh_token");
});

Deno.test("ChatClient connects with the token as a subprotocol", async (t) => {
  await t.step("offers chat.v1 and jwt-<token>, and puts the template in the URL", async () => {
    await withClient({ restart: true }, ({ socket, tokenRequests, client }) => {
      assert.deepEqual(tokenRequests, ["connect"]);
      const url = new URL(socket().url);
      assert.equal(url.searchParams.get("templateId"), "template-1");
      assert.equal(url.searchParams.get("restart"), "1");
      assert.equal(url.searchParams.get("token"), null, "never in the URL");
      assert.equal(socket().protocols[0], "chat.v1");
      assert.match(socket().protocols[1]!, /^jwt-[\w-]+\.[\w-]+\.sig$/);
      socket().open();
      assert.equal(client.state, "open");
    });
  });

  await t.step("restarts only on the first connection", async () => {
    await withClient({ restart: true }, async ({ socket, waitFor }) => {
      socket().open();
      socket().receive(question("q1"));
      socket().serverClose(1012, "server restarting");
      await waitFor(() => FakeSocket.all.length === 2, "the reconnect");
      assert.equal(new URL(socket().url).searchParams.get("restart"), null);
    });
  });
});

Deno.test("ChatClient never reconnects after a final close code", async (t) => {
  for (const code of [1000, 1008, 4500, 4504, 4509]) {
    await t.step(String(code), async () => {
      await withClient({}, async ({ socket, client, events }) => {
        socket().open();
        socket().serverClose(code, "final");
        await new Promise((resolve) => setTimeout(resolve, 150));
        assert.equal(FakeSocket.all.length, 1, "no new socket");
        assert.equal(client.state, "closed");
        assert.deepEqual(events.at(-1), {
          type: "state",
          detail: { state: "closed", previous: "open", code, reason: "final" },
        });
      });
    });
  }
});

Deno.test("ChatClient reconnects with backoff after a retryable close", async (t) => {
  for (const code of [1006, 1011, 1012, 1013]) {
    await t.step(String(code), async () => {
      await withClient({}, async ({ socket, client, waitFor, events }) => {
        socket().open();
        socket().serverClose(code, "");
        assert.equal(client.state, "reconnecting");
        const detail = events.at(-1)!.detail as { attempt: number; delayMs: number; code: number };
        assert.equal(detail.attempt, 1);
        assert.equal(detail.code, code);
        const [min, max] = code === 1013 ? [40, 80] : [10, 20];
        assert.ok(detail.delayMs >= min && detail.delayMs <= max, `${detail.delayMs} ms`);
        await waitFor(() => FakeSocket.all.length === 2, "the reconnect");
      });
    });
  }

  await t.step(
    "the delay grows while attempts fail and resets once a question arrives",
    async () => {
      await withClient({ random: () => 0.999 }, async ({ socket, waitFor, events }) => {
        const delays = () =>
          events.filter((e) => (e.detail as { state?: string }).state === "reconnecting")
            .map((e) => (e.detail as { delayMs: number }).delayMs);
        for (let i = 1; i <= 3; i++) {
          socket().serverClose(1006, "");
          await waitFor(() => FakeSocket.all.length === i + 1, `attempt ${i}`);
        }
        assert.deepEqual(delays(), [20, 40, 80]);
        socket().open();
        socket().receive(question("q1"));
        socket().serverClose(1012, "");
        assert.deepEqual(delays(), [20, 40, 80, 20]);
      });
    },
  );

  await t.step("gives up after maxReconnectAttempts", async () => {
    await withClient({ maxReconnectAttempts: 2 }, async ({ socket, client, waitFor }) => {
      socket().serverClose(1006, "");
      await waitFor(() => FakeSocket.all.length === 2, "attempt 1");
      socket().serverClose(1006, "");
      await waitFor(() => FakeSocket.all.length === 3, "attempt 2");
      socket().serverClose(1006, "");
      assert.equal(client.state, "closed");
    });
  });

  await t.step("4001 asks the app for a fresh token and reconnects at once", async () => {
    await withClient({}, async ({ socket, tokenRequests, waitFor }) => {
      socket().open();
      const first = socket().protocols[1];
      socket().serverClose(4001, "token expired");
      await waitFor(() => FakeSocket.all.length === 2, "the reconnect");
      assert.deepEqual(tokenRequests, ["connect", "expired"]);
      assert.notEqual(socket().protocols[1], first);
    });
  });

  await t.step("a failing getToken is reported and retried with backoff", async () => {
    let calls = 0;
    const getToken = () => {
      if (++calls === 2) throw new Error("offline");
      return jwt(3600);
    };
    await withClient({ getToken }, async ({ socket, waitFor, events }) => {
      socket().serverClose(4001, "token expired");
      await waitFor(() => FakeSocket.all.length === 2, "the reconnect after the failure");
      const error = events.find((e) => e.type === "error")!.detail as { code: string };
      assert.equal(error.code, "token_unavailable");
      assert.equal(calls, 3);
    });
  });
});

Deno.test("ChatClient resends an unacknowledged answer after a reconnect", async (t) => {
  await t.step("with the same clientMessageId, once the session is resumed", async () => {
    await withClient({}, async ({ socket, client, waitFor }) => {
      socket().open();
      socket().receive(question("q1"));
      const id = client.answer("Alpha");
      assert.deepEqual(socket().sent, [
        { type: "user_message", content: "Alpha", clientMessageId: id, questionId: "q1" },
      ]);
      socket().serverClose(1006, "");
      await waitFor(() => FakeSocket.all.length === 2, "the reconnect");
      socket().open();
      assert.deepEqual(socket().sent, [], "nothing before the resume handshake");
      socket().receive({
        type: "session_resumed",
        sessionId: "s-1",
        history: [{ role: "assistant", content: "q1?", questionId: "q1", at: "" }],
      });
      socket().receive(question("q1"));
      assert.deepEqual(socket().sent, [
        { type: "user_message", content: "Alpha", clientMessageId: id, questionId: "q1" },
      ]);
      assert.equal(client.pendingAnswer?.clientMessageId, id);
      socket().receive(question("q2"));
      assert.equal(client.pendingAnswer, null, "the next question acknowledges it");
    });
  });

  await t.step("not when the resumed history already holds it", async () => {
    await withClient({}, async ({ socket, client, waitFor, events }) => {
      socket().open();
      socket().receive(question("q1"));
      const id = client.answer("Alpha");
      socket().serverClose(1012, "server restarting");
      await waitFor(() => FakeSocket.all.length === 2, "the reconnect");
      socket().open();
      socket().receive({
        type: "session_resumed",
        sessionId: "s-1",
        history: [
          { role: "assistant", content: "q1?", questionId: "q1", at: "" },
          { role: "user", content: "Alpha", questionId: "q1", at: "", clientMessageId: id },
          { role: "assistant", content: "q2?", questionId: "q2", at: "" },
        ],
      });
      socket().receive(question("q2"));
      assert.deepEqual(socket().sent, []);
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
    await withClient({}, async ({ socket, client, waitFor }) => {
      socket().open();
      socket().receive(question("q1"));
      socket().serverClose(1006, "");
      const id = client.answer("Offline answer");
      await waitFor(() => FakeSocket.all.length === 2, "the reconnect");
      socket().open();
      socket().receive(question("q1"));
      assert.deepEqual(socket().sent, [
        { type: "user_message", content: "Offline answer", clientMessageId: id, questionId: "q1" },
      ]);
    });
  });

  await t.step("an error frame acknowledges the answer", async () => {
    await withClient({}, ({ socket, client, events }) => {
      socket().open();
      socket().receive(question("q1"));
      client.answer("Alpha");
      assert.throws(() => client.answer("Beta"), /still waiting for the server/);
      socket().receive({ type: "error", code: "ai_unavailable", message: "x", retryable: true });
      assert.equal(client.pendingAnswer, null);
      assert.deepEqual(events.at(-1), {
        type: "error",
        detail: { source: "server", code: "ai_unavailable", message: "x", retryable: true },
      });
      assert.equal(client.retry(), true);
      assert.deepEqual(socket().sent.at(-1), { type: "retry" });
    });
  });
});

Deno.test("ChatClient marks a question asked again without an answer as repeated", async () => {
  await withClient({}, ({ socket, client, events }) => {
    socket().open();
    socket().receive(question("q1"));
    socket().receive(question("q1"));
    client.answer("not an email");
    socket().receive(question("q1")); // asked again after an answer: not a repeat
    const repeated = events.filter((e) => e.type === "question")
      .map((e) => (e.detail as { repeated: boolean }).repeated);
    assert.deepEqual(repeated, [false, true, false]);
  });
});

Deno.test("ChatClient answers the server's application pings", async () => {
  await withClient({}, ({ socket }) => {
    socket().open();
    socket().receive({ type: "ping", id: "srv-7" });
    socket().receive({ type: "ping" });
    assert.deepEqual(socket().sent, [{ type: "pong", id: "srv-7" }, { type: "pong" }]);
  });
});

Deno.test("ChatClient sends heartbeats and drops a silent connection", async () => {
  await withClient(
    { heartbeatIntervalMs: 30, heartbeatTimeoutMs: 30 },
    async ({ socket, waitFor, client }) => {
      socket().open();
      await waitFor(() => socket().sent.length === 1, "a ping");
      const ping = socket().sent[0] as { type: string; id: string };
      assert.equal(ping.type, "ping");
      socket().receive({ type: "pong", id: ping.id });
      await waitFor(() => socket().sent.length === 2, "the second ping");
      await waitFor(() => client.state === "reconnecting", "the silent socket to be dropped");
      await waitFor(() => FakeSocket.all.length === 2, "the reconnect");
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
  await withClient({ getToken }, async ({ socket, waitFor, events }) => {
    socket().open();
    await waitFor(() => socket().sent.length === 1, "the refresh", 3_000);
    assert.deepEqual(socket().sent[0], { type: "refresh_token", token: tokens[1] });
    socket().receive({ type: "token_refreshed", expiresAt: "2030-01-01T00:00:00.000Z" });
    assert.deepEqual(events.at(-1), {
      type: "token_refreshed",
      detail: { expiresAt: "2030-01-01T00:00:00.000Z" },
    });
    assert.equal(FakeSocket.all.length, 1, "no reconnect needed");
  });
});

Deno.test("ChatClient stops after completion and on close()", async () => {
  await withClient({}, ({ socket, client, events }) => {
    socket().open();
    socket().receive(question("q1"));
    client.answer("Alpha");
    socket().receive({ type: "session_complete", sessionId: "s-1", documentId: "d-1" });
    assert.deepEqual(events.at(-1), {
      type: "complete",
      detail: { sessionId: "s-1", documentId: "d-1" },
    });
    assert.throws(() => client.answer("more"), /interview is closed/);
    socket().serverClose(1000, "interview complete");
    assert.equal(client.state, "closed");
  });
});
