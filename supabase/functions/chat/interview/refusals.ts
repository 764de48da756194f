/**
 * What the interview tells the user when it cannot do what a frame asked, or when a store or the
 * question service failed: each error frame's code, sentence and whether resending helps, and the
 * close of each way the interview ends. The texts are part of the wire contract
 * (docs/protocol.md): change them only with it. Pure: no I/O.
 */
import type { DocumentOversize } from "../../_shared/document/document_size.ts";
import {
  CloseCode,
  LIMITS,
  type ProtocolVersion,
  type ServerMessage,
} from "../../_shared/wire/protocol.ts";
import { documentTooLargeMessage } from "./document_refusal.ts";

export type ErrorFrame = Extract<ServerMessage, { type: "error" }>;

/** The refusals of what a write would store, as opposed to whether it may write at all. */
export type StoredContentRefusal =
  | "too_large"
  | "unsupported_format"
  | "invisible_character"
  | "no_answer"
  | "malformed";

function refusal(code: string, message: string, retryable: boolean): ErrorFrame {
  return { type: "error", code, message, retryable };
}

export const refusals = {
  /** The fence saw another turn count: the session changed on another connection's write. */
  conflict: () =>
    refusal("conflict", "The session changed elsewhere; send the message again", true),

  storageUnavailable: () =>
    refusal(
      "storage_unavailable",
      "Your answer could not be saved right now; send it again",
      true,
    ),

  aiRejected: () =>
    refusal(
      "ai_rejected",
      "The question service refused the request; your answers are saved",
      false,
    ),

  aiUnavailable: () =>
    refusal(
      "ai_unavailable",
      'The question service is unavailable; your answers are saved. Send {"type":"retry"}',
      true,
    ),

  unknownQuestion: (questionId: string) =>
    refusal(
      "unknown_question",
      `Question "${questionId}" was never asked in this interview`,
      false,
    ),

  /** Stored, the edit would change nothing the user sees. */
  questionNotApplicable: (questionId: string) =>
    refusal(
      "question_not_applicable",
      `Question "${questionId}" does not apply given your other answers; ` +
        "change the answer it depends on first",
      false,
    ),

  staleQuestion: (answered: string, pending: string) =>
    refusal(
      "stale_question",
      `Question "${answered}" is no longer pending; "${pending}" is`,
      false,
    ),

  /** An answer in review: there is no question to answer. */
  nothingToAnswerInReview: () =>
    refusal(
      "no_pending_question",
      "Every question is answered: confirm the document, or edit an answer",
      false,
    ),

  /** An answer while no question is pending (the engine failed to say the next one). */
  nothingToAnswer: () =>
    refusal(
      "no_pending_question",
      'No question is waiting for an answer; send {"type":"retry"} to ask for it',
      true,
    ),

  notInReview: () =>
    refusal(
      "not_in_review",
      "There is nothing to confirm yet: the interview is not in review",
      false,
    ),

  /** The session holds as many turns or bytes as it may: nothing more is stored. */
  sessionFull: () =>
    refusal(
      "session_full",
      `This interview is full: it holds at most ${LIMITS.maxSessionTurns} messages and ` +
        `${LIMITS.maxSessionHistoryBytes.toLocaleString("en-US")} bytes, so this answer was not ` +
        "saved. Your earlier answers are kept; reconnect with restart=1 to start over",
      false,
    ),

  /** The database refused a turn the chat had checked: rare, and resending will not help. */
  messageRefused: () =>
    refusal(
      "message_refused",
      "This step of the interview could not be saved because it is malformed. " +
        'Your answers so far are kept; send {"type":"retry"} to ask again',
      false,
    ),

  documentRefused: (reason: StoredContentRefusal) =>
    refusal(
      "document_refused",
      `The finished document could not be saved: ${DOCUMENT_REFUSED_BECAUSE[reason]}. ` +
        "Your answers are kept",
      false,
    ),

  /** Over the maximum: nothing stored, the socket stays open, the message says what to do. */
  documentTooLarge: (oversize: DocumentOversize | undefined, version: ProtocolVersion) =>
    refusal("document_too_large", documentTooLargeMessage(oversize, version), false),

  /** A quota: the database's sentence says which quota and when to retry. */
  quotaExceeded: (quota: { message: string; retryAfterSeconds?: number } | undefined) => {
    const wait = quota?.retryAfterSeconds;
    return {
      type: "error",
      code: "quota_exceeded",
      message: quota?.message ?? "You have reached a limit of this service; try again later",
      retryable: wait !== undefined,
      ...(wait !== undefined ? { retryAfterSeconds: wait } : {}),
    } satisfies ErrorFrame;
  },
} as const;

const DOCUMENT_REFUSED_BECAUSE: { readonly [R in StoredContentRefusal]: string } = {
  too_large: "the interview's history is full",
  unsupported_format: "it is not Markdown",
  invisible_character: "it holds an invisible or control character that changes how it displays",
  no_answer: "no question has been answered yet",
  malformed: "it has no title or no content",
};

/** How the interview ends: each close's code and reason. */
export const closes = {
  complete: { code: CloseCode.complete, reason: "interview complete" },
  superseded: { code: CloseCode.superseded, reason: "superseded by a newer connection" },
  /** The user was deleted: their token no longer opens anything. */
  unauthorized: { code: CloseCode.unauthorized, reason: "unauthorized" },
  /** Past a quota no reconnect helps before the wait: a 45xx close tells clients not to. */
  quotaExceeded: { code: CloseCode.quotaExceeded, reason: "quota exceeded" },
  internalError: { code: CloseCode.internalError, reason: "internal error" },
  /** A refusal this version does not know: the session cannot go on. */
  sessionUnavailable: { code: CloseCode.internalError, reason: "session unavailable" },
} as const;

export type Close = (typeof closes)[keyof typeof closes];
