/**
 * One entry of a chat session's history, as stored in `chat_sessions.history`, sent to the client
 * on resume and to the AI service with every request: the one definition of the wire type Turn,
 * with the v2 question details and progress it carries. Unknown fields (added by a later version)
 * are kept, not stripped.
 */
import { z } from "zod";
import { QUESTION_TYPES } from "./constants.ts";

/** v2: what a question carries beyond its id and text, each where it applies. */
export const questionDetailsSchema = z.object({
  type: z.enum(QUESTION_TYPES).optional(),
  required: z.boolean().optional(),
  /** The choices of a "choice" question; ["Yes", "No"] for "yes_no". */
  options: z.array(z.string()).optional(),
  hint: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  currency: z.string().optional(),
});
export type QuestionDetails = z.infer<typeof questionDetailsSchema>;

/** v2: how far the interview is; `total` counts the questions that apply now. */
export const progressSchema = z.object({
  answered: z.number().int().min(0),
  total: z.number().int().min(0),
  /**
   * v2, second round: the position (from 1) among the questions that apply of the question being
   * asked, which is not `answered + 1` while an earlier answer is edited.
   */
  current: z.number().int().min(1).optional(),
});
export type Progress = z.infer<typeof progressSchema>;

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
  // v2 only; a v1 session's turns never carry them.
  /** An assistant turn: the question's details, so a resumed v2 client is asked it the same way. */
  details: questionDetailsSchema.optional(),
  /** An assistant turn: the progress sent with the question. */
  progress: progressSchema.optional(),
  /** An assistant turn: why the question is asked again (the last answer was not accepted). */
  problem: z.string().optional(),
  /** A user turn: an edit of an earlier answer (edit_answer), not an answer to the pending one. */
  edit: z.boolean().optional(),
  /** An assistant turn: the question asked again because its edit was not accepted. */
  editing: z.boolean().optional(),
});

export type Turn = z.output<typeof turnSchema>;
