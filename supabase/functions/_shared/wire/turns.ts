import type { QuestionPayload } from "./protocol.ts";

/** One entry of a session's history, as stored in chat_sessions.history and sent on resume. */
export interface Turn {
  role: "assistant" | "user";
  content: string;
  /** The question asked (assistant) or answered (user). */
  questionId?: string;
  /** ISO timestamp of when the server accepted the turn. */
  at: string;
  /** The client's id for an answer, so a resend is recognised. */
  clientMessageId?: string;
  /** Which engine asked an assistant question: the configured AI service or the built-in one. */
  source?: "ai" | "builtin";
}

/** The question waiting for an answer: the last turn, when it is a question. */
export function pendingQuestion(history: readonly Turn[]): QuestionPayload | null {
  const last = history.at(-1);
  if (!last || last.role !== "assistant" || !last.questionId) return null;
  return { id: last.questionId, text: last.content };
}

/** Whether an answer with this client id is already stored. */
export function hasAnswer(history: readonly Turn[], clientMessageId: string): boolean {
  return history.some((turn) => turn.role === "user" && turn.clientMessageId === clientMessageId);
}
