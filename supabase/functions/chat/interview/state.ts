/**
 * The interview's data: its state, the events that move it, and the effects it asks for. Plain
 * values only, so `step` can be tested without a database, a socket or a clock.
 */
import type {
  ClientFrame,
  DocumentPreview,
  ProtocolVersion,
  ServerMessage,
  Turn,
} from "../../_shared/wire/protocol.ts";
import type { NextQuestionRequest, SourcedResult } from "../ports/next_question_source.ts";
import type {
  CompletedDocument,
  LoadedSession,
  OpenedSession,
  Review,
  TemplateRecord,
  WriteFence,
  WriteRefusal,
} from "../ports/session_store.ts";
import type { Ask } from "./history.ts";

/** Who the interview is for; fixed for a connection's lifetime. */
export interface InterviewContext {
  userId: string;
  connectionId: string;
  template: TemplateRecord;
  /** The connection's protocol: v2 adds structured questions, edits and the review. */
  version: ProtocolVersion;
}

/** The frames the interview handles; token refresh belongs to the transport. */
export type InterviewFrame = Exclude<ClientFrame, { type: "refresh_token" }>;

/** The effect in flight, and what to do once it answers. */
export type Awaiting =
  | { for: "open" }
  | { for: "reload"; frame: InterviewFrame }
  | { for: "answer_stored"; turns: Turn[] }
  | { for: "question" }
  | { for: "question_stored"; turns: Turn[]; ask: Ask }
  | { for: "review_stored"; document: DocumentPreview }
  | { for: "completion" };

export interface InterviewState {
  context: InterviewContext;
  /** Empty until the session is open. */
  sessionId: string;
  history: readonly Turn[];
  turnCount: number;
  /** The outcome of the last write is unknown: reload the session before the next frame. */
  stale: boolean;
  /** v2: the stored preview; the interview is in review while it stands (see inReview). */
  review: Review | null;
  awaiting: Awaiting | null;
  closed: boolean;
}

/** Why a store call failed, as the runner read the error. */
export type StoreFailure =
  | {
    kind: "refused";
    reason: WriteRefusal;
    error: string;
    /** A quota refusal: the database's sentence for the user, and its wait, when it has one. */
    quota?: { message: string; retryAfterSeconds?: number };
  }
  | { kind: "unavailable"; message: string; error: string }
  | { kind: "failed"; error: string };

/** Why the question source failed: a 4xx (asking again will not help) or anything else. */
export interface AiFailure {
  kind: "rejected" | "unavailable";
  status?: number;
  error: string;
}

/** What happened, with the time it happened (ISO 8601): the interview never reads a clock. */
export type InterviewEvent =
  & (
    | { type: "connected"; restart: boolean }
    | { type: "frame"; frame: InterviewFrame }
    /** `session` is null when a newer connection of the user claimed the session first. */
    | { type: "session_opened"; session: OpenedSession | null; review?: Review | null }
    | { type: "session_loaded"; session: LoadedSession | null; review?: Review | null }
    | { type: "review_stored" }
    | { type: "turns_stored"; turnCount: number }
    | { type: "session_completed"; documentId: string }
    | { type: "question_answered"; result: SourcedResult }
    | { type: "store_failed"; failure: StoreFailure }
    | { type: "ai_failed"; failure: AiFailure }
  )
  & { at: string };

export type LogLevel = "debug" | "info" | "warn" | "error";

/** What the interview asks the runner to do. All but send, close and log answer with an event. */
export type Effect =
  | { kind: "open_session"; restart: boolean }
  | { kind: "load_session"; sessionId: string }
  | { kind: "append_turns"; fence: WriteFence; turns: Turn[] }
  | { kind: "complete_session"; fence: WriteFence; result: CompletedDocument }
  | { kind: "store_review"; fence: WriteFence; document: DocumentPreview }
  | { kind: "confirm_review"; fence: WriteFence }
  | { kind: "ask_ai"; request: NextQuestionRequest }
  | { kind: "send"; message: ServerMessage }
  | { kind: "close"; code: number; reason: string }
  | { kind: "log"; level: LogLevel; event: string; fields: Record<string, unknown> };

export type AsyncEffect = Extract<
  Effect,
  {
    kind:
      | "open_session"
      | "load_session"
      | "append_turns"
      | "complete_session"
      | "store_review"
      | "confirm_review"
      | "ask_ai";
  }
>;

export interface Step {
  state: InterviewState;
  /** In order; at most one effect that answers with an event, and then it is the last. */
  effects: Effect[];
}
