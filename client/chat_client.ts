/**
 * A client for the guided document chat (WebSocket protocol chat.v2 by default, chat.v1 on
 * request). No dependencies: it uses only WebSocket, EventTarget, CustomEvent, timers and crypto,
 * so it runs unchanged in browsers and in Deno. Its wire types and constants are the server's own
 * (`_shared/wire`), imported without the zod schemas so that a browser bundle stays small.
 *
 * This is the public front of two parts: the pure model of the interview (chat_model.ts: what was
 * asked, what waits for an acknowledgement, what to resend) and the connection (connection.ts:
 * the socket, backoff, token refresh, heartbeat). It feeds the connection's news to the model and
 * carries out the effects the model returns. Given the app's supabase-js client, it takes the
 * session, its refreshes, the chat's URL and the user's Realtime topic from it
 * (supabase_adapter.ts, realtime_topic.ts), typed by shape so that supabase-js is not bundled.
 */
import type {
  ChatClientEventMap,
  ChatClientOptions,
  ConnectionState,
  Listener,
  PendingMessage,
  ResolvedChatClientOptions,
  ReviewDetail,
  WebSocketFactory,
} from "./chat_client_types.ts";
import { tokenSubject } from "./jwt.ts";
import { readUserTopicEvent, subscribeUserTopic } from "./realtime_topic.ts";
import {
  chatUrlOf,
  followSessionTokens,
  type RealtimeChannelLike,
  sessionTokenSource,
  type SupabaseClientLike,
} from "./supabase_adapter.ts";
import {
  type ChatEffect,
  type ChatEvent,
  type ChatModel,
  connectionQuery,
  initialModel,
  isReady,
  offeredSubprotocol,
  protocolOf,
  refusal,
  step,
} from "./chat_model.ts";
import { Connection } from "./connection.ts";
import type { ProtocolVersion } from "../supabase/functions/_shared/wire/constants.ts";
import type { Question } from "../supabase/functions/_shared/wire/protocol.ts";

export { backoffDelay, type BackoffOptions } from "./backoff.ts";
export { type CloseAction, closeAction } from "./close_codes.ts";
export { CloseCode } from "../supabase/functions/_shared/wire/close_codes.ts";
export { tokenExpiresAt } from "./jwt.ts";
export { USER_TOPIC_EVENTS, userTopic, type UserTopicEvent } from "./realtime_topic.ts";
export type {
  BroadcastMessage,
  RealtimeChannelLike,
  SupabaseAuthLike,
  SupabaseClientLike,
  SupabaseSessionLike,
} from "./supabase_adapter.ts";
export type * from "./chat_client_types.ts";
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

/** The server's own test of a session id (transport/handshake.ts): a malformed one closes with 4522. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One interview over one template. Call `connect()`, listen with `on()`, answer with `answer()`.
 * The client stops for good on `close()`, on a final close code, and after `complete`.
 */
