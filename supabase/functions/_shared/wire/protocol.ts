/**
 * The chat's wire contract (v1): close codes, subprotocols, limits, and one zod schema per frame
 * type, client to server and server to client. The chat's codec and the client SDK both import
 * this file; fields may be added, none renamed or removed.
 */
import { z } from "zod";
import { LIMITS } from "./constants.ts";
import { turnSchema } from "./interview_turn.ts";

export { CloseCode, LIMITS, SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from "./constants.ts";
export { type Turn, turnSchema } from "./interview_turn.ts";

/** Strings Postgres can store in jsonb: well-formed UTF-16 and no NUL character. */
const storableText = z.string().refine(
  (value) => value.isWellFormed() && !value.includes("\u0000"),
  "contains characters that cannot be stored (NUL or an unpaired surrogate)",
);
const identifier = storableText.pipe(z.string().min(1).max(LIMITS.maxIdChars));

// Client to server.
export const userMessageSchema = z.object({
  type: z.literal("user_message"),
  content: storableText.pipe(
    z.string().max(LIMITS.maxAnswerChars).refine((value) => value.trim().length > 0, "is empty"),
  ),
  clientMessageId: identifier.optional(),
  questionId: identifier.optional(),
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
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export const CLIENT_FRAME_TYPES = ["user_message", "retry", "ping", "refresh_token"] as const;

// Server to client.
export const questionSchema = z.object({ id: z.string(), text: z.string() });
export type Question = z.infer<typeof questionSchema>;

export const sessionResumedSchema = z.object({
  type: z.literal("session_resumed"),
  sessionId: z.string(),
  history: z.array(turnSchema),
});
export const nextQuestionSchema = z.object({
  type: z.literal("next_question"),
  sessionId: z.string(),
  question: questionSchema,
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
});
export const pongSchema = z.object({ type: z.literal("pong"), id: z.string().optional() });
export const tokenRefreshedSchema = z.object({
  type: z.literal("token_refreshed"),
  expiresAt: z.string(),
});
export const serverMessageSchema = z.discriminatedUnion("type", [
  sessionResumedSchema,
  nextQuestionSchema,
  sessionCompleteSchema,
  errorMessageSchema,
  pongSchema,
  tokenRefreshedSchema,
]);
/** Every message the server sends. */
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ErrorMessage = z.infer<typeof errorMessageSchema>;
