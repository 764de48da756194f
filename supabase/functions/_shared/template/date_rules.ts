/**
 * Rules a date answer must meet against another date question's answer or against today:
 * `after`, `notBefore`, `before`, `notAfter`, each naming an earlier date question or
 * `"today"`. Pure: today is passed in, never read from the clock.
 */
import { formatDate, partsOfIsoDay } from "./calendar_date.ts";
import { dateOrdinal } from "./date_answer.ts";
import type { Question } from "./template.ts";

/** The rule fields, in the order they are checked. */
export const DATE_RULES = ["notBefore", "after", "notAfter", "before"] as const;
export type DateRule = typeof DATE_RULES[number];

/** What a rule may name besides a question id. */
export const TODAY = "today";

export interface DateRuleContext {
  /** Normalised current answers by question id ("" for a skipped one). */
  answers?: ReadonlyMap<string, string>;
  /** The template's questions, for the `label` a message names another question by. */
  questions?: readonly Question[];
  /** Today as `YYYY-MM-DD`; without it, rules naming "today" are not checked. */
  today?: string;
  /**
   * The answer was given before the answer it is checked against changed (an edit): a broken rule
   * is a conflict between two answers, and its message names both ("change either one").
   */
  conflict?: boolean;
}

/**
 * The calendar date, `YYYY-MM-DD`, that it is at `now` in the earliest time zone (UTC−12):
 * a date that is today anywhere on Earth is never taken for the past.
 */
export function todayAt(now: Date): string {
  return new Date(now.getTime() - 12 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Why the normalised date `value` breaks one of `question`'s rules, or `undefined` when it
 * meets them all. A rule whose other question has no answer (skipped, not asked, or not
 * applying) holds, as does a rule naming today when today is not known.
 */
export function dateRuleProblem(
  question: Question,
  value: string,
  context: DateRuleContext = {},
): string | undefined {
  const date = dateOrdinal(value);
  if (date === undefined) return undefined;
  for (const rule of DATE_RULES) {
    const other = question[rule];
    if (other === undefined) continue;
    const bound = boundOf(other, context);
    if (bound === undefined || holds(rule, date, bound.ordinal)) continue;
    if (context.conflict && bound.name !== TODAY) {
      return conflictMessage(rule, question, bound.name);
    }
    return message(rule, bound.name, context.today);
  }
  return undefined;
}

function boundOf(
  other: string,
  context: DateRuleContext,
): { ordinal: number; name: string } | undefined {
  if (other === TODAY) {
    const today = context.today === undefined ? undefined : dateOrdinal(context.today);
    return today === undefined ? undefined : { ordinal: today, name: TODAY };
  }
  const answer = context.answers?.get(other);
  const ordinal = answer === undefined ? undefined : dateOrdinal(answer);
  if (answer === undefined || ordinal === undefined) return undefined;
  const label = context.questions?.find((q) => q.id === other)?.label;
  return { ordinal, name: label === undefined ? answer : `${label} (${answer})` };
}

function holds(rule: DateRule, date: number, bound: number): boolean {
  switch (rule) {
    case "notBefore":
      return date >= bound;
    case "after":
      return date > bound;
    case "notAfter":
      return date <= bound;
    case "before":
      return date < bound;
  }
}

/** Two answers that no longer fit together: "Your end date is now before the start date (…)". */
function conflictMessage(rule: DateRule, question: Question, other: string): string {
  const own = question.label === undefined
    ? "This date"
    : `Your ${question.label.replace(/^the\s+/i, "")}`;
  const now = {
    notBefore: "before",
    after: "on or before",
    notAfter: "after",
    before: "on or after",
  }[rule];
  return `${own} is now ${now} ${other}: change either one.`;
}

function message(rule: DateRule, name: string, todayIso?: string): string {
  if (name === TODAY) {
    // Today is named in the one date style, so the person sees which day "today" was taken as.
    const parts = todayIso === undefined ? undefined : partsOfIsoDay(todayIso);
    const day = parts === undefined ? "today" : `today (${formatDate(parts)})`;
    const today = {
      notBefore: `${day} or later`,
      after: `after ${day}`,
      notAfter: `${day} or earlier`,
      before: `before ${day}`,
    }[rule];
    return `Please give a date ${
      rule === "notBefore" || rule === "notAfter" ? "that is " : ""
    }${today}.`;
  }
  const relation = {
    notBefore: "on or after",
    after: "after",
    notAfter: "on or before",
    before: "before",
  }[rule];
  return `Please give a date ${relation} ${name}.`;
}