export class ChatClient extends EventTarget {
  #model: ChatModel;
  #connection: Connection;
  /** v2: the person's time zone, sent with every answer and edit. */
  #tz: string | undefined;
  #supabase: SupabaseClientLike | undefined;
  #realtime: boolean;
  #templateId: string;
  #unfollowSession: (() => void) | undefined;
  #channel: RealtimeChannelLike | undefined;

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
    if (options.sessionId !== undefined && !UUID.test(options.sessionId)) {
      throw new TypeError(
        `Cannot create a chat client: sessionId "${options.sessionId}" is not a UUID`,
      );
    }
    this.#tz = options.tz || undefined;
    this.#supabase = options.supabase;
    this.#realtime = options.realtime === true;
    this.#templateId = options.templateId;
    if (this.#realtime && !this.#supabase) {
      throw new TypeError("Cannot create a chat client: realtime needs the supabase option");
    }
    this.#model = initialModel(options);
    this.#connection = new Connection(resolveOptions(options), Socket, {
      target: () => ({
        query: connectionQuery(this.#model),
        subprotocol: offeredSubprotocol(this.#model),
      }),
      opened: (subprotocol) => this.#dispatch({ type: "opened", subprotocol }),
      frame: (frame) => {
        this.#emit("message", frame);
        this.#dispatch({ type: "frame", frame });
      },
      closed: (code, reason) => this.#dispatch({ type: "closed", code, reason }),
      state: (detail) => {
        if (detail.state === "closed") {
          this.#dispatch({ type: "ended" });
          this.#leaveSupabase();
        }
        this.#emit("state", detail);
      },
      error: (error) => this.#emit("error", { source: "client", ...error }),
      tokenRefreshed: (expiresAt) => this.#emit("token_refreshed", { expiresAt }),
    });
  }

  get state(): ConnectionState {
    return this.#connection.state;
  }

  /** The session's id: the one the app gave, then the one the server sends. */
  get sessionId(): string {
    return this.#model.sessionId;
  }

  /**
   * The protocol of the interview: the one the server chose (its 101 response's subprotocol)
   * once a connection opened; before that, the one asked for (the `protocol` option, "v2").
   */
  get protocol(): ProtocolVersion {
    return protocolOf(this.#model);
  }

  /** The question waiting for an answer, as last seen; null in review. */
  get question(): Question | null {
    return this.#model.question;
  }

  /** v2: the review last seen while it stands (no question asked since), or null. */
  get review(): ReviewDetail | null {
    return this.#model.review;
  }

  /** The answer sent (or waiting to be sent) that the server has not acknowledged yet. */
  get pendingAnswer(): { clientMessageId: string; content: string } | null {
    const message = this.#model.pending?.message;
    return message?.type === "user_message"
      ? { clientMessageId: message.clientMessageId, content: message.content }
      : null;
  }

  /** The answer, edit or confirm the server has not acknowledged yet, as it is (re)sent. */
  get pending(): PendingMessage | null {
    return this.#model.pending?.message ?? null;
  }

  /**
   * The answer, edit or confirm that the server's latest frame acknowledged (by the question or
   * review that follows it, an error, completion, or a resumed history that holds it), or null.
   * A `question`, `review` or `error` listener reads it to settle what the user sent.
   */
  get acknowledged(): PendingMessage | null {
    return this.#model.acknowledged;
  }

  /** The server closed with 4509: this user's newer connection took the interview over. */
  get superseded(): boolean {
    return this.#model.superseded;
  }

  /** Adds a typed listener; returns a function that removes it. */
  on<K extends keyof ChatClientEventMap>(type: K, listener: Listener<K>): () => void {
    const handler = (event: Event) => listener((event as CustomEvent).detail);
    this.addEventListener(type, handler);
    return () => this.removeEventListener(type, handler);
  }

  /** Opens the connection. Calling it again while connected does nothing. */
  connect(): void {
    if (this.#connection.state !== "idle") return;
    const supabase = this.#supabase;
    if (supabase) {
      this.#unfollowSession = followSessionTokens(
        supabase,
        (token) => this.#connection.useToken(token),
        () => {
          this.#emit("error", {
            source: "client",
            code: "signed_out",
            message: "The user signed out: the interview is closed",
            retryable: false,
          });
          this.close();
        },
      );
      if (this.#realtime) void this.#subscribeUserTopic(supabase);
    }
    this.#connection.connect();
  }

  /**
   * Sends an answer to the pending question and returns its clientMessageId. While offline the
   * answer waits and is sent after the reconnect; until the server acknowledges it (with the
   * next question, completion or an error) it is resent with the same id after every reconnect,
   * and the server stores it once.
   */
  answer(content: string, options: { questionId?: string } = {}): string {
    this.#checkCanSend("answer");
    const questionId = options.questionId ?? this.#model.question?.id;
    return this.#queue({
      type: "user_message",
      clientMessageId: newMessageId(),
      content,
      ...(questionId ? { questionId } : {}),
      ...this.#zone(),
    });
  }

  /**
   * v2: replaces the answer to a question already asked, while questions are asked or in review;
   * returns its clientMessageId. The server answers with what comes next (the pending question,
   * a question that now applies, the question again with `problem` if the edit is not accepted,
   * or the review with the new document). Sent, waited for and resent like an answer.
   */
  edit(questionId: string, content: string): string {
    this.#checkCanSend("edit");
    if (typeof questionId !== "string" || questionId === "") {
      throw new TypeError("Cannot edit: no questionId");
    }
    return this.#queue({
      type: "edit_answer",
      clientMessageId: newMessageId(),
      questionId,
      content,
      ...this.#zone(),
    });
  }

  /**
   * v2: in review, stores exactly the previewed document; returns its clientMessageId. The
   * server answers with `session_complete` (the `complete` event) and closes with 1000. Until
   * then it is resent after a reconnect; a confirm that completed but whose `session_complete`
   * was lost is reported on the reconnect, which names the session.
   */
  confirm(): string {
    this.#checkCanSend("confirm");
    return this.#queue({ type: "confirm", clientMessageId: newMessageId() });
  }

  /** Asks the server again for the pending question (after a retryable error). */
  retry(): boolean {
    if (!isReady(this.#model)) return false;
    return this.#connection.send({ type: "retry" });
  }

  /** Closes the connection for good (code 1000), and leaves the supabase client's events. */
  close(): void {
    this.#connection.close();
    this.#leaveSupabase();
  }

  /** The user's topic, `user:<uid>`, the uid from the session (or its token's `sub`). */
  async #subscribeUserTopic(supabase: SupabaseClientLike): Promise<void> {
    let userId: string | null = null;
    try {
      const { data } = await supabase.auth.getSession();
      const session = data.session;
      userId = session?.user?.id ?? (session ? tokenSubject(session.access_token) : null);
    } catch { /* reported below */ }
    if (this.state === "closed" || this.#channel) return;
    if (!userId) {
      return this.#emit("error", {
        source: "client",
        code: "realtime_unavailable",
        message: "Cannot hear the user's other devices: no one is signed in (supabase.auth)",
        retryable: false,
      });
    }
    this.#channel = subscribeUserTopic(supabase, userId, {
      onBroadcast: (event, message) => {
        const current = { sessionId: this.sessionId, templateId: this.#templateId };
        this.#emit(event, readUserTopicEvent(event, message, current));
      },
      onStatus: (status, error) => {
        if (status !== "CHANNEL_ERROR" && status !== "TIMED_OUT") return;
        this.#emit("error", {
          source: "client",
          code: "realtime_unavailable",
          message: `Cannot hear the user's other devices on Realtime topic "user:${userId}": ` +
            `${status}${error ? `: ${error.message}` : ""}`,
          retryable: true,
        });
      },
    });
  }

  #leaveSupabase(): void {
    this.#unfollowSession?.();
    this.#unfollowSession = undefined;
    const channel = this.#channel;
    this.#channel = undefined;
    if (channel && this.#supabase) void this.#supabase.removeChannel(channel).catch(() => {});
  }

  /** `tz` on v2 frames only: a v1 server knows no such field. */
  #zone(): { tz?: string } {
    return this.#tz && protocolOf(this.#model) === "v2" ? { tz: this.#tz } : {};
  }

  #checkCanSend(what: "answer" | "edit" | "confirm"): void {
    const reason = refusal(this.#model, what);
    if (reason !== null) throw new Error(reason);
  }

  #queue(message: PendingMessage): string {
    this.#dispatch({ type: "queued", message });
    return message.clientMessageId;
  }

  #dispatch(event: ChatEvent): void {
    const { model, effects } = step(this.#model, event);
    this.#model = model;
    for (const effect of effects) this.#carryOut(effect);
  }

  #carryOut(effect: ChatEffect): void {
    switch (effect.type) {
      case "send":
        this.#connection.send(effect.frame);
        return;
      case "emit":
        return this.#emit(effect.event, effect.detail);
      case "progressed":
        return this.#connection.progressed();
      case "stop":
        return this.#connection.stop(effect.code, effect.reason);
      case "reconnect":
        return this.#connection.reconnect(effect.code, effect.reason, effect.action);
    }
  }

  #emit<K extends keyof ChatClientEventMap>(type: K, detail: ChatClientEventMap[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** The URL and token source, from the options or else from the supabase client. */
function resolveOptions(options: ChatClientOptions): ResolvedChatClientOptions {
  const { supabase } = options;
  const url = options.url ?? (supabase ? chatUrlOf(supabase) : undefined);
  if (url === undefined || url === "") {
    throw new TypeError("Cannot create a chat client: give url or supabase");
  }
  const getToken = options.getToken?.bind(options) ??
    (supabase ? sessionTokenSource(supabase) : undefined);
  if (!getToken) throw new TypeError("Cannot create a chat client: give getToken or supabase");
  return { ...options, url, getToken };
}

/** A unique id for an answer; crypto.randomUUID needs a secure context, so fall back. */
function newMessageId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
