/**
 * Validates and normalises one answer to one question. See docs/template_format.md for the
 * forms each type accepts and the normalised value it produces.
 */
import { parseAmountAnswer } from "./amount_answer.ts";
import type { AnswerResult } from "./answer_result.ts";
import { choiceKey } from "./choice_key.ts";
import { invisibleCharacterProblem } from "../wire/invisible_characters.ts";
import { LIMITS } from "../wire/constants.ts";
import { parseDateAnswer } from "./date_answer.ts";
import { type DateRuleContext, dateRuleProblem } from "./date_rules.ts";
import { groupThousands, parseNumberAnswer } from "./number_answer.ts";
import type { Question } from "./template.ts";

export type { AnswerResult } from "./answer_result.ts";

/**
 * What an answer is checked against besides itself: the other current answers and today, for
 * a date question's rules (`after`, `notBefore`, ...), and the day the answer was typed, for
 * relative dates ("tomorrow"). Without them those rules are not checked and relative dates are
 * not read.
 */
export interface AnswerContext extends DateRuleContext {
  /**
   * The day, `YYYY-MM-DD` in the person's time zone, the answer was typed: "tomorrow" is the
   * day after it, however late the answer is read again. Default: `today`.
   */
  typedOn?: string;
}

/**
 * Answers that skip an optional question (compared trimmed, case-insensitively, a trailing
 * `.` or `!` ignored). "no" is an answer, not a skip, for a yes_no question.
 */
export const SKIP_WORDS: readonly string[] = [
  "skip",
  "n/a",
  "none",
  "no",
  "nothing",
  "not applicable",
  "-",
];

// From the one table of limits, which the chat sends as each question's maxLength.
export const SHORT_TEXT_MAX = LIMITS.maxShortAnswerChars;
export const LONG_TEXT_MAX = LIMITS.maxAnswerChars;

const YES = new Set(["yes", "y", "yeah", "yep", "yup", "true", "sure", "ok", "okay", "1"]);
const NO = new Set(["no", "n", "nope", "nah", "false", "0"]);
const EMAIL =
  /^([a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/i;

/**
 * Validates `raw` as an answer to `question`.
 *
 * An optional question answered with a skip word ("skip", "no", "none", "n/a", ...) is
 * skipped: `{ ok: true, value: "" }`. A choice option that happens to be a skip word ("None")
 * is an answer, not a skip. A refusal's `problem` says why in one or two sentences; the question's
 * own `hint` is not part of it (the interview shows it beside the question).
 */
export function validateAnswer(
  question: Question,
  raw: string,
  context: AnswerContext = {},
): AnswerResult {
  // Whatever the question, an answer that would display differently from its stored text is
  // refused first (the chat's codec refuses it too; this covers every other caller).
  const invisible = invisibleCharacterProblem(raw);
  if (invisible !== undefined) return { ok: false, problem: `${invisible}.` };
  const result = validate(question, raw, context.typedOn ?? context.today);
  if (!result.ok || question.type !== "date" || result.value === "") return result;
  const problem = dateRuleProblem(question, result.value, context);
  return problem === undefined ? result : { ok: false, problem };
}

function validate(question: Question, raw: string, typedOn: string | undefined): AnswerResult {
  if (question.type === "choice") {
    const chosen = matchOption(question, raw);
    if (chosen !== undefined) return { ok: true, value: chosen };
  }
  if (isSkip(raw, question)) {
    return question.required
      ? { ok: false, problem: "This question is required and cannot be skipped." }
      : { ok: true, value: "" };
  }
  switch (question.type) {
    case "short_text":
      return shortText(raw);
    case "long_text":
      return longText(raw);
    case "date":
      return parseDateAnswer(raw, typedOn === undefined ? {} : { today: typedOn });
    case "number":
      return parseNumberAnswer(raw, question);
    case "amount":
      return parseAmountAnswer(raw, question);
    case "email":
      return email(raw);
    case "choice":
      return { ok: false, problem: choiceHint(question.options ?? []) };
    case "yes_no":
      return yesNo(raw);
  }
}

function isSkip(raw: string, question: Question): boolean {
  const word = raw.trim().toLowerCase().replace(/(?<=\w)[.!]+$/, "").replace(/\s+/g, " ");
  return SKIP_WORDS.includes(word) && !(question.type === "yes_no" && word === "no");
}

function tooLong(max: number): AnswerResult {
  return {
    ok: false,
    problem: `Please keep the answer under ${groupThousands(String(max))} characters.`,
  };
}

function shortText(raw: string): AnswerResult {
  const value = raw.trim().replace(/[ \t]+/g, " ");
  if (value === "") return { ok: false, problem: "Please type an answer." };
  if (/[\r\n]/.test(value)) return { ok: false, problem: "Please answer on a single line." };
  if ([...value].length > SHORT_TEXT_MAX) return tooLong(SHORT_TEXT_MAX);
  return { ok: true, value };
}

function longText(raw: string): AnswerResult {
  const value = raw.replace(/\r\n?/g, "\n").trim().replace(/\n(?:[ \t]*\n){2,}/g, "\n\n");
  if (value === "") return { ok: false, problem: "Please type an answer." };
  if ([...value].length > LONG_TEXT_MAX) return tooLong(LONG_TEXT_MAX);
  return { ok: true, value };
}

function email(raw: string): AnswerResult {
  const m = EMAIL.exec(raw.trim().replace(/^mailto:/i, ""));
  if (!m || (m[1] ?? "").length > 64 || m[0].length > 254) {
    return { ok: false, problem: "Please give an email address such as name@example.com." };
  }
  return { ok: true, value: `${m[1]}@${(m[2] ?? "").toLowerCase()}` };
}

function yesNo(raw: string): AnswerResult {
  const key = choiceKey(raw);
  if (YES.has(key)) return { ok: true, value: "Yes" };
  if (NO.has(key)) return { ok: true, value: "No" };
  return { ok: false, problem: "Please answer yes or no." };
}

/**
 * The option `raw` names, by text or by one of the option's declared aliases (ignoring case,
 * spaces and punctuation), or by its 1-based number. Numbers are not accepted when an option
 * is itself a number ("30", "60").
 */
function matchOption(question: Question, raw: string): string | undefined {
  const options = question.options ?? [];
  const key = choiceKey(raw);
  if (key === "") return undefined;
  const byText = options.find((option) =>
    choiceKey(option) === key ||
    (question.aliases?.[option] ?? []).some((a) => choiceKey(a) === key)
  );
  if (byText !== undefined || !/^\d+$/.test(key) || !numbersAllowed(options)) return byText;
  return options[Number(key) - 1];
}

function numbersAllowed(options: readonly string[]): boolean {
  return !options.some((option) => /^\d+$/.test(choiceKey(option)));
}

function choiceHint(options: readonly string[]): string {
  const numbers = numbersAllowed(options) ? " (or answer with its number)" : "";
  return `Please choose one of: ${options.join(", ")}${numbers}.`;
}
