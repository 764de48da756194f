/**
 * The interview engine: from a template and the conversation so far, the next question to
 * ask or the finished document. Pure and deterministic: no I/O, no clock.
 */
import { type AssembledDocument, assembleDocument } from "./document_assembly.ts";
import { type InterviewOptions, readInterview } from "./interview_state.ts";
import type { Turn } from "../wire/interview_turn.ts";
import type { Question, Template } from "./template.ts";

export type { Turn } from "../wire/interview_turn.ts";
export {
  type Answer,
  currentAnswers,
  type EditCheck,
  todayOfHistory,
  validateEdit,
} from "./interview_state.ts";

export type NextStep =
  | { status: "in_progress"; nextQuestion: { id: string; text: string } }
  | { status: "complete"; document: AssembledDocument };

export type NextStepOptions = InterviewOptions;

export const OPTIONAL_SUFFIX = '(optional — answer "skip" to leave it out)';

/**
 * The question to ask next, or the document assembled from the current answers when every
 * question that applies is answered (see `readInterview` for how answers are derived).
 *
 * When the history's latest user turn was not accepted, its question is asked again with the
 * reason, even if it had an earlier answer: an edit that is refused is asked again. Otherwise
 * the first applicable question without an answer is asked, with the reason when its latest
 * answer was refused.
 */
export function nextStep(
  template: Template,
  history: readonly Turn[],
  options: NextStepOptions = {},
): NextStep {
  const state = readInterview(template, history, options);
  const pending = state.refusedLast ??
    state.applicable.find((question) => !state.answers.has(question.id));
  if (pending === undefined) {
    return { status: "complete", document: assembleDocument(template, state.answers) };
  }
  const problem = state.problems.get(pending.id);
  const text = questionText(pending);
  const hint = pending.hint === undefined ? "" : ` ${pending.hint}`;
  return {
    status: "in_progress",
    nextQuestion: {
      id: pending.id,
      text: problem === undefined ? text : `${problem}${hint} ${text}`,
    },
  };
}

/** A question's text as asked, with the optional marker when it may be skipped. */
export function questionText(question: Question): string {
  return question.required ? question.text : `${question.text} ${OPTIONAL_SUFFIX}`;
}
