/**
 * The units a number question may be asked in (`"unit": "year"` in the template), the words a
 * person writes them with ("3 yrs", "twelve months", "20h"), and how they are named back.
 */

export const NUMBER_UNITS = ["year", "month", "week", "day", "hour"] as const;
export type NumberUnit = typeof NUMBER_UNITS[number];

const UNIT_WORDS: ReadonlyMap<string, NumberUnit> = new Map([
  ["year", "year"],
  ["years", "year"],
  ["yr", "year"],
  ["yrs", "year"],
  ["month", "month"],
  ["months", "month"],
  ["mo", "month"],
  ["mos", "month"],
  ["mth", "month"],
  ["mths", "month"],
  ["week", "week"],
  ["weeks", "week"],
  ["wk", "week"],
  ["wks", "week"],
  ["day", "day"],
  ["days", "day"],
  ["hour", "hour"],
  ["hours", "hour"],
  ["hr", "hour"],
  ["hrs", "hour"],
  ["h", "hour"],
]);

/** A unit word at the end, after a digit or a space: "3 years", "20h", "twelve months." */
const TRAILING_UNIT = /^(.*?[\d\s])\s*([a-z]+)[.!]*$/;

/** An answer split into its number and the unit it names, when it ends with a unit word. */
export interface WithUnit {
  number: string;
  unit: NumberUnit;
  /** The unit as typed: "yrs". */
  word: string;
}

/** `text` (lower case) as a number and a unit word, or `undefined` when it ends with none. */
export function splitUnit(text: string): WithUnit | undefined {
  const m = TRAILING_UNIT.exec(text);
  const word = m?.[2] ?? "";
  const unit = UNIT_WORDS.get(word);
  if (!m || unit === undefined) return undefined;
  return { number: (m[1] ?? "").trim(), unit, word };
}

/** "1 year", "3 years", "1.5 years". */
export function withUnit(value: string, unit: NumberUnit): string {
  return `${value} ${value === "1" ? unit : `${unit}s`}`;
}

/** "years": how a refusal names the unit a question asks for. */
export function unitPlural(unit: NumberUnit): string {
  return `${unit}s`;
}
