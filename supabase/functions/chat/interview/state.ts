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
  Understood,
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
  /** The client's IANA time zone from the connect URL (`tz`), when it named a known one. */
  timeZone?: string;
}

/** The frames the interview handles; token refresh belongs to the transport. */
export type InterviewFrame = Exclude<ClientFrame, { type: "refresh_token" }>;

/**
 * Where the interview stands. The phases that wait for the client are `asking`, `in_review` and
 * `unsynced`; every other open phase has one effect in flight and names what to do once it answers.
 * Which event each phase accepts is the table in phases.ts.
 */
export type Phase =
  /** Nothing done yet: the transport's `connected` comes first. */
  | { name: "starting" }
  /** Opening (or resuming) the session. */
  | { name: "opening" }
  /** Waiting for the client: an answer to the pending question, a retry, a ping, an edit. */
  | { name: "asking" }
  /** v2: every question that applies is answered and the preview stands; confirm stores it. */
  | { name: "in_review"; document: DocumentPreview }
  /** The outcome of the last write is unknown: the next frame reloads the session first. */
  | { name: "unsynced" }
  /** Reloading the session, then handling the frame that found it unsynced. */
  | { name: "reloading"; frame: InterviewFrame }
  /** Storing the client's answer (or edit); the engine is asked what comes next once it is. */
  | { name: "storing_answer"; turns: Turn[] }
  /** Asking the engine what comes next: a question, or the finished document. */
  | { name: "waiting_for_ai" }
  /** Storing the engine's question; it is sent once stored. */
  | { name: "storing_question"; turns: Turn[]; ask: Ask }
  /** v2: storing the preview that opens the review. */
  | { name: "storing_review"; document: DocumentPreview; understood?: Understood }
  /**
   * Storing the finished document, or (v2) confirming the preview: `preview` is the document
   * confirmed, whose review a refusal returns to; null for a completion without review.
   */
  | { name: "completing"; preview: DocumentPreview | null }
  /** The socket is closed or closing: nothing more happens. */
  | { name: "closed" };

export type PhaseName = Phase["name"];

export interface InterviewState {
  context: InterviewContext;
  phase: Phase;
  /** Null until the session is open. */
  sessionId: string | null;
  history: readonly Turn[];
  turnCount: number;
  /** This connection's claim, as the client is told it (a decimal); null until the session opens. */
  generation: string | null;
  /** The client's time zone: the connect URL's, or the latest an answer frame named. */
  timeZone: string | undefined;
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
  /** `title`: the session's title after these turns, stored in the same call. */
  | { kind: "append_turns"; fence: WriteFence; turns: Turn[]; title?: string }
  | { kind: "complete_session"; fence: WriteFence; result: CompletedDocument }
  | { kind: "store_review"; fence: WriteFence; document: DocumentPreview }
  | { kind: "confirm_review"; fence: WriteFence }
  | { kind: "ask_ai"; request: NextQuestionRequest }
  | { kind: "send"; message: ServerMessage }
  | { kind: "close"; code: number; reason: string }
  | { kind: "log"; level: LogLevel; event: string; fields: Record<string, unknown> };

/** The effects that answer with an event: the runner awaits each and steps on its answer. */
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

/** The effects carried out at once, with no event in answer. */
export type SyncEffect = Exclude<Effect, AsyncEffect>;

/**
 * One step's outcome: the effects to carry out at once, in order, and then at most one that
 * answers with an event. The runner awaits `next` and steps on its answer.
 */
export interface Step {
  state: InterviewState;
  effects: SyncEffect[];
  next?: AsyncEffect;
}
