/**
 * A client for the guided document chat (WebSocket protocol chat.v2 by default, chat.v1 on
 * request). No dependencies: it uses only WebSocket, EventTarget, CustomEvent, timers and crypto,
 * so it runs unchanged in browsers and in Deno. Its wire types and constants are the server's own
 * (`_shared/wire`), imported without the zod schemas so that a browser bundle stays small. It owns
 * the socket's lifecycle: reconnects with backoff, resumes, resends an unacknowledged answer, edit
 * or confirm, refreshes the token over the socket and answers application pings.
 */
import { backoffDelay, type BackoffOptions, DEFAULT_BACKOFF } from "./backoff.ts";
import { closeAction } from "./close_codes.ts";
import { tokenExpiresAt } from "./jwt.ts";
import {
  type ProtocolVersion,
  SUBPROTOCOL,
  SUBPROTOCOL_V2,
  TOKEN_SUBPROTOCOL_PREFIX,
} from "../supabase/functions/_shared/wire/constants.ts";
import type {
  Answer,
  DocumentPreview,
  Progress,
  Question,
  Turn,
} from "../supabase/functions/_shared/wire/protocol.ts";

export { backoffDelay, type BackoffOptions } from "./backoff.ts";
export { type CloseAction, closeAction } from "./close_codes.ts";
export { tokenExpiresAt } from "./jwt.ts";

export {
  type ProtocolVersion,
  QUESTION_TYPES,
  type QuestionType,
  SUBPROTOCOL,
  SUBPROTOCOL_V2,
  TOKEN_SUBPROTOCOL_PREFIX,
} from "../supabase/functions/_shared/wire/constants.ts";
export type {
  Answer,
  DocumentPreview,
  Progress,
  Question,
  Turn,
} from "../supabase/functions/_shared/wire/protocol.ts";

export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/** Why the client asks the app for a token. */
export type TokenReason =
  /** The first connection. */
  | "connect"
  /** The token expires soon; the socket stays open and gets the new one. */
  | "refresh"
  /** The server refused the token as expired (close 4001), or it expired while offline. */
  | "expired";

/** The subset of the standard WebSocket the client uses, so a runtime without a global one can pass its own. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export type WebSocketFactory = new (url: string, protocols: string[]) => WebSocketLike;

export interface ChatClientOptions {
  /** The chat endpoint: `wss://<ref>.supabase.co/functions/v1/chat` or `ws://127.0.0.1:8080/chat`. */
  url: string | URL;
  templateId: string;
  /**
   * The protocol to speak. "v2" (the default) offers the subprotocol `chat.v2`: structured
   * questions with progress and problem, `edit()`, the review and `confirm()`. "v1" offers
   * `chat.v1`: questions are id and text, and the interview completes after the last answer.
   */
  protocol?: ProtocolVersion;
  /** Supplies a user access token; called to connect, before expiry, and after a 4001 close. */
  getToken(reason: TokenReason): string | Promise<string>;
  /** Abandon the open session of this template and start over (first connection only). */
  restart?: boolean;
  /**
   * The session this user was last in on this template, if the app kept it (the `sessionId` of
   * a `question` or `resumed` event, saved across a page reload, say). The first connection names
   * it, as every reconnect does, so an interview that completed while the page was gone is
   * reported as `complete` instead of a new one starting. Ignored with `restart`.
   */
  sessionId?: string;
  backoff?: BackoffOptions;
  /** Reconnect attempts in a row before giving up. Default: never give up. */
  maxReconnectAttempts?: number;
  /** Ask for a new token this long before the current one expires. Default 60 000 ms. */
  refreshLeadMs?: number;
  /** Send an application ping after this much silence; 0 turns heartbeats off. Default 25 000. */
  heartbeatIntervalMs?: number;
  /** Treat the connection as dead when a ping gets no frame back within this. Default 10 000. */
  heartbeatTimeoutMs?: number;
  /** The WebSocket implementation; the global one by default. */
  WebSocket?: WebSocketFactory;
  /** Random numbers in [0, 1) for the backoff's jitter. */
  random?: () => number;
}

