/**
 * The forms a question's answer may take, shown with the question from its first ask (v2's
 * `hint`), so nobody has to be refused once to learn them. Only for the types with a format:
 * dates, numbers and amounts. Fixed per question: no date in it depends on today.
 */
import { type NumberUnit, unitPlural } from "./number_unit.ts";
import { numberInWords } from "./number_words.ts";
import { formatNumber } from "./number_answer.ts";
import type { Question } from "./template.ts";

const DATE_FORMS = "A date such as Dec 14, 14/12 (day/month), tomorrow or next Monday.";

/** A natural example per unit; a unitless number's is 30. */
const EXAMPLES: Record<NumberUnit, number> = { year: 3, month: 12, week: 2, day: 30, hour: 20 };

/** A natural example amount per period; a single amount's is 120,000. */
const AMOUNT_EXAMPLES = { hour: 150, day: 800, week: 2_000, month: 5_000, year: 85_000 } as const;

/** The format hint of `question`, or `undefined` for a type without one. */
export function formatHint(question: Question): string | undefined {
  switch (question.type) {
    case "date":
      return DATE_FORMS;
    case "number":
      return numberHint(question);
    case "amount":
      return amountHint(question);
    default:
      return undefined;
  }
}

/**
 * The hint a question is sent with: its format hint, then the template's own hint (which says
 * what to answer rather than how to write it).
 */
export function questionHint(question: Question): string | undefined {
  const parts = [formatHint(question), question.hint].filter((part) => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(" ");
}

function numberHint(question: Question): string {
  const { unit, min, max, per } = question;
  const perPeriod = per === undefined ? "" : ` per ${per}`;
  const noun = unit === undefined ? "A number" : `A number of ${unitPlural(unit)}${perPeriod}`;
  const range = min !== undefined && max !== undefined
    ? ` from ${formatNumber(min)} to ${formatNumber(max)}`
    : min !== undefined
    ? ` of at least ${formatNumber(min)}`
    : max !== undefined
    ? ` of at most ${formatNumber(max)}`
    : "";
  const example = exampleWithin(unit === undefined ? 30 : EXAMPLES[unit], min, max);
  const words = numberInWords(example);
  const spoken = unit === undefined ? words : `${words} ${example === 1 ? unit : unitPlural(unit)}`;
  return `${noun}${range}, such as ${formatNumber(example)} or ${spoken}.`;
}

function exampleWithin(preferred: number, min?: number, max?: number): number {
  if (min !== undefined && preferred < min) return Math.ceil(min);
  if (max !== undefined && preferred > max) return Math.floor(max);
  return preferred;
}

function amountHint(question: Question): string {
  const { per, min, max } = question;
  const code = question.currency ?? "USD";
  const example = exampleWithin(per === undefined ? 120_000 : AMOUNT_EXAMPLES[per], min, max);
  const shown = formatNumber(example);
  const money = code === "USD" ? `$${shown}` : `${code} ${shown}`;
  const currency = code === "USD" ? "" : ` in ${code}`;
  if (per !== undefined) {
    return `An amount per ${per}${currency}, such as ${shown} or ${money} ${
      per === "hour" ? "an" : "a"
    } ${per}.`;
  }
  const short = example === 120_000 ? "120k" : money;
  return `An amount${currency}, such as ${shown} or ${short}.`;
}
