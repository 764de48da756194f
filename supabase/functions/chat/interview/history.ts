/** What a session's history says about where the interview stands. */
import type { Progress, Question, Turn, Understood } from "../../_shared/wire/protocol.ts";

/** A question as it was asked: in v2 with its details, progress and problem, stored in its turn. */
export interface Ask {
  question: Question;
  progress?: Progress;
  problem?: string;
  /** The question is asked again because its edit was not accepted: the editor stays open. */
  editing?: boolean;
  /** Sent once, not stored: the answer just stored as the engine read it. */
  understood?: Understood;
  /** Sent once, not stored: an edit was just accepted, so the frame lists every answer. */
  afterEdit?: boolean;
}

/** The question waiting for an answer: the last turn, when it is a question. */
export function pendingQuestion(history: readonly Turn[]): Question | null {
  const last = history.at(-1);
  if (!last || last.role !== "assistant" || !last.questionId) return null;
  return { id: last.questionId, text: last.content };
}

/** The pending question with what a v2 client is told of it (a v1 turn has only id and text). */
export function pendingAsk(history: readonly Turn[]): Ask | null {
  const last = history.at(-1);
  if (!last || last.role !== "assistant" || !last.questionId) return null;
  return {
    question: { id: last.questionId, text: last.content, ...last.details },
    ...(last.progress ? { progress: last.progress } : {}),
    ...(last.problem !== undefined ? { problem: last.problem } : {}),
    ...(last.editing ? { editing: true } : {}),
  };
}

/** The latest stored turn when it is an edit (edit_answer): what the engine answers next. */
export function latestEdit(history: readonly Turn[]): Turn | undefined {
  const last = history.at(-1);
  return last?.role === "user" && last.edit ? last : undefined;
}

/** Whether an answer (or an edit) with this client id is already stored. */
export function hasAnswer(history: readonly Turn[], clientMessageId: string): boolean {
  return history.some((turn) => turn.role === "user" && turn.clientMessageId === clientMessageId);
}

/** Whether the question was ever asked in this session. */
export function wasAsked(history: readonly Turn[], questionId: string): boolean {
  return history.some((turn) => turn.role === "assistant" && turn.questionId === questionId);
}

/** The latest answer to each question, as the AI contract's `answers` (the latest turn wins). */
export function latestAnswers(history: readonly Turn[]): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const turn of history) {
    if (turn.role === "user" && turn.questionId) answers[turn.questionId] = turn.content;
  }
  return answers;
}