export interface StateDetail {
  state: ConnectionState;
  previous: ConnectionState;
  /** The close code that caused a `reconnecting` or `closed` state. */
  code?: number;
  reason?: string;
  /** For `reconnecting`: the attempt number (1 for the first) and the delay before it. */
  attempt?: number;
  delayMs?: number;
}

export interface ChatClientEventMap {
  state: StateDetail;
  /**
   * An existing session was resumed; `history` is the whole conversation so far, `answers` the
   * current answer to each question that applies, in question order (v2; empty on v1).
   */
  resumed: { sessionId: string; history: Turn[]; answers: Answer[] };
  /**
   * A question to answer. `repeated` is true when it is the question last seen (in a question
   * event or at the end of a resumed history) and no answer was acknowledged since: the server
   * asking again after a reconnect, which a UI need not show twice. In v2 the question carries
   * its details (type, options, hint, required, min, max, currency), `progress` says how far the
   * interview is, and `problem` why the question is asked again.
   */
  question: {
    sessionId: string;
    question: Question;
    repeated: boolean;
    progress?: Progress;
    problem?: string;
  };
  /**
   * v2: every question that applies is answered. `document` is a preview, nothing is stored yet:
   * `confirm()` stores exactly it, `edit()` changes an answer first.
   */
  review: { sessionId: string; answers: Answer[]; document: DocumentPreview };
  complete: { sessionId: string; documentId: string };
  /**
   * An error frame from the server (`source: "server"`) or a problem in the client. With
   * `quota_exceeded`, `retryAfterSeconds` is when the quota frees up by itself; a refused
   * connect is then closed with 4529, after which the client does not reconnect: connect again
   * (a new ChatClient) no sooner than that.
   */
  error: {
    message: string;
    code?: string;
    retryable?: boolean;
    retryAfterSeconds?: number;
    source: "server" | "client";
  };
  /** The server accepted a refreshed token. */
  token_refreshed: { expiresAt: string };
  /** Every frame from the server, parsed, before the client acts on it. */
  message: Record<string, unknown>;
}

type Listener<K extends keyof ChatClientEventMap> = (detail: ChatClientEventMap[K]) => void;

/** A frame that waits for the server's acknowledgement, resent after a reconnect until then. */
export type PendingMessage =
  | { type: "user_message"; clientMessageId: string; content: string; questionId?: string }
  | { type: "edit_answer"; clientMessageId: string; questionId: string; content: string }
  | { type: "confirm"; clientMessageId: string };

type Pending = PendingMessage & { sent: boolean };

const PENDING_NAMES: Record<PendingMessage["type"], string> = {
  user_message: "answer",
  edit_answer: "edit",
  confirm: "confirm",
};

const OPEN = 1;
/** The server's own test of a session id (transport/handshake.ts): a malformed one closes with 4522. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLOW_BACKOFF_FACTOR = 4;
const MIN_REFRESH_DELAY_MS = 1_000;

/**
 * One interview over one template. Call `connect()`, listen with `on()`, answer with `answer()`.
 * The client stops for good on `close()`, on a final close code, and after `complete`.
 */
export class ChatClient extends EventTarget {
  #options: ChatClientOptions;
  #WebSocket: WebSocketFactory;
  #state: ConnectionState = "idle";
  #socket: WebSocketLike | null = null;
  #token: string | null = null;
  #tokenReceivedAt = 0;
  #tokenExpired = false;
  #restart: boolean;
  #attempt = 0;
  #expiredInARow = 0;
  #handshaking = false;
  #sessionId = "";
  #question: Question | null = null;
  #review: ChatClientEventMap["review"] | null = null;
  #answeredSinceQuestion = false;
  #pending: Pending | null = null;
  #complete = false;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  #pingCount = 0;

