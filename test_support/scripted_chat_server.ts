// A real WebSocket server on the loopback interface that plays the chat function's part in the
// client's unit tests. It has no chat logic: the test decides every frame and close code, so a
// test can reach states the real function reaches only by accident (a drain between an answer
// and its acknowledgement, a resumed history that already holds the answer). It records what
// each connection offered and sent, so the test checks the client's side of the contract on the
// wire rather than through a stand-in socket. Like the chat function, it echoes `chat.v2` when
// the client offers it and `chat.v1` otherwise, and says which in `protocol`.

export interface ScriptedChatServerOptions {
  /** How many handshakes to refuse (HTTP 503, which a client sees as 1006) before accepting. */
  refuseHandshakes?: number;
  /** `"v1"`: a server that speaks only chat.v1 (an older chat) and never echoes `chat.v2`. */
  speaks?: "v1";
}

export interface ScriptedConnection {
  /** The request URL the server saw. */
  readonly url: URL;
  /** The subprotocols the client offered (Sec-WebSocket-Protocol), in order. */
  readonly protocols: string[];
  /** The subprotocol the server echoed: `chat.v2` when offered, else `chat.v1` (or "" from a v1-only server offered only v2). */
  readonly protocol: string;
  /** False for a handshake the server refused. */
  readonly accepted: boolean;
  readonly open: boolean;
  /** The client's frames, parsed, in order; the pongs that answer `roundTrip()` are left out. */
  readonly received: Record<string, unknown>[];
  /** The close code and reason the server saw, once the socket is closed. */
  readonly closed: { code: number; reason: string } | null;
  send(message: Record<string, unknown>): void;
  close(code: number, reason?: string): void;
  /**
   * Pings the client and waits for its pong. Frames on one connection arrive in order, so by
   * then the client has handled every frame sent before the ping, and every frame it sent in
   * reaction has been recorded: a test can assert that something was not sent without sleeping.
   */
  roundTrip(): Promise<void>;
  /** Waits for the connection to open; throws if the server refused it. */
  opened(): Promise<void>;
  /** Waits for a received frame that matches and returns it. */
  frame(
    match: (message: Record<string, unknown>) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Waits for the socket to close and returns the code and reason the server saw. */
  closing(): Promise<{ code: number; reason: string }>;
}

export type { ScriptedChatServer };

const PROTOCOL_V1 = "chat.v1";
const PROTOCOL_V2 = "chat.v2";
const WAIT_MS = 2_000;

/** Starts the server on 127.0.0.1 on a free port. */
export function startScriptedChatServer(
  options: ScriptedChatServerOptions = {},
): ScriptedChatServer {
  return new ScriptedChatServer(options);
}

class ScriptedChatServer {
  readonly connections: ScriptedConnection[] = [];
  #refuse: number;
  #onlyV1: boolean;
  #server: Deno.HttpServer<Deno.NetAddr>;
  #changes = new Changes();

  constructor(options: ScriptedChatServerOptions = {}) {
    this.#refuse = options.refuseHandshakes ?? 0;
    this.#onlyV1 = options.speaks === "v1";
    this.#server = Deno.serve(
      { port: 0, hostname: "127.0.0.1", onListen() {} },
      (request) => this.#handle(request),
    );
  }

  get port(): number {
    return this.#server.addr.port;
  }

