/** What a session's history says about where the interview stands. */
import type { Question, Turn } from "../../_shared/wire/protocol.ts";

/** The question waiting for an answer: the last turn, when it is a question. */
export function pendingQuestion(history: readonly Turn[]): Question | null {
  const last = history.at(-1);
  if (!last || last.role !== "assistant" || !last.questionId) return null;
  return { id: last.questionId, text: last.content };
}

/** Whether an answer with this client id is already stored. */
export function hasAnswer(history: readonly Turn[], clientMessageId: string): boolean {
  return history.some((turn) => turn.role === "user" && turn.clientMessageId === clientMessageId);
}
