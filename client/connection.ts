/**
 * The client's connection: one socket at a time, the reconnect with backoff, the access token
 * (asked for, refreshed over the open socket before it expires, fetched anew after a 4001), the
 * heartbeat that notices a silent socket, and every timer. It knows nothing of the interview: it
 * hands each opened socket, parsed frame and close to its hooks, and the front (chat_client.ts)
 * decides, through the model, whether to reconnect or stop.
 */
import { backoffDelay, DEFAULT_BACKOFF } from "./backoff.ts";
import type {
  ClientError,
  ConnectionState,
  ResolvedChatClientOptions,
  StateDetail,
  TokenReason,
  WebSocketFactory,
  WebSocketLike,
} from "./chat_client_types.ts";
import { type CloseAction, HEARTBEAT_TIMEOUT_CODE, StandardCloseCode } from "./close_codes.ts";
import { tokenExpiresAt } from "./jwt.ts";
import { parseFrame } from "./server_frames.ts";
import { TOKEN_SUBPROTOCOL_PREFIX } from "../supabase/functions/_shared/wire/constants.ts";

export interface ConnectionHooks {
  /** The query parameters (beside `templateId`) and the subprotocol for the next socket. */
  target(): { query: Record<string, string>; subprotocol: string };
  /** A socket opened; `subprotocol` is the one the server chose, if the runtime says. */
  opened(subprotocol: string | undefined): void;
  /** A frame from the server, before the connection answers a ping or a token refresh. */
  frame(message: Record<string, unknown>): void;
  /** The socket closed; answer with `reconnect()` or `stop()`. */
  closed(code: number, reason: string): void;
  state(detail: StateDetail): void;
  error(error: ClientError): void;
  tokenRefreshed(expiresAt: string): void;
}

const OPEN = 1;
const ABNORMAL = StandardCloseCode.abnormalClosure;
const SLOW_BACKOFF_FACTOR = 4;
const MIN_REFRESH_DELAY_MS = 1_000;
/** A token this close to expiry is not used for a new connection. */
const TOKEN_MARGIN_MS = 5_000;

export class Connection {
  #options: ResolvedChatClientOptions;
  #WebSocket: WebSocketFactory;
  #hooks: ConnectionHooks;
  #state: ConnectionState = "idle";
  #socket: WebSocketLike | null = null;
  #token: string | null = null;
  #tokenReceivedAt = 0;
  #tokenExpired = false;
  #attempt = 0;
  #expiredInARow = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  #pingCount = 0;

