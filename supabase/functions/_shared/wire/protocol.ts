/**
 * The chat's wire contract, v1 and v2: close codes, subprotocols, limits, and one zod schema per
 * frame type, client to server and server to client. The chat's codec validates with it and the
 * client SDK imports its types; fields may be added, none renamed or removed. v2 frames and
 * fields are marked; a v1 connection never sees them.
 */
import { z } from "zod";
import { LIMITS } from "./constants.ts";
import { progressSchema, questionDetailsSchema, turnSchema } from "./interview_turn.ts";

export {
  CloseCode,
  LIMITS,
  type ProtocolVersion,
  QUESTION_TYPES,
  type QuestionType,
  SUBPROTOCOL,
  SUBPROTOCOL_V2,
  TOKEN_SUBPROTOCOL_PREFIX,
} from "./constants.ts";
export {
  type Progress,
  progressSchema,
  type QuestionDetails,
  questionDetailsSchema,
  type Turn,
  turnSchema,
} from "./interview_turn.ts";

/** Strings Postgres can store in jsonb: well-formed UTF-16 and no NUL character. */
const storableText = z.string().refine(
  (value) => value.isWellFormed() && !value.includes("\u0000"),
  "contains characters that cannot be stored (NUL or an unpaired surrogate)",
);
const identifier = storableText.pipe(z.string().min(1).max(LIMITS.maxIdChars));
const answerText = storableText.pipe(
  z.string().max(LIMITS.maxAnswerChars).refine((value) => value.trim().length > 0, "is empty"),
);

/**
 * v2: the client's IANA time zone ("Europe/Berlin"), so relative dates ("tomorrow") resolve
 * against today where the person is; an unknown name is read as UTC, as is its absence.
 */
const timeZone = storableText.pipe(z.string().min(1).max(64));

