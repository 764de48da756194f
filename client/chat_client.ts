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
 * session, its refreshes, the chat's URL and the user's Realtime topic from it (supabase_link.ts),
 * typed by shape so that supabase-js is not bundled. Options are checked in client_options.ts.
 */
import type {
  ChatClientEventMap,
  ChatClientOptions,
  ConnectionState,
  Listener,
  PendingMessage,
  ReviewDetail,
} from "./chat_client_types.ts";
import { checkedOptions } from "./client_options.ts";
import { newMessageId } from "./message_id.ts";
import { SupabaseLink } from "./supabase_link.ts";
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

/**
 * One interview over one template. Call `connect()`, listen with `on()`, answer with `answer()`.
 * The client stops for good on `close()`, on a final close code, and after `complete`.
 */
export class ChatClient extends EventTarget {
  #model: ChatModel;
  #connection: Connection;
  /** v2: the person's time zone, sent with every answer and edit. */
  #tz: string | undefined;
  #supabase: SupabaseLink | undefined;
  #templateId: string;

  constructor(options: ChatClientOptions) {
    super();
    const { resolved, Socket } = checkedOptions(options);
    this.#tz = options.tz || undefined;
    this.#templateId = options.templateId;
    this.#model = initialModel(options);
    this.#supabase = options.supabase === undefined ? undefined : new SupabaseLink(
      options.supabase,
      {
        realtime: options.realtime === true,
        useToken: (token) => this.#connection.useToken(token),
        signedOut: () => {
          this.#emit("error", {
            source: "client",
            code: "signed_out",
            message: "The user signed out: the interview is closed",
            retryable: false,
          });
          this.close();
        },
        closed: () => this.state === "closed",
        current: () => ({ sessionId: this.sessionId, templateId: this.#templateId }),
        emit: (type, detail) => this.#emit(type, detail as never),
      },
    );
    this.#connection = new Connection(resolved, Socket, {
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
          this.#supabase?.stop();
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
    this.#supabase?.start();
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
    this.#supabase?.stop();
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