  /** The endpoint in the shape of the local chat function's URL. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}/chat`;
  }

  /** Waits for the connection with this index (0 for the first) to be made. */
  async connection(index: number, timeoutMs = WAIT_MS): Promise<ScriptedConnection> {
    await this.#changes.until(
      () => this.connections.length > index,
      `connection ${index}`,
      timeoutMs,
    );
    return this.connections[index]!;
  }

  /** Closes what is still open (1001) and stops listening, once every socket has closed. */
  async close(): Promise<void> {
    for (const connection of this.connections) {
      if (connection.open) connection.close(1001, "scripted server stopping");
    }
    await this.#server.shutdown();
  }

  #handle(request: Request): Response {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("WebSocket only", { status: 400 });
    }
    const url = new URL(request.url);
    const protocols = (request.headers.get("sec-websocket-protocol") ?? "")
      .split(",").map((protocol) => protocol.trim()).filter(Boolean);
    if (this.#refuse > 0) {
      this.#refuse--;
      this.#add(new Connection(url, protocols, PROTOCOL_V1, null, this.#changes));
      return new Response("refused by the script", { status: 503 });
    }
    // A v1-only server cannot echo chat.v2, and may echo chat.v1 only when it was offered: to a
    // v2 client it answers with no subprotocol at all, which the contract reads as v1.
    const protocol = !this.#onlyV1 && protocols.includes(PROTOCOL_V2)
      ? PROTOCOL_V2
      : this.#onlyV1 && !protocols.includes(PROTOCOL_V1)
      ? ""
      : PROTOCOL_V1;
    const { socket, response } = Deno.upgradeWebSocket(
      request,
      protocol ? { protocol } : {},
    );
    this.#add(new Connection(url, protocols, protocol, socket, this.#changes));
    return response;
  }

  #add(connection: Connection): void {
    this.connections.push(connection);
    this.#changes.notify();
  }
}

class Connection implements ScriptedConnection {
  readonly received: Record<string, unknown>[] = [];
  closed: { code: number; reason: string } | null = null;
  #socket: WebSocket | null;
  #pongs = new Set<string>();
  #roundTrips = 0;
  #changes: Changes;

  constructor(
    readonly url: URL,
    readonly protocols: string[],
    readonly protocol: string,
    socket: WebSocket | null,
    changes: Changes,
  ) {
    this.#socket = socket;
    this.#changes = changes;
    if (!socket) return;
    const notify = () => changes.notify();
    socket.onopen = notify;
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as Record<string, unknown>;
      if (message.type === "pong" && String(message.id).startsWith("round-trip-")) {
        this.#pongs.add(String(message.id));
      } else {
        this.received.push(message);
      }
      notify();
    };
    socket.onclose = (event) => {
      this.closed = { code: event.code, reason: event.reason };
      notify();
    };
  }

  get accepted(): boolean {
    return this.#socket !== null;
  }

  get open(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  send(message: Record<string, unknown>): void {
    this.#openSocket().send(JSON.stringify(message));
  }

  close(code: number, reason = ""): void {
    this.#openSocket().close(code, reason);
  }

  async roundTrip(): Promise<void> {
    const id = `round-trip-${++this.#roundTrips}`;
    this.send({ type: "ping", id });
    await this.#changes.until(() => this.#pongs.has(id) || this.closed !== null, `pong "${id}"`);
    if (!this.#pongs.has(id)) throw new Error(`The connection closed before pong "${id}"`);
  }

  async opened(): Promise<void> {
    if (!this.#socket) throw new Error(`The server refused connection "${this.url}"`);
    await this.#changes.until(() => this.open || this.closed !== null, "the connection to open");
    if (!this.open) throw new Error(`Connection "${this.url}" closed before it opened`);
  }

  async frame(
    match: (message: Record<string, unknown>) => boolean,
    what: string,
    timeoutMs = WAIT_MS,
  ): Promise<Record<string, unknown>> {
    let found: Record<string, unknown> | undefined;
    await this.#changes.until(
      () => (found = this.received.find(match)) !== undefined,
      what,
      timeoutMs,
    );
    return found!;
  }

  async closing(): Promise<{ code: number; reason: string }> {
    await this.#changes.until(() => this.closed !== null, "the connection to close");
    return this.closed!;
  }

  #openSocket(): WebSocket {
    if (this.#socket?.readyState !== WebSocket.OPEN) {
      throw new Error(`Cannot use connection "${this.url}": it is not open`);
    }
    return this.#socket;
  }
}

/**
 * Wakes whoever waits for a condition whenever something happens on the server, so waits need
 * neither polling nor sleeps, and end with an error after a timeout instead of hanging the run.
 */
class Changes {
  #next = Promise.withResolvers<void>();

  notify(): void {
    this.#next.resolve();
    this.#next = Promise.withResolvers<void>();
  }

  async until(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)),
        timeoutMs,
      );
    });
    try {
      while (!condition()) await Promise.race([this.#next.promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