  constructor(options: ChatClientOptions) {
    super();
    if (!options.templateId) throw new TypeError("Cannot create a chat client: no templateId");
    const Socket = options.WebSocket ??
      (globalThis as { WebSocket?: WebSocketFactory }).WebSocket;
    if (!Socket) throw new TypeError("Cannot create a chat client: no WebSocket implementation");
    if (options.protocol !== undefined && options.protocol !== "v1" && options.protocol !== "v2") {
      throw new TypeError(
        `Cannot create a chat client: protocol "${options.protocol}" is not "v1" or "v2"`,
      );
    }
    this.#options = options;
    this.#WebSocket = Socket;
    this.#restart = options.restart ?? false;
    if (options.sessionId !== undefined && !UUID.test(options.sessionId)) {
      throw new TypeError(
        `Cannot create a chat client: sessionId "${options.sessionId}" is not a UUID`,
      );
    }
    this.#sessionId = options.sessionId ?? "";
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The session's id: the one the app gave, then the one the server sends. */
  get sessionId(): string {
    return this.#sessionId;
  }

  /** The protocol this client speaks (the `protocol` option; "v2" by default). */
  get protocol(): ProtocolVersion {
    return this.#options.protocol ?? "v2";
  }

  /** The question waiting for an answer, as last seen; null in review. */
  get question(): Question | null {
    return this.#question;
  }

  /** v2: the review last seen while it stands (no question asked since), or null. */
  get review(): ChatClientEventMap["review"] | null {
    return this.#review;
  }

  /** The answer sent (or waiting to be sent) that the server has not acknowledged yet. */
  get pendingAnswer(): { clientMessageId: string; content: string } | null {
    return this.#pending?.type === "user_message"
      ? { clientMessageId: this.#pending.clientMessageId, content: this.#pending.content }
      : null;
  }

  /** The answer, edit or confirm the server has not acknowledged yet, as it is (re)sent. */
  get pending(): PendingMessage | null {
    if (!this.#pending) return null;
    const { sent: _, ...message } = this.#pending;
    return message;
  }

  /** Adds a typed listener; returns a function that removes it. */
  on<K extends keyof ChatClientEventMap>(type: K, listener: Listener<K>): () => void {
    const handler = (event: Event) => listener((event as CustomEvent).detail);
    this.addEventListener(type, handler);
    return () => this.removeEventListener(type, handler);
  }

  /** Opens the connection. Calling it again while connected does nothing. */
  connect(): void {
    if (this.#state !== "idle") return;
    this.#setState("connecting");
    void this.#open();
  }

  /**
   * Sends an answer to the pending question and returns its clientMessageId. While offline the
   * answer waits and is sent after the reconnect; until the server acknowledges it (with the
   * next question, completion or an error) it is resent with the same id after every reconnect,
   * and the server stores it once.
   */
  answer(content: string, options: { questionId?: string } = {}): string {
    this.#checkCanSend("answer");
    const questionId = options.questionId ?? this.#question?.id;
    return this.#queue({
      type: "user_message",
      clientMessageId: newMessageId(),
      content,
      ...(questionId ? { questionId } : {}),
    });
  }

  /**
   * v2: replaces the answer to a question already asked, while questions are asked or in review;
   * returns its clientMessageId. The server answers with what comes next (the pending question,
   * a question that now applies, the question again with `problem` if the edit is not accepted,
   * or the review with the new document). Sent, waited for and resent like an answer.
   */
  edit(questionId: string, content: string): string {
    this.#checkCanSend("edit", true);
    if (typeof questionId !== "string" || questionId === "") {
      throw new TypeError("Cannot edit: no questionId");
    }
    return this.#queue({
      type: "edit_answer",
      clientMessageId: newMessageId(),
      questionId,
      content,
    });
  }

  /**
   * v2: in review, stores exactly the previewed document; returns its clientMessageId. The
   * server answers with `session_complete` (the `complete` event) and closes with 1000. Until
   * then it is resent after a reconnect; a confirm that completed but whose `session_complete`
   * was lost is reported on the reconnect, which names the session.
   */
  confirm(): string {
    this.#checkCanSend("confirm", true);
    return this.#queue({ type: "confirm", clientMessageId: newMessageId() });
  }

