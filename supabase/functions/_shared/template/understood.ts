/**
 * Whether an accepted answer was read as something other than what was typed, so the person
 * should be shown what was stored: "next Monday" was stored as "December 14, 2026", "three
 * years" as "3", "ft" as "Full-time". Differences of case, spacing and digit grouping alone
 * ("yes" as "Yes", "1000" as "1,000") are not worth an echo, nor is a unit the question asks
 * in ("3 years" as "3").
 */
import { withUnit } from "./number_unit.ts";
import type { Question } from "./template.ts";

/** What the interview tells the person it understood: the answer as stored. */
export interface Understood {
  questionId: string;
  answer: string;
}

const COMMAS = /,/g;
const SPACES = /\s+/g;

/**
 * The stored `value` when it differs from `typed` by more than case, spacing and grouping,
 * otherwise `undefined`. Text answers and skips are stored as typed: never echoed.
 */
export function understoodAnswer(
  question: Question,
  typed: string,
  value: string,
): string | undefined {
  if (value === "" || question.type === "short_text" || question.type === "long_text") {
    return undefined;
  }
  const said = loose(typed);
  if (said === loose(value)) return undefined;
  // "3 years", "20 hours a week": the number typed as stored, then the words the question asks in.
  if (question.type === "number" && question.unit !== undefined) {
    if (said === loose(withUnit(value, question.unit))) return undefined;
    if (question.per !== undefined && said.startsWith(`${loose(value)} `)) return undefined;
  }
  return value;
}

function loose(text: string): string {
  return text.toLowerCase().replace(COMMAS, "").replace(SPACES, " ").trim();
}
