/**
 * Reading the server's frames into the client's event details. The SDK carries no zod (a browser
 * bundle stays small), so each field is kept only when it has the type the wire contract gives it
 * (`_shared/wire/protocol.ts`), and a missing one gets a harmless default.
 */
import type { Progress, Question, Turn } from "../supabase/functions/_shared/wire/protocol.ts";
import type {
  AnswerDetail,
  ChatClientEventMap,
  QuestionDetail,
  SecondRoundDetail,
} from "./chat_client_types.ts";

type Frame = Record<string, unknown>;

/** The question as the server sent it, each detail kept only when it has its type. */
export function readQuestion(value: unknown): QuestionDetail {
  const raw = asRecord(value);
  const question: QuestionDetail = { id: String(raw.id ?? ""), text: String(raw.text ?? "") };
  if (typeof raw.type === "string") question.type = raw.type as Question["type"];
  if (typeof raw.required === "boolean") question.required = raw.required;
  if (Array.isArray(raw.options) && raw.options.every((option) => typeof option === "string")) {
    question.options = [...raw.options];
  }
  if (typeof raw.hint === "string") question.hint = raw.hint;
  if (typeof raw.min === "number") question.min = raw.min;
  if (typeof raw.max === "number") question.max = raw.max;
  if (typeof raw.currency === "string") question.currency = raw.currency;
  if (typeof raw.maxLength === "number") question.maxLength = raw.maxLength;
  return question;
}

/** The history of a `session_resumed` frame ([] when absent). */
export function readHistory(frame: Frame): Turn[] {
  return Array.isArray(frame.history) ? frame.history as Turn[] : [];
}

/** The current answers of a `session_resumed` or `review` frame ([] on v1). */
export function readAnswers(frame: Frame): AnswerDetail[] {
  if (!Array.isArray(frame.answers)) return [];
  return frame.answers.filter(isAnswer).map((answer) => ({
    questionId: answer.questionId,
    question: answer.question,
    answer: answer.answer,
    ...(typeof answer.applies === "boolean" ? { applies: answer.applies } : {}),
    ...(answer.skipped === true ? { skipped: true } : {}),
  }));
}

/** The second round's `understood` and `title`, each kept when it has its wire type. */
export function readSecondRound(frame: Frame): SecondRoundDetail {
  const understood = asRecord(frame.understood);
  return {
    ...(typeof understood.questionId === "string" && typeof understood.answer === "string"
      ? { understood: { questionId: understood.questionId, answer: understood.answer } }
      : {}),
    ...(typeof frame.title === "string" ? { title: frame.title } : {}),
  };
}

/** The question a resumed history ends with, with the details its turn kept; null if none. */
export function lastAskedQuestion(history: Turn[]): Question | null {
  const last = history.at(-1);
  if (last?.role !== "assistant" || !last.questionId) return null;
  return readQuestion({ ...asRecord(last.details), id: last.questionId, text: last.content });
}

/** The `question` event of a `next_question` frame, without `repeated`, which the model knows. */
export function readNextQuestion(
  frame: Frame,
): Omit<ChatClientEventMap["question"], "repeated"> {
  return {
    sessionId: String(frame.sessionId),
    question: readQuestion(frame.question),
    ...(isProgress(frame.progress) ? { progress: { ...frame.progress } } : {}),
    ...(typeof frame.problem === "string" ? { problem: frame.problem } : {}),
    ...(frame.editing === true ? { editing: true } : {}),
    ...(Array.isArray(frame.answers) ? { answers: readAnswers(frame) } : {}),
    ...readSecondRound(frame),
  };
}

export function readReview(frame: Frame): ChatClientEventMap["review"] {
  const document = asRecord(frame.document);
  return {
    sessionId: String(frame.sessionId),
    answers: readAnswers(frame),
    document: {
      title: String(document.title ?? ""),
      content: String(document.content ?? ""),
      format: String(document.format ?? ""),
    },
    ...readSecondRound(frame),
  };
}

export function readError(frame: Frame): ChatClientEventMap["error"] {
  return {
    source: "server",
    message: String(frame.message ?? "error"),
    ...(typeof frame.code === "string" ? { code: frame.code } : {}),
    ...(typeof frame.retryable === "boolean" ? { retryable: frame.retryable } : {}),
    ...(typeof frame.retryAfterSeconds === "number"
      ? { retryAfterSeconds: frame.retryAfterSeconds }
      : {}),
  };
}

/** The connection's generation a v2 frame names (a positive decimal), or null. */
export function readGeneration(frame: Frame): string | null {
  const value = frame.generation;
  return typeof value === "string" && /^[1-9][0-9]{0,17}$/.test(value) ? value : null;
}

/** A text frame as a JSON object, or null for anything else (which the client ignores). */
export function parseFrame(data: unknown): Frame | null {
  if (typeof data !== "string") return null;
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Frame
      : null;
  } catch {
    return null;
  }
}

function isProgress(value: unknown): value is Progress & { current?: number } {
  const progress = value as Progress & { current?: unknown } | null;
  return typeof progress === "object" && progress !== null &&
    typeof progress.answered === "number" && typeof progress.total === "number" &&
    (progress.current === undefined || typeof progress.current === "number");
}

function isAnswer(value: unknown): value is AnswerDetail {
  const answer = asRecord(value);
  return typeof answer.questionId === "string" && typeof answer.question === "string" &&
    typeof answer.answer === "string";
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? value as Record<string, unknown> : {};
}
