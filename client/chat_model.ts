/**
 * The client's interview as a pure state machine, the same shape as the server's `step`:
 * `step(model, event)` returns the next model and the effects to carry out (send a frame, emit
 * an event, stop or reconnect). It holds what the client knows of the interview: the protocol
 * the server chose, the session, the pending question or the review, the one answer, edit or
 * confirm waiting for its acknowledgement (and whether it went out on this connection, so that
 * it is resent after a reconnect), superseded and completion. No socket, no timers: those are
 * connection.ts's, and the ChatClient front carries the effects out.
 */
import { CloseCode } from "../supabase/functions/_shared/wire/close_codes.ts";
import {
  type ProtocolVersion,
  SUBPROTOCOL,
  SUBPROTOCOL_V2,
} from "../supabase/functions/_shared/wire/constants.ts";
import type { Question } from "../supabase/functions/_shared/wire/protocol.ts";
import type { ChatClientEventMap, PendingMessage, ReviewDetail } from "./chat_client_types.ts";
import { type CloseAction, closeAction } from "./close_codes.ts";
import {
  lastAskedQuestion,
  readAnswers,
  readError,
  readGeneration,
  readHistory,
  readNextQuestion,
  readReview,
} from "./server_frames.ts";

export interface ChatModel {
  /** The protocol the client offers. */
  readonly requested: ProtocolVersion;
  /** The protocol the server chose for the current (or last) connection; null before one opened. */
  readonly negotiated: ProtocolVersion | null;
  /** The session: the one the app kept, then the last one the server named. */
  readonly sessionId: string;
  /** Whether the next connection asks to start over (until the server has answered one). */
  readonly restart: boolean;
  /** Whether the next connection asks for a new draft (until the server has answered one). */
  readonly newDraft: boolean;
  /**
   * The claim the server last named for this client's connection (v2 frames carry it). A
   * reconnect sends it back, so that a client whose 4509 was lost in a cut (it saw 1006) never
   * takes the interview back from a newer tab: the server answers 4509 instead. Null for a new
   * client, whose first connection takes over: that is how "Continue here" works.
   */
  readonly generation: string | null;
  /** A socket is open. */
  readonly online: boolean;
  /** Open, and the resume handshake (`session_resumed`, then a question or the review) not over. */
  readonly handshaking: boolean;
  /** The question waiting for an answer, as last seen; null in review. */
  readonly question: Question | null;
  /** The review while it stands: no question asked since. */
  readonly review: ReviewDetail | null;
  /** An answer was acknowledged since the current question was asked. */
  readonly answeredSinceQuestion: boolean;
  /** The answer, edit or confirm waiting for the server; `sent` on the current connection. */
  readonly pending: { readonly message: PendingMessage; readonly sent: boolean } | null;
  /** What the latest server frame acknowledged, or null when it acknowledged nothing. */
  readonly acknowledged: PendingMessage | null;
  /** `session_complete` arrived: the client never reconnects. */
  readonly complete: boolean;
  /** The server closed with 4509: the same user's newer connection took over. */
  readonly superseded: boolean;
  /** The client stopped for good (its connection state is `closed`). */
  readonly ended: boolean;
}

export type ChatEvent =
  /** A socket opened; `subprotocol` is the one the server chose, if the runtime says. */
  | { type: "opened"; subprotocol?: string }
  | { type: "frame"; frame: Record<string, unknown> }
  /** The socket closed (or was given up on) with this code. */
  | { type: "closed"; code: number; reason: string }
  /** The app gave an answer, an edit or a confirm (already checked with `refusal`). */
  | { type: "queued"; message: PendingMessage }
  /** The connection stopped for good. */
  | { type: "ended" };

type ModelEventName = "resumed" | "question" | "review" | "complete" | "error";
type Emit = {
  [K in ModelEventName]: { type: "emit"; event: K; detail: ChatClientEventMap[K] };
}[ModelEventName];

export type ChatEffect =
  | { type: "send"; frame: PendingMessage }
  | Emit
  /** The server moved the interview on (a question or the review): reset the backoff. */
  | { type: "progressed" }
  | { type: "stop"; code: number; reason: string }
  | { type: "reconnect"; code: number; reason: string; action: Exclude<CloseAction, "stop"> };

export interface Step {
  model: ChatModel;
  effects: ChatEffect[];
}

const PENDING_NAMES: Record<PendingMessage["type"], string> = {
  user_message: "answer",
  edit_answer: "edit",
  confirm: "confirm",
};

