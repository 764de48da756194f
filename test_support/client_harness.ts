// The harness of the client's unit tests: the real client on the runtime's WebSocket, over real
// sockets through a TCP proxy (so a test can cut the network), against the scripted server.
import {
  type ScriptedChatServerOptions,
  type ScriptedConnection,
  startScriptedChatServer,
} from "./scripted_chat_server.ts";
import { startTcpProxy } from "./tcp_proxy.ts";
import {
  ChatClient,
  type ChatClientEventMap,
  type ChatClientOptions,
  type StateDetail,
  type WebSocketFactory,
} from "../client/chat_client.ts";

// The global WebSocket fits the client's interface, in Deno as in browsers.
const _standard: WebSocketFactory = WebSocket;

/** Short delays keep the file fast; the default delays are backoff_test.ts's business. */
export const BACKOFF = { initialMs: 20, maxMs: 80 };

export function jwt(expiresInSeconds: number, sub = "user-1"): string {
  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const exp = Math.floor(Date.now() / 1000) + expiresInSeconds;
  return `${encode({ alg: "HS256" })}.${encode({ sub, exp, n: crypto.randomUUID() })}.sig`;
}

export interface Harness {
  client: ChatClient;
  tokenRequests: string[];
  events: { type: keyof ChatClientEventMap; detail: unknown }[];
  /** The server's connection with this index (0 for the first), once the client has made it. */
  connection(index: number): Promise<ScriptedConnection>;
  /** Every connection the client has attempted so far, refused handshakes included. */
  connections: readonly ScriptedConnection[];
  /** Cuts every connection the way a network does: no close frame, so the client sees 1006. */
  cutConnections(): void;
  /** The `state` events so far with this state. */
  states(state: StateDetail["state"]): StateDetail[];
  waitFor(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

export async function withClient(
  options: Partial<ChatClientOptions>,
  run: (harness: Harness) => void | Promise<void>,
  serverOptions: ScriptedChatServerOptions = {},
): Promise<void> {
  const server = startScriptedChatServer(serverOptions);
  // 1006 means the connection ended without a close frame, which no server sends on purpose, so
  // every connection goes through a TCP proxy that can cut it the way a network does.
  const network = startTcpProxy({ port: server.port });
  const tokenRequests: string[] = [];
  const client = new ChatClient({
    url: `ws://127.0.0.1:${network.port}/chat`,
    templateId: "template-1",
    getToken: (reason) => {
      tokenRequests.push(reason);
      return jwt(3600);
    },
    backoff: BACKOFF,
    heartbeatIntervalMs: 0,
    ...options,
  });
  const events: Harness["events"] = [];
  for (
    const type of [
      "state",
      "resumed",
      "question",
      "review",
      "complete",
      "error",
      "token_refreshed",
    ] as const
  ) {
    client.on(type, (detail) => events.push({ type, detail }));
  }
  const states = (state: StateDetail["state"]) =>
    events.flatMap((event) =>
      event.type === "state" && (event.detail as StateDetail).state === state
        ? [event.detail as StateDetail]
        : []
    );
  const waitFor = async (condition: () => boolean, what: string, timeoutMs = 2_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  try {
    client.connect();
    await server.connection(0);
    await run({
      client,
      tokenRequests,
      events,
      connection: (index) => server.connection(index),
      connections: server.connections,
      cutConnections: () => network.dropAll(),
      states,
      waitFor,
    });
  } finally {
    client.close();
    await server.close();
    await network.close();
  }
}

export function question(id: string, text = `${id}?`) {
  return { type: "next_question", sessionId: "s-1", question: { id, text } };
}
