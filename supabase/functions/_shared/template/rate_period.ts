/**
 * The periods an amount or a number may be asked per (`"per": "week"`), and the words a person
 * writes them with at the end of an answer: "175 per hour", "$175/hr", "85k a year", "2,000
 * monthly", "20 hours a week".
 */

export const AMOUNT_PERIODS = ["hour", "day", "week", "month", "year"] as const;
export type AmountPeriod = typeof AMOUNT_PERIODS[number];

const PERIOD =
  /(?:(?<![a-z])(?:per|an?|each|every)\s+|\/\s*)(hours?|hrs?|h|days?|weeks?|wks?|months?|mos?|years?|yrs?|annum)\.?$|(?<![a-z])(hourly|daily|weekly|monthly|yearly|annually)\.?$/;
const PLURAL = /(?<=.)s$/;
const PERIOD_WORDS: Record<string, AmountPeriod> = {
  h: "hour",
  hr: "hour",
  hour: "hour",
  hourly: "hour",
  day: "day",
  daily: "day",
  week: "week",
  wk: "week",
  weekly: "week",
  month: "month",
  mo: "month",
  monthly: "month",
  year: "year",
  yr: "year",
  annum: "year",
  yearly: "year",
  annually: "year",
};

/** An answer's trailing period, and what comes before it. */
export interface TrailingPeriod {
  period: AmountPeriod;
  /** The words that named it: "a week". */
  words: string;
  rest: string;
}

/** The period `text` (lower case) ends with, or `undefined` when it ends with none. */
export function trailingPeriod(text: string): TrailingPeriod | undefined {
  const m = PERIOD.exec(text);
  if (!m) return undefined;
  const period = PERIOD_WORDS[(m[1] ?? m[2] ?? "").replace(PLURAL, "")];
  if (period === undefined) return undefined;
  return { period, words: m[0].trim(), rest: text.slice(0, m.index).trimEnd() };
}
