/**
 * The interview engine: from a template and the conversation so far, the next question to
 * ask or the finished document. Pure and deterministic: no I/O, no clock.
 */
import { validateAnswer } from "./answer_validation.ts";
import { todayAt } from "./date_rules.ts";
import { type AssembledDocument, assembleDocument } from "./document_assembly.ts";
import type { Turn } from "../wire/interview_turn.ts";
import type { Question, Template } from "./template.ts";

export type { Turn } from "../wire/interview_turn.ts";

export type NextStep =
  | { status: "in_progress"; nextQuestion: { id: string; text: string } }
  | { status: "complete"; document: AssembledDocument };

export interface NextStepOptions {
  /**
   * Today as `YYYY-MM-DD`, for date rules naming "today" (pass the request's time through
   * `todayAt`). Default: the day of the latest turn's `at`; with no turns, such rules hold.
   */
  today?: string;
}

export const OPTIONAL_SUFFIX = '(optional — answer "skip" to leave it out)';

/**
 * Walks the questions in order and returns the first one still unanswered, or the assembled
 * document when there is none.
 *
 * A question is answered by the last user turn for it whose content validates; invalid turns
 * stay in history and make the re-asked question's text start with why the answer was not
 * accepted, followed by the question's own hint.
 * A user turn without `questionId` answers the question of the assistant turn before it.
 * Questions whose `when` condition does not hold are skipped.
 */
export function nextStep(
  template: Template,
  history: readonly Turn[],
  options: NextStepOptions = {},
): NextStep {
  const replies = repliesByQuestion(history);
  const answers = new Map<string, string>();
  const context = {
    answers,
    questions: template.questions,
    today: options.today ?? todayOfHistory(history),
  };
  for (const question of template.questions) {
    if (!conditionHolds(question, answers)) continue;
    const contents = replies.get(question.id) ?? [];
    let answer: string | undefined;
    let problem: string | undefined;
    for (const content of contents) {
      const result = validateAnswer(question, content, context);
      if (result.ok) answer = result.value;
      problem = result.ok ? undefined : result.problem;
    }
    if (answer === undefined) {
      const text = questionText(question);
      const hint = question.hint === undefined ? "" : ` ${question.hint}`;
      return {
        status: "in_progress",
        nextQuestion: {
          id: question.id,
          text: problem === undefined ? text : `${problem}${hint} ${text}`,
        },
      };
    }
    answers.set(question.id, answer);
  }
  return { status: "complete", document: assembleDocument(template, answers) };
}

/** A question's text as asked, with the optional marker when it may be skipped. */
export function questionText(question: Question): string {
  return question.required ? question.text : `${question.text} ${OPTIONAL_SUFFIX}`;
}

function conditionHolds(question: Question, answers: ReadonlyMap<string, string>): boolean {
  if (question.when === undefined) return true;
  const answer = answers.get(question.when.question);
  if (answer === undefined || answer === "") return false;
  return answer.toLowerCase() === question.when.equals.trim().toLowerCase();
}

/** The day of the latest turn's `at`, the time the conversation has reached. */
export function todayOfHistory(history: readonly Turn[]): string | undefined {
  const at = history.at(-1)?.at;
  const time = at === undefined ? NaN : Date.parse(at);
  // The earliest time a Date can hold is 8.64e15 ms before 1970; todayAt goes 12 hours back.
  return Number.isNaN(time) || time < -8.64e15 + 12 * 3_600_000
    ? undefined
    : todayAt(new Date(time));
}

function repliesByQuestion(history: readonly Turn[]): Map<string, string[]> {
  const replies = new Map<string, string[]>();
  let asked: string | undefined;
  for (const turn of history) {
    if (turn.role === "assistant") {
      asked = turn.questionId ?? asked;
      continue;
    }
    const id = turn.questionId ?? asked;
    if (id === undefined) continue;
    const list = replies.get(id) ?? [];
    list.push(turn.content);
    replies.set(id, list);
  }
  return replies;
}