export function initialModel(
  options: {
    protocol?: ProtocolVersion;
    restart?: boolean;
    sessionId?: string;
    newDraft?: boolean;
  } = {},
): ChatModel {
  return {
    requested: options.protocol ?? "v2",
    negotiated: null,
    sessionId: options.sessionId ?? "",
    restart: options.restart ?? false,
    newDraft: (options.newDraft ?? false) && !options.restart && !options.sessionId,
    generation: null,
    online: false,
    handshaking: false,
    question: null,
    review: null,
    answeredSinceQuestion: false,
    pending: null,
    acknowledged: null,
    complete: false,
    superseded: false,
    ended: false,
  };
}

export function step(model: ChatModel, event: ChatEvent): Step {
  switch (event.type) {
    case "opened":
      return {
        model: {
          ...model,
          online: true,
          handshaking: true,
          negotiated: negotiatedProtocol(event.subprotocol, model.requested),
        },
        effects: [],
      };
    case "frame":
      return onFrame({ ...model, acknowledged: null }, event.frame);
    case "closed":
      return onClosed(model, event.code, event.reason);
    case "queued": {
      const sent = isReady(model);
      return {
        model: { ...model, pending: { message: event.message, sent } },
        effects: sent ? [{ type: "send", frame: event.message }] : [],
      };
    }
    case "ended":
      return { model: { ...model, ended: true, online: false }, effects: [] };
  }
}

/** Why the app cannot send an answer, edit or confirm now, in its words; null when it can. */
export function refusal(model: ChatModel, what: "answer" | "edit" | "confirm"): string | null {
  if (model.ended || model.complete) return `Cannot ${what}: the interview is closed`;
  if (what !== "answer" && model.requested !== "v2") {
    return `Cannot ${what}: this client speaks protocol "v1"; ${what} needs "v2"`;
  }
  if (what !== "answer" && model.negotiated === "v1") {
    return `Cannot ${what}: the server chose protocol "v1" for this connection; ${what} needs "v2"`;
  }
  if (model.pending) {
    const { type, clientMessageId } = model.pending.message;
    return `Cannot ${what}: ${
      PENDING_NAMES[type]
    } "${clientMessageId}" is still waiting for the server`;
  }
  return null;
}

/** A frame can go out now: a socket is open and no resume handshake is under way. */
export function isReady(model: ChatModel): boolean {
  return model.online && !model.handshaking;
}

/** The protocol of the interview: the server's choice once a connection opened, else the offer. */
export function protocolOf(model: ChatModel): ProtocolVersion {
  return model.negotiated ?? model.requested;
}

/** The subprotocol the client offers beside its token. */
export function offeredSubprotocol(model: ChatModel): string {
  return model.requested === "v2" ? SUBPROTOCOL_V2 : SUBPROTOCOL;
}

/**
 * The query parameters of the next connection beside `templateId`: `restart=1` until the server
 * has answered a restart, `draft=new` until it has answered a new draft, else the session it was
 * in and the generation it last held. If that
 * interview completed and its `session_complete` was lost with the connection, the server reports
 * it instead of starting another one; if a newer tab claimed the interview since, it closes 4509.
 */
export function connectionQuery(model: ChatModel): Record<string, string> {
  if (model.restart) return { restart: "1" };
  if (model.newDraft) return { draft: "new" };
  return {
    ...(model.sessionId ? { sessionId: model.sessionId } : {}),
    ...(model.generation === null ? {} : { generation: model.generation }),
  };
}

/**
 * The protocol a 101 response chose. No subprotocol at all is v1 by the contract; a runtime
 * whose WebSocket does not say (`undefined`) leaves the offer standing.
 */
export function negotiatedProtocol(
  subprotocol: string | undefined,
  requested: ProtocolVersion,
): ProtocolVersion {
  if (subprotocol === SUBPROTOCOL_V2) return "v2";
  if (subprotocol === SUBPROTOCOL) return "v1";
  return subprotocol === undefined ? requested : "v1";
}

function onFrame(model: ChatModel, frame: Record<string, unknown>): Step {
  const generation = readGeneration(frame);
  if (generation !== null) model = { ...model, generation };
  switch (frame.type) {
    case "session_resumed":
      return onResumed(model, frame);
    case "next_question":
      return onQuestion(model, frame);
    case "review":
      return onReview(model, frame);
    case "session_complete":
      return onComplete(model, frame);
    case "error":
      return onError(model, frame);
    default:
      return { model, effects: [] };
  }
}

