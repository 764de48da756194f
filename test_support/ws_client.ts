// A plain WebSocket client for tests: Deno's WebSocket, with a queue of received messages.

// deno-lint-ignore no-explicit-any
export type Message = Record<string, any>;

export interface TestClient {
  socket: WebSocket;
  protocol: Promise<string>;
  received: Message[];
  /** Waits for the next message (of a type, if given), failing after timeoutMs. */
  next(type?: string, timeoutMs?: number): Promise<Message>;
  send(message: unknown): void;
  sendRaw(data: string | Uint8Array): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export function connect(
  baseUrl: string,
  params: {
    token?: string;
    templateId?: string;
    restart?: boolean;
    /** The `sessionId` query parameter, sent as given. */
    sessionId?: string;
    /** The `generation` query parameter: the claim a reconnecting client last held. */
    generation?: string;
    /** The `tz` query parameter: the client's IANA time zone. */
    tz?: string;
    /** The `draft` query parameter: "new" starts a draft beside the open ones. */
    draft?: string;
    tokenIn?: "query" | "protocol";
    /** The subprotocols offered before the token's: ["chat.v1"] unless given ([] offers none). */
    offer?: string[];
    /** The chat's path: "/chat" directly, "/functions/v1/chat" through the gateway. */
    path?: string;
  },
): TestClient {
  const url = new URL(params.path ?? "/chat", baseUrl.replace(/^http/, "ws"));
  if (params.templateId !== undefined) url.searchParams.set("templateId", params.templateId);
  if (params.restart) url.searchParams.set("restart", "1");
  if (params.sessionId !== undefined) url.searchParams.set("sessionId", params.sessionId);
  if (params.generation !== undefined) url.searchParams.set("generation", params.generation);
  if (params.tz !== undefined) url.searchParams.set("tz", params.tz);
  if (params.draft !== undefined) url.searchParams.set("draft", params.draft);
  const protocols = [...(params.offer ?? ["chat.v1"])];
  if (params.token !== undefined) {
    if (params.tokenIn === "query") url.searchParams.set("token", params.token);
    else protocols.push(`jwt-${params.token}`);
  }
  const socket = new WebSocket(url, protocols);
  const received: Message[] = [];
  let cursor = 0;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  socket.onmessage = (event) => {
    received.push(JSON.parse(event.data));
    wake();
  };
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.onclose = (event) => {
      resolve({ code: event.code, reason: event.reason });
      wake();
    };
  });
  socket.onerror = () => {};
  const protocol = new Promise<string>((resolve) => {
    socket.onopen = () => resolve(socket.protocol);
    closed.then(() => resolve(socket.protocol));
  });
  let isClosed = false;
  closed.then(() => (isClosed = true));

  return {
    socket,
    protocol,
    received,
    async next(type?: string, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (cursor < received.length) {
          const message = received[cursor++]!;
          if (!type || message.type === type) return message;
        }
        if (isClosed) throw new Error(`Socket closed while waiting for ${type ?? "a message"}`);
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          throw new Error(
            `No ${type ?? "message"} within ${timeoutMs} ms; got ${JSON.stringify(received)}`,
          );
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          timer = setTimeout(resolve, remaining);
        });
        clearTimeout(timer);
      }
    },
    send(message) {
      socket.send(JSON.stringify(message));
    },
    sendRaw(data) {
      socket.send(data);
    },
    closed,
    async close() {
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close(1000);
      }
      await closed;
    },
  };
}
