/**
 * One entry of a chat session's history (DESIGN section 4), as stored in
 * `chat_sessions.history`. Unknown fields (e.g. which engine asked) are kept, not stripped.
 */
import { z } from "zod";

export const turnSchema = z.looseObject({
  role: z.enum(["assistant", "user"]),
  content: z.string(),
  questionId: z.string().optional(),
  at: z.string(),
});

export type Turn = z.output<typeof turnSchema>;