  /** Asks the server again for the pending question (after a retryable error). */
  retry(): boolean {
    if (!this.#ready()) return false;
    this.#send({ type: "retry" });
    return true;
  }

  /** Closes the connection for good (code 1000). */
  close(): void {
    if (this.#state === "closed") return;
    const socket = this.#socket;
    this.#stop(1000, "closed by the client");
    if (socket && socket.readyState <= OPEN) socket.close(1000, "closed by the client");
  }

  async #open(): Promise<void> {
    let token: string;
    try {
      token = await this.#currentToken();
    } catch (error: unknown) {
      if (this.#state === "closed") return;
      this.#emit("error", {
        source: "client",
        code: "token_unavailable",
        message: `Cannot get an access token: ${describe(error)}`,
        retryable: true,
      });
      return this.#scheduleReconnect(1006, "no token", false);
    }
    if (this.#state === "closed") return;
    const url = new URL(this.#options.url);
    url.searchParams.set("templateId", this.#options.templateId);
    if (this.#restart) {
      url.searchParams.set("restart", "1");
    } else if (this.#sessionId) {
      // A reconnect names the session it was in: if that interview completed and its
      // session_complete was lost with the connection, the server reports it instead of
      // starting another one. (After session_complete the client never reconnects.)
      url.searchParams.set("sessionId", this.#sessionId);
    }
    let socket: WebSocketLike;
    try {
      socket = new this.#WebSocket(url.toString(), [
        this.protocol === "v2" ? SUBPROTOCOL_V2 : SUBPROTOCOL,
        `${TOKEN_SUBPROTOCOL_PREFIX}${token}`,
      ]);
    } catch (error: unknown) {
      this.#emit("error", {
        source: "client",
        code: "invalid_url",
        message: `Cannot open "${url.origin}${url.pathname}": ${describe(error)}`,
        retryable: false,
      });
      return this.#stop(1006, "cannot open the socket");
    }
    this.#socket = socket;
    this.#handshaking = true;
    socket.onopen = () => {
      if (socket !== this.#socket) return;
      this.#setState("open");
      this.#scheduleRefresh();
      this.#armHeartbeat();
    };
    socket.onmessage = (event) => {
      if (socket === this.#socket) this.#onFrame(event.data);
    };
    socket.onclose = (event) => {
      // Deno reports an abnormal closure as code 0 where browsers say 1006.
      if (socket === this.#socket) this.#onClose(event.code || 1006, event.reason);
    };
    socket.onerror = () => {};
  }

  /** The token to connect with: the one in hand unless it is missing or about to expire. */
  async #currentToken(): Promise<string> {
    const expiresAt = this.#token ? tokenExpiresAt(this.#token) : null;
    const usable = this.#token && !this.#tokenExpired &&
      (expiresAt === null || expiresAt - Date.now() > 5_000);
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
    if (typeof data !== "string") return;
    let message: Record<string, unknown>;
    try {
      const value: unknown = JSON.parse(data);
      if (typeof value !== "object" || value === null || Array.isArray(value)) return;
      message = value as Record<string, unknown>;
    } catch {
      return;
    }
    this.#armHeartbeat();
    this.#emit("message", message);
    switch (message.type) {
      case "ping":
        // An application ping from the server: answer with the same id.
        this.#send({ type: "pong", ...(message.id !== undefined ? { id: message.id } : {}) });
        return;
      case "session_resumed":
        return this.#onResumed(message);
      case "next_question":
        return this.#onQuestion(message);
      case "review":
        return this.#onReview(message);
      case "session_complete":
        return this.#onComplete(message);
      case "error":
        return this.#onError(message);
      case "token_refreshed":
        this.#scheduleRefresh();
        return this.#emit("token_refreshed", { expiresAt: String(message.expiresAt) });
    }
  }

  #onResumed(message: Record<string, unknown>): void {
    this.#restart = false;
    this.#sessionId = String(message.sessionId);
    const history = Array.isArray(message.history) ? message.history as Turn[] : [];
    const pending = this.#pending;
    if (pending && history.some((turn) => turn.clientMessageId === pending.clientMessageId)) {
      // Stored before the connection dropped: acknowledged, nothing to resend.
      this.#pending = null;
      this.#answeredSinceQuestion = true;
    }
    const last = history.at(-1);
    if (last?.role === "assistant" && last.questionId) {
      const details = typeof last.details === "object" && last.details !== null
        ? last.details as Record<string, unknown>
        : {};
      this.#question = readQuestion({ ...details, id: last.questionId, text: last.content });
      this.#answeredSinceQuestion = false;
    }
    const answers = Array.isArray(message.answers) ? message.answers as Answer[] : [];
    this.#emit("resumed", { sessionId: this.#sessionId, history, answers });
  }

  #onQuestion(message: Record<string, unknown>): void {
    this.#restart = false;
    this.#attempt = 0;
    this.#expiredInARow = 0;
    this.#sessionId = String(message.sessionId);
    const question = readQuestion(message.question);
    this.#acknowledge();
    const seen = this.#question;
    const repeated = seen !== null && !this.#answeredSinceQuestion && seen.id === question.id &&
      seen.text === question.text;
    this.#question = question;
    this.#review = null;
    this.#answeredSinceQuestion = false;
    this.#emit("question", {
      sessionId: this.#sessionId,
      question,
      repeated,
      ...(isProgress(message.progress) ? { progress: { ...message.progress } } : {}),
      ...(typeof message.problem === "string" ? { problem: message.problem } : {}),
    });
    if (this.#pending && !this.#pending.sent) this.#sendPending();
  }

  #onReview(message: Record<string, unknown>): void {
    this.#restart = false;
    this.#attempt = 0;
    this.#expiredInARow = 0;
    this.#sessionId = String(message.sessionId);
    this.#acknowledge();
    const raw =
      (typeof message.document === "object" && message.document !== null
        ? message.document
        : {}) as Record<string, unknown>;
    const review = {
      sessionId: this.#sessionId,
      answers: Array.isArray(message.answers) ? message.answers as Answer[] : [],
      document: {
        title: String(raw.title ?? ""),
        content: String(raw.content ?? ""),
        format: String(raw.format ?? ""),
      },
    };
    this.#question = null;
    this.#review = review;
    this.#answeredSinceQuestion = false;
    this.#emit("review", review);
    if (this.#pending && !this.#pending.sent) this.#sendPending();
  }

  /**
   * A question or review outside the resume handshake answers the frame in flight. The one that
   * ends a handshake does not: the frame was not resent yet, and is now.
   */
  #acknowledge(): void {
    if (!this.#endHandshake() && this.#pending?.sent) {
      this.#pending = null;
      this.#answeredSinceQuestion = true;
    }
  }

  #onComplete(message: Record<string, unknown>): void {
    this.#endHandshake();
    this.#complete = true;
    this.#pending = null;
    this.#question = null;
    this.#review = null;
    this.#sessionId = String(message.sessionId);
    this.#emit("complete", { sessionId: this.#sessionId, documentId: String(message.documentId) });
  }

  #onError(message: Record<string, unknown>): void {
    if (!this.#endHandshake() && this.#pending?.sent) this.#pending = null;
    this.#emit("error", {
      source: "server",
      message: String(message.message ?? "error"),
      ...(typeof message.code === "string" ? { code: message.code } : {}),
      ...(typeof message.retryable === "boolean" ? { retryable: message.retryable } : {}),
      ...(typeof message.retryAfterSeconds === "number"
        ? { retryAfterSeconds: message.retryAfterSeconds }
        : {}),
    });
    if (this.#pending && !this.#pending.sent) this.#sendPending();
  }

  /** Ends the resume handshake; returns whether one was in progress. */
  #endHandshake(): boolean {
    if (!this.#handshaking) return false;
    this.#handshaking = false;
    this.#restart = false;
    return true;
  }

  #onClose(code: number, reason: string): void {
    this.#socket = null;
    this.#clearConnectionTimers();
    if (this.#pending) this.#pending.sent = false; // resent after the next handshake
    if (this.#state === "closed") return;
    const action = closeAction(code);
    if (this.#complete || action === "stop") return this.#stop(code, reason);
    if (action === "refresh_token") {
      this.#tokenExpired = true;
      // The first 4001 reconnects at once with a fresh token; more in a row back off.
      if (this.#expiredInARow++ === 0) return this.#scheduleReconnect(code, reason, false, 0);
    }
    this.#scheduleReconnect(code, reason, action === "reconnect_slowly");
  }

  #scheduleReconnect(code: number, reason: string, slowly: boolean, delayMs?: number): void {
    const max = this.#options.maxReconnectAttempts ?? Infinity;
    if (this.#attempt >= max) return this.#stop(code, `gave up after ${max} attempts: ${reason}`);
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

  #stop(code: number, reason: string): void {
    this.#clearConnectionTimers();
    clearTimeout(this.#reconnectTimer);
    const socket = this.#socket;
    this.#socket = null;
    if (socket) socket.onclose = socket.onmessage = socket.onopen = null;
    this.#setState("closed", { code, reason });
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
      this.#emit("error", {
        source: "client",
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
    this.#send({ type: "refresh_token", token });
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
      this.#send({ type: "ping", id: `hb-${++this.#pingCount}` });
      this.#heartbeatTimer = setTimeout(() => {
        const socket = this.#socket;
        if (!socket) return;
        // A half-open connection may never deliver a close event: drop it and reconnect now.
        socket.onclose = socket.onmessage = socket.onopen = null;
        socket.close(4000, "heartbeat timeout");
        this.#onClose(1006, "heartbeat timeout");
      }, this.#options.heartbeatTimeoutMs ?? 10_000);
    }, interval);
  }

  #clearConnectionTimers(): void {
    clearTimeout(this.#refreshTimer);
    clearTimeout(this.#heartbeatTimer);
  }

  #ready(): boolean {
    return this.#socket?.readyState === OPEN && !this.#handshaking;
  }

  #checkCanSend(what: "answer" | "edit" | "confirm", v2Only = false): void {
    if (this.#state === "closed" || this.#complete) {
      throw new Error(`Cannot ${what}: the interview is closed`);
    }
    if (v2Only && this.protocol !== "v2") {
      throw new Error(`Cannot ${what}: this client speaks protocol "v1"; ${what} needs "v2"`);
    }
    if (this.#pending) {
      const { type, clientMessageId } = this.#pending;
      throw new Error(
        `Cannot ${what}: ${
          PENDING_NAMES[type]
        } "${clientMessageId}" is still waiting for the server`,
      );
    }
  }

  #queue(message: PendingMessage): string {
    this.#pending = { ...message, sent: false };
    if (this.#ready()) this.#sendPending();
    return message.clientMessageId;
  }

  #sendPending(): void {
    const pending = this.#pending!;
    const { sent: _, ...frame } = pending;
    pending.sent = this.#send(frame);
  }

  #send(message: Record<string, unknown>): boolean {
    const socket = this.#socket;
    if (socket?.readyState !== OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  #setState(state: ConnectionState, extra: Omit<StateDetail, "state" | "previous"> = {}): void {
    const previous = this.#state;
    this.#state = state;
    this.#emit("state", { state, previous, ...extra });
  }

  #emit<K extends keyof ChatClientEventMap>(type: K, detail: ChatClientEventMap[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** The question as the server sent it, each detail kept only when it has its type. */
function readQuestion(value: unknown): Question {
  const raw = (typeof value === "object" && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const question: Question = { id: String(raw.id ?? ""), text: String(raw.text ?? "") };
  if (typeof raw.type === "string") question.type = raw.type as Question["type"];
  if (typeof raw.required === "boolean") question.required = raw.required;
  if (Array.isArray(raw.options) && raw.options.every((option) => typeof option === "string")) {
    question.options = [...raw.options];
  }
  if (typeof raw.hint === "string") question.hint = raw.hint;
  if (typeof raw.min === "number") question.min = raw.min;
  if (typeof raw.max === "number") question.max = raw.max;
  if (typeof raw.currency === "string") question.currency = raw.currency;
  return question;
}

function isProgress(value: unknown): value is Progress {
  const progress = value as Progress | null;
  return typeof progress === "object" && progress !== null &&
    typeof progress.answered === "number" && typeof progress.total === "number";
}

/** A unique id for an answer; crypto.randomUUID needs a secure context, so fall back. */
function newMessageId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
