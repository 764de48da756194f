/**
 * One entry of a chat session's history, as stored in `chat_sessions.history`, sent to the client
 * on resume and to the AI service with every request: the one definition of the wire type Turn.
 * Unknown fields (added by a later version) are kept, not stripped.
 */
import { z } from "zod";

export const turnSchema = z.looseObject({
  role: z.enum(["assistant", "user"]),
  content: z.string(),
  /** The question asked (assistant) or answered (user). */
  questionId: z.string().optional(),
  /** ISO timestamp of when the server accepted the turn. */
  at: z.string(),
  /** The client's id for an answer, so a resend is recognised. */
  clientMessageId: z.string().optional(),
  /** Which engine asked an assistant question: the configured AI service or the built-in one. */
  source: z.string().optional(),
});

export type Turn = z.output<typeof turnSchema>;