  constructor(
    options: ResolvedChatClientOptions,
    WebSocket: WebSocketFactory,
    hooks: ConnectionHooks,
  ) {
    this.#options = options;
    this.#WebSocket = WebSocket;
    this.#hooks = hooks;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Opens the first socket. Calling it again does nothing. */
  connect(): void {
    if (this.#state !== "idle") return;
    this.#setState("connecting");
    void this.#open();
  }

  /** Sends a frame if a socket is open; returns whether it went out. */
  send(message: Record<string, unknown>): boolean {
    const socket = this.#socket;
    if (socket?.readyState !== OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  /**
   * A token the app refreshed on its own (supabase-js's TOKEN_REFRESHED): used from now on, and
   * sent over the open socket at once (the protocol's `refresh_token`), so the server holds it
   * before the old one expires. The server's `token_refreshed` schedules the next refresh.
   */
  useToken(token: string): void {
    if (this.#state === "closed" || token === "" || token === this.#token) return;
    this.#setToken(token);
    if (this.send({ type: "refresh_token", token })) clearTimeout(this.#refreshTimer);
  }

  /** The interview moved on: the next drop backs off from the start again. */
  progressed(): void {
    this.#attempt = 0;
    this.#expiredInARow = 0;
  }

  /** After a close that does not end the interview: reconnect as `action` says. */
  reconnect(code: number, reason: string, action: Exclude<CloseAction, "stop">): void {
    if (action === "refresh_token") {
      this.#tokenExpired = true;
      // The first 4001 reconnects at once with a fresh token; more in a row back off.
      if (this.#expiredInARow++ === 0) return this.#scheduleReconnect(code, reason, false, 0);
    }
    this.#scheduleReconnect(code, reason, action === "reconnect_slowly");
  }

  /** Stops for good: no socket, no timer, state `closed`. */
  stop(code: number, reason: string): void {
    this.#clearConnectionTimers();
    clearTimeout(this.#reconnectTimer);
    const socket = this.#socket;
    this.#socket = null;
    if (socket) socket.onclose = socket.onmessage = socket.onopen = null;
    this.#setState("closed", { code, reason });
  }

  /** The app closes the client: stop, and close the socket with 1000. */
  close(): void {
    if (this.#state === "closed") return;
    const socket = this.#socket;
    this.stop(1000, "closed by the client");
    if (socket && socket.readyState <= OPEN) socket.close(1000, "closed by the client");
  }

  async #open(): Promise<void> {
    let token: string;
    try {
      token = await this.#currentToken();
    } catch (error: unknown) {
      if (this.#state === "closed") return;
      this.#hooks.error({
        code: "token_unavailable",
        message: `Cannot get an access token: ${describe(error)}`,
        retryable: true,
      });
      return this.#scheduleReconnect(ABNORMAL, "no token", false);
    }
    if (this.#state === "closed") return;
    const { query, subprotocol } = this.#hooks.target();
    const url = new URL(this.#options.url);
    url.searchParams.set("templateId", this.#options.templateId);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    let socket: WebSocketLike;
    try {
      socket = new this.#WebSocket(url.toString(), [
        subprotocol,
        `${TOKEN_SUBPROTOCOL_PREFIX}${token}`,
      ]);
    } catch (error: unknown) {
      this.#hooks.error({
        code: "invalid_url",
        message: `Cannot open "${url.origin}${url.pathname}": ${describe(error)}`,
        retryable: false,
      });
      return this.stop(ABNORMAL, "cannot open the socket");
    }
    this.#socket = socket;
    socket.onopen = () => {
      if (socket !== this.#socket) return;
      // The model learns the server's protocol first, so a listener of "open" can read it.
      this.#hooks.opened(socket.protocol);
      this.#setState("open");
      this.#scheduleRefresh();
      this.#armHeartbeat();
    };
    socket.onmessage = (event) => {
      if (socket === this.#socket) this.#onFrame(event.data);
    };
    socket.onclose = (event) => {
      // Deno reports an abnormal closure as code 0 where browsers say 1006.
      if (socket === this.#socket) this.#onClose(event.code || ABNORMAL, event.reason);
    };
    socket.onerror = () => {};
  }

  /** The token to connect with: the one in hand unless it is missing or about to expire. */
  async #currentToken(): Promise<string> {
    const expiresAt = this.#token ? tokenExpiresAt(this.#token) : null;
    const usable = this.#token && !this.#tokenExpired &&
      (expiresAt === null || expiresAt - Date.now() > TOKEN_MARGIN_MS);
    if (usable) return this.#token!;
    const reason: TokenReason = this.#token === null && !this.#tokenExpired ? "connect" : "expired";
    const token = await this.#options.getToken(reason);
    if (typeof token !== "string" || token === "") {
      throw new TypeError("getToken returned no token");
    }
    this.#setToken(token);
    return token;
  }

  #setToken(token: string): void {
    this.#token = token;
    this.#tokenReceivedAt = Date.now();
    this.#tokenExpired = false;
  }

  #onFrame(data: unknown): void {
    const message = parseFrame(data);
    if (!message) return;
    this.#armHeartbeat();
    this.#hooks.frame(message);
    if (message.type === "ping") {
      // An application ping from the server: answer with the same id.
      this.send({ type: "pong", ...(message.id !== undefined ? { id: message.id } : {}) });
    } else if (message.type === "token_refreshed") {
      this.#scheduleRefresh();
      this.#hooks.tokenRefreshed(String(message.expiresAt));
    }
  }

  #onClose(code: number, reason: string): void {
    this.#socket = null;
    this.#clearConnectionTimers();
    if (this.#state !== "closed") this.#hooks.closed(code, reason);
  }

  #scheduleReconnect(code: number, reason: string, slowly: boolean, delayMs?: number): void {
    const max = this.#options.maxReconnectAttempts ?? Infinity;
    if (this.#attempt >= max) return this.stop(code, `gave up after ${max} attempts: ${reason}`);
    const backoff = { ...DEFAULT_BACKOFF, ...this.#options.backoff };
    if (slowly) backoff.initialMs *= SLOW_BACKOFF_FACTOR;
    const delay = delayMs ?? backoffDelay(this.#attempt, backoff, this.#options.random);
    this.#attempt++;
    this.#setState("reconnecting", { code, reason, attempt: this.#attempt, delayMs: delay });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#state === "reconnecting") void this.#open();
    }, delay);
  }

  /** Schedules a token refresh over the open socket ahead of the current token's expiry. */
  #scheduleRefresh(): void {
    clearTimeout(this.#refreshTimer);
    const expiresAt = this.#token ? tokenExpiresAt(this.#token) : null;
    if (expiresAt === null) return;
    const lifetime = expiresAt - this.#tokenReceivedAt;
    const lead = Math.min(this.#options.refreshLeadMs ?? 60_000, lifetime / 2);
    const delay = Math.max(MIN_REFRESH_DELAY_MS, expiresAt - lead - Date.now());
    this.#refreshTimer = setTimeout(() => void this.#refresh(expiresAt), delay);
  }

  async #refresh(expiresAt: number): Promise<void> {
    let token: string;
    try {
      token = await this.#options.getToken("refresh");
    } catch (error: unknown) {
      this.#hooks.error({
        code: "token_refresh_failed",
        message: `Cannot refresh the access token: ${describe(error)}`,
        retryable: true,
      });
      return this.#retryRefresh(expiresAt);
    }
    if (this.#state === "closed") return;
    const newExpiry = tokenExpiresAt(token);
    if (newExpiry !== null && newExpiry <= expiresAt) {
      // The app handed back the same (or an older) token: try again closer to expiry.
      return this.#retryRefresh(expiresAt);
    }
    this.#setToken(token);
    // While reconnecting, the next connection simply uses the new token.
    this.send({ type: "refresh_token", token });
  }

  #retryRefresh(expiresAt: number): void {
    const remaining = expiresAt - Date.now();
    if (remaining <= 0) return; // the server closes with 4001 and the reconnect asks again
    this.#refreshTimer = setTimeout(
      () => void this.#refresh(expiresAt),
      Math.max(MIN_REFRESH_DELAY_MS, Math.min(5_000, remaining / 2)),
    );
  }

  /** After any frame: ping after a quiet interval, and give up on a socket that stays silent. */
  #armHeartbeat(): void {
    clearTimeout(this.#heartbeatTimer);
    const interval = this.#options.heartbeatIntervalMs ?? 25_000;
    if (interval <= 0 || this.#socket?.readyState !== OPEN) return;
    this.#heartbeatTimer = setTimeout(() => {
      this.send({ type: "ping", id: `hb-${++this.#pingCount}` });
      this.#heartbeatTimer = setTimeout(() => {
        const socket = this.#socket;
        if (!socket) return;
        // A half-open connection may never deliver a close event: drop it and reconnect now.
        socket.onclose = socket.onmessage = socket.onopen = null;
        socket.close(HEARTBEAT_TIMEOUT_CODE, "heartbeat timeout");
        this.#onClose(ABNORMAL, "heartbeat timeout");
      }, this.#options.heartbeatTimeoutMs ?? 10_000);
    }, interval);
  }

  #clearConnectionTimers(): void {
    clearTimeout(this.#refreshTimer);
    clearTimeout(this.#heartbeatTimer);
  }

  #setState(state: ConnectionState, extra: Omit<StateDetail, "state" | "previous"> = {}): void {
    const previous = this.#state;
    this.#state = state;
    this.#hooks.state({ state, previous, ...extra });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