function onResumed(model: ChatModel, frame: Record<string, unknown>): Step {
  const history = readHistory(frame);
  let next: ChatModel = {
    ...model,
    restart: false,
    newDraft: false,
    sessionId: String(frame.sessionId),
  };
  const pending = next.pending;
  if (pending && history.some((turn) => turn.clientMessageId === pending.message.clientMessageId)) {
    // Stored before the connection dropped: acknowledged, nothing to resend.
    next = { ...next, pending: null, acknowledged: pending.message, answeredSinceQuestion: true };
  }
  const asked = lastAskedQuestion(history);
  if (asked) next = { ...next, question: asked, answeredSinceQuestion: false };
  const detail = {
    sessionId: next.sessionId,
    history,
    answers: readAnswers(frame),
    ...(typeof frame.title === "string" ? { title: frame.title } : {}),
  };
  return { model: next, effects: [emit("resumed", detail)] };
}

function onQuestion(model: ChatModel, frame: Record<string, unknown>): Step {
  const detail = readNextQuestion(frame);
  let next = acknowledge({
    ...model,
    restart: false,
    newDraft: false,
    sessionId: detail.sessionId,
  });
  const seen = next.question;
  const repeated = seen !== null && !next.answeredSinceQuestion &&
    seen.id === detail.question.id && seen.text === detail.question.text;
  next = { ...next, question: detail.question, review: null, answeredSinceQuestion: false };
  return sendUnsent(next, [{ type: "progressed" }, emit("question", { ...detail, repeated })]);
}

function onReview(model: ChatModel, frame: Record<string, unknown>): Step {
  const review = readReview(frame);
  let next = acknowledge({
    ...model,
    restart: false,
    newDraft: false,
    sessionId: review.sessionId,
  });
  next = { ...next, question: null, review, answeredSinceQuestion: false };
  return sendUnsent(next, [{ type: "progressed" }, emit("review", review)]);
}

function onComplete(model: ChatModel, frame: Record<string, unknown>): Step {
  const next: ChatModel = {
    ...model,
    handshaking: false,
    restart: false,
    newDraft: false,
    complete: true,
    pending: null,
    acknowledged: model.pending?.message ?? null,
    question: null,
    review: null,
    sessionId: String(frame.sessionId),
  };
  const detail = { sessionId: next.sessionId, documentId: String(frame.documentId) };
  return { model: next, effects: [emit("complete", detail)] };
}

function onError(model: ChatModel, frame: Record<string, unknown>): Step {
  let next = model;
  if (model.handshaking) next = { ...model, handshaking: false, restart: false, newDraft: false };
  else if (model.pending?.sent) {
    next = { ...model, pending: null, acknowledged: model.pending.message };
  }
  return sendUnsent(next, [emit("error", readError(frame))]);
}

function onClosed(model: ChatModel, code: number, reason: string): Step {
  const next: ChatModel = {
    ...model,
    online: false,
    handshaking: false,
    // Not acknowledged on that connection: resent after the next handshake.
    pending: model.pending && { ...model.pending, sent: false },
    superseded: model.superseded || code === CloseCode.superseded,
  };
  if (model.ended) return { model: next, effects: [] };
  const action = closeAction(code);
  if (model.complete || action === "stop") {
    return { model: next, effects: [{ type: "stop", code, reason }] };
  }
  return { model: next, effects: [{ type: "reconnect", code, reason, action }] };
}

/**
 * A question or review outside the resume handshake answers the frame in flight. The one that
 * ends a handshake does not: the frame was not resent yet, and is now.
 */
function acknowledge(model: ChatModel): ChatModel {
  if (model.handshaking) return { ...model, handshaking: false, restart: false, newDraft: false };
  if (!model.pending?.sent) return model;
  return {
    ...model,
    pending: null,
    acknowledged: model.pending.message,
    answeredSinceQuestion: true,
  };
}

/** Sends the pending frame if it has not gone out on this connection yet. */
function sendUnsent(model: ChatModel, effects: ChatEffect[]): Step {
  const pending = model.pending;
  if (!pending || pending.sent || !isReady(model)) return { model, effects };
  return {
    model: { ...model, pending: { ...pending, sent: true } },
    effects: [...effects, { type: "send", frame: pending.message }],
  };
}

function emit<K extends ModelEventName>(event: K, detail: ChatClientEventMap[K]): ChatEffect {
  return { type: "emit", event, detail } as Emit;
}
