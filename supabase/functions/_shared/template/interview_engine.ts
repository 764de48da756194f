/**
 * The interview engine: from a template and the conversation so far, the next question to
 * ask or the finished document. Pure and deterministic: no I/O, no clock.
 */
import { type AssembledDocument, assembleDocument } from "./document_assembly.ts";
import { type InterviewOptions, readInterview } from "./interview_state.ts";
import { type NextQuestion, type Protocol, questionView } from "./question_view.ts";
export { type Understood, understoodAnswer } from "./understood.ts";
export { questionHint } from "./format_hint.ts";
import type { Turn } from "../wire/interview_turn.ts";
import type { Template } from "./template.ts";
import { type Understood, understoodAnswer } from "./understood.ts";

export type { Turn } from "../wire/interview_turn.ts";
export {
  type Answer,
  currentAnswers,
  type EditCheck,
  todayOfHistory,
  validateEdit,
} from "./interview_state.ts";
export {
  type NextQuestion,
  OPTIONAL_SUFFIX,
  type Protocol,
  questionText,
} from "./question_view.ts";

/** How far the interview is: questions answered, of those that apply given the answers. */
export type Progress = { answered: number; total: number };

/**
 * `understood`: the history's latest user turn as stored, when the engine read it differently
 * from what was typed ("next Monday" as "December 14, 2026"), so the person sees what counts.
 */
export type NextStep =
  | {
    status: "in_progress";
    nextQuestion: NextQuestion;
    progress?: Progress;
    understood?: Understood;
  }
  | {
    status: "complete";
    document: AssembledDocument;
    progress?: Progress;
    understood?: Understood;
  };

export interface NextStepOptions extends InterviewOptions {
  /**
   * The AI contract's version the result is for (`understood` is given for both versions). "v1": the question's text is
   * self-contained; "v2": the plain question, with `problem`, `hint` and `options` apart. Both
   * add the question's structure and `progress`. Absent: the original contract, `{ id, text }`
   * with the v1 text and nothing else.
   */
  protocol?: Protocol;
}

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
  const { protocol } = options;
  const progress = protocol === undefined
    ? {}
    : { progress: { answered: state.answers.size, total: state.applicable.length } };
  const latest = state.latest;
  const echo = latest === undefined || protocol === undefined
    ? undefined
    : understoodAnswer(latest.question, latest.content, latest.value);
  const understood = latest === undefined || echo === undefined
    ? {}
    : { understood: { questionId: latest.question.id, answer: echo } };
  const pending = state.refusedLast ??
    state.applicable.find((question) => !state.answers.has(question.id));
  if (pending === undefined) {
    return {
      status: "complete",
      document: assembleDocument(template, state.answers, documentDay(state.today)),
      ...progress,
      ...understood,
    };
  }
  const problem = state.problems.get(pending.id);
  return {
    status: "in_progress",
    nextQuestion: questionView(pending, {
      ...(protocol === undefined ? {} : { protocol }),
      ...(problem === undefined ? {} : { problem }),
    }),
    ...progress,
    ...understood,
  };
}

/** The day the document is dated (`{{@today}}`): the today its answers were checked against. */
function documentDay(today: string | undefined): { today?: string } {
  return today === undefined ? {} : { today };
}