// Client to server.
export const userMessageSchema = z.object({
  type: z.literal("user_message"),
  content: answerText,
  clientMessageId: identifier.optional(),
  questionId: identifier.optional(),
  /** v2 only. */
  tz: timeZone.optional(),
});
/** v2: replaces the current answer to a question already asked. */
export const editAnswerSchema = z.object({
  type: z.literal("edit_answer"),
  questionId: identifier,
  content: answerText,
  clientMessageId: identifier.optional(),
  tz: timeZone.optional(),
});
/** v2: in review, stores exactly the previewed document. */
export const confirmSchema = z.object({
  type: z.literal("confirm"),
  clientMessageId: identifier.optional(),
});
export const retrySchema = z.object({ type: z.literal("retry") });
export const pingSchema = z.object({ type: z.literal("ping"), id: identifier.optional() });
export const refreshTokenSchema = z.object({
  type: z.literal("refresh_token"),
  token: z.string().min(1).max(LIMITS.maxFrameBytes),
});
export const clientFrameSchema = z.discriminatedUnion("type", [
  userMessageSchema,
  retrySchema,
  pingSchema,
  refreshTokenSchema,
  editAnswerSchema,
  confirmSchema,
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
/** The frame types each protocol version accepts; any other is `unknown_type`. */
export const CLIENT_FRAME_TYPES = {
  v1: ["user_message", "retry", "ping", "refresh_token"],
  v2: ["user_message", "retry", "ping", "refresh_token", "edit_answer", "confirm"],
} as const;

// Server to client.
export const questionSchema = z.object({
  id: z.string(),
  /** The plain question in v2; in v1 self-contained (a choice's options and a hint in it). */
  text: z.string(),
  // v2 only, each where it applies:
  ...questionDetailsSchema.shape,
  /**
   * v2 only: the longest answer the question takes, in characters (LIMITS: 200 for a short text,
   * 5,000 otherwise), so a client can say it before the answer is sent.
   */
  maxLength: z.number().int().positive().optional(),
});
export type Question = z.infer<typeof questionSchema>;

/** v2: the current answer to one question that applies (the latest answer counts). */
export const answerSchema = z.object({
  questionId: z.string(),
  question: z.string(),
  answer: z.string(),
  /**
   * v2, second round: false when the question no longer applies given the other answers; the
   * answer is the value kept for it, counted again if its condition comes back. Absent: it applies.
   */
  applies: z.boolean().optional(),
  /** v2, second round: an optional question the person skipped (its answer is ""). */
  skipped: z.boolean().optional(),
});
export type Answer = z.infer<typeof answerSchema>;

export const documentSchema = z.object({
  title: z.string(),
  content: z.string(),
  format: z.string(),
});
export type DocumentPreview = z.infer<typeof documentSchema>;

/**
 * v2: the answer just stored, as stored, when the engine read it differently from what was
 * typed ("next Monday" as "December 14, 2026").
 */
export const understoodSchema = z.object({
  questionId: z.string(),
  answer: z.string(),
});
export type Understood = z.infer<typeof understoodSchema>;

/**
 * v2, second round: what the interview frames carry beside their own fields. `title`: the
 * session's title by the template's title rule, from the answers so far. `generation`: this
 * connection's claim; a client reconnecting after a cut sends it back (`?generation=`), so that it
 * never takes over from a newer tab.
 */
const interviewMarks = {
  title: z.string().optional(),
  generation: z.string().regex(/^[1-9][0-9]{0,17}$/).optional(),
};

export const sessionResumedSchema = z.object({
  type: z.literal("session_resumed"),
  sessionId: z.string(),
  history: z.array(turnSchema),
  /** v2 only. */
  answers: z.array(answerSchema).optional(),
  ...interviewMarks,
});
export const nextQuestionSchema = z.object({
  type: z.literal("next_question"),
  sessionId: z.string(),
  question: questionSchema,
  /** v2 only. */
  progress: progressSchema.optional(),
  /** v2 only: why the question is asked again. */
  problem: z.string().optional(),
  /** v2 only. */
  understood: understoodSchema.optional(),
  /**
   * v2, second round: the question is one already answered, asked again because its edit was
   * not accepted (`problem` says why): the client keeps its editor open.
   */
  editing: z.boolean().optional(),
  /**
   * v2, second round, after an accepted edit: every answered question, with `applies: false` on
   * those that no longer apply, so a transcript can mark them and bring them back.
   */
  answers: z.array(answerSchema).optional(),
  ...interviewMarks,
});
/** v2: every question that applies is answered; the document is a preview, nothing stored yet. */
export const reviewSchema = z.object({
  type: z.literal("review"),
  sessionId: z.string(),
  answers: z.array(answerSchema),
  document: documentSchema,
  /** v2 only: the last answer as stored, when read differently from what was typed. */
  understood: understoodSchema.optional(),
  ...interviewMarks,
});
export const sessionCompleteSchema = z.object({
  type: z.literal("session_complete"),
  sessionId: z.string(),
  documentId: z.string(),
});
export const errorMessageSchema = z.object({
  type: z.literal("error"),
  message: z.string(),
  code: z.string().optional(),
  retryable: z.boolean().optional(),
  /** With `quota_exceeded`: the seconds until the quota frees up, when it frees up by itself. */
  retryAfterSeconds: z.number().int().positive().optional(),
});
export const pongSchema = z.object({ type: z.literal("pong"), id: z.string().optional() });
export const tokenRefreshedSchema = z.object({
  type: z.literal("token_refreshed"),
  expiresAt: z.string(),
});
export const serverMessageSchema = z.discriminatedUnion("type", [
  sessionResumedSchema,
  nextQuestionSchema,
  reviewSchema,
  sessionCompleteSchema,
  errorMessageSchema,
  pongSchema,
  tokenRefreshedSchema,
]);
/** Every message the server sends. */
export type ServerMessage = z.infer<typeof serverMessageSchema>;
