/**
 * A question as the AI contract sends it (docs/ai_service.md): in v1 one self-contained
 * text; in v2 the plain question with its type, options, hint, bounds and problem apart.
 */
import type { QuestionType } from "../wire/constants.ts";
import { questionHint } from "./format_hint.ts";
import type { Question } from "./template.ts";

/** The question a `next_question` carries; every field but id and text is a v2 addition. */
export interface NextQuestion {
  id: string;
  text: string;
  type?: QuestionType;
  required?: boolean;
  /** The choices of a choice question; `["Yes", "No"]` for yes_no. */
  options?: string[];
  /** How to answer: the format a date, number or amount takes, then the template's hint. */
  hint?: string;
  min?: number;
  max?: number;
  currency?: string;
  /** Why the question is asked again: the last answer to it was not accepted. */
  problem?: string;
}

export type Protocol = "v1" | "v2";

export const OPTIONAL_SUFFIX = '(optional — answer "skip" to leave it out)';

/**
 * A question's v1 text: self-contained, for clients that show only text. At the first ask:
 * the question, its hint, the options of a choice question and, when it may be skipped, the
 * optional marker. Asked again: why the last answer was refused (a choice's problem lists the
 * options), the hint, the question and the marker.
 */
export function questionText(question: Question, problem?: string): string {
  const hint = question.hint === undefined ? [] : [question.hint];
  const choices = question.type === "choice"
    ? [`Choose one of: ${(question.options ?? []).join(", ")}.`]
    : [];
  const parts = problem === undefined
    ? [question.text, ...hint, ...choices]
    : [problem, ...hint, question.text];
  if (!question.required) parts.push(OPTIONAL_SUFFIX);
  return parts.join(" ");
}

/**
 * The question as `protocol` sends it. Without a protocol, the original contract: id and
 * the v1 text only.
 */
export function questionView(
  question: Question,
  options: { protocol?: Protocol; problem?: string } = {},
): NextQuestion {
  const { protocol, problem } = options;
  const text = protocol === "v2" ? question.text : questionText(question, problem);
  if (protocol === undefined) return { id: question.id, text };
  const view: NextQuestion = { id: question.id, text, type: question.type };
  view.required = question.required;
  if (question.type === "choice") view.options = [...question.options ?? []];
  if (question.type === "yes_no") view.options = ["Yes", "No"];
  // The format is part of the question from the first ask, not learnt from a refusal.
  const hint = questionHint(question);
  if (hint !== undefined) view.hint = hint;
  if (question.min !== undefined) view.min = question.min;
  if (question.max !== undefined) view.max = question.max;
  if (question.currency !== undefined) view.currency = question.currency;
  if (problem !== undefined) view.problem = problem;
  return view;
}
