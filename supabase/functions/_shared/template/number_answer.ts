/**
 * Numbers: `1000`, `1,000`, `1000.5`, `-3`, `+2`, `.5`, and whole numbers in words (`three`,
 * `twenty-one`, `ninety nine`, `one hundred and twenty`). Thousands separators must be
 * well placed (`1,00` is refused). Normalised with thousands separators and without
 * trailing fractional zeros: `1000.50` becomes `1,000.5`, `-0` becomes `0`.
 *
 * A question asked in a `unit` also takes the unit (`3 years`, `three yrs`, `a year`, `20h`);
 * another unit is refused, never converted ("This asks for a number of years, not months.").
 * One asked `per` a period takes it after the unit (`20 hours a week`); another is refused.
 */
import type { AnswerResult } from "./answer_result.ts";
import { type NumberUnit, splitUnit, unitPlural } from "./number_unit.ts";
import { type AmountPeriod, trailingPeriod } from "./rate_period.ts";
import { numberFromWords, readNumberWords, splitWords } from "./number_words.ts";

/** A decimal as written: sign, integer digits without leading zeros, fraction digits. */
export type Decimal = { negative: boolean; integer: string; fraction: string };

const DECIMAL = /^([+\-\u2212])?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$/;
const SIGN_SPACE = /^([+\-\u2212])\s+/;
const TRAILING_ZEROS = /0+$/;
const LETTER = /[a-z]/;

/** Parses `[sign]digits[.digits]` with optional well-placed thousands commas. */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === undefined && m[3] === undefined)) return undefined;
  const integer = (m[2] ?? "").replaceAll(",", "").replace(/^0+(?=\d)/, "") || "0";
  return { negative: m[1] !== undefined && m[1] !== "+", integer, fraction: m[3] ?? "" };
}

/** `1234567` becomes `1,234,567`. Linear: a lookahead regex is quadratic in the length. */
export function groupThousands(digits: string): string {
  const head = digits.length % 3 || 3;
  const groups = [digits.slice(0, head)];
  for (let i = head; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  return groups.join(",");
}

/** Formats a bound from the template (a JavaScript number) the way answers are normalised. */
export function formatNumber(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 20 });
}

/** A hint naming the allowed range, or `undefined` when there is none. */
export function rangeHint(
  noun: string,
  format: (n: number) => string,
  min?: number,
  max?: number,
): string | undefined {
  if (min !== undefined && max !== undefined) {
    return `Please give ${noun} from ${format(min)} to ${format(max)}.`;
  }
  if (min !== undefined) return `Please give ${noun} of at least ${format(min)}.`;
  if (max !== undefined) return `Please give ${noun} of at most ${format(max)}.`;
  return undefined;
}

export interface NumberAnswerOptions {
  min?: number;
  max?: number;
  /** The unit the question asks in; an answer may name it and no other. */
  unit?: NumberUnit;
  /** The period the unit is counted per ("hours per week"); an answer may name it, no other. */
  per?: AmountPeriod;
}

export function parseNumberAnswer(raw: string, options: NumberAnswerOptions = {}): AnswerResult {
  const { min, max, unit, per } = options;
  const noun = unit === undefined ? "a number" : `a number of ${unitPlural(unit)}`;
  const hint = rangeHint(noun, formatNumber, min, max) ?? "Please give a number such as 30.";
  let text = raw.trim().toLowerCase();
  // "20 hours a week": a period after a unit. "a year" alone is a number and its unit.
  const rate = trailingPeriod(text);
  if (rate !== undefined && splitUnit(rate.rest) !== undefined) {
    if (per === undefined) {
      const asked = unit === undefined ? "number" : `number of ${unitPlural(unit)}`;
      return { ok: false, problem: `Please give just the ${asked}, without "${rate.words}".` };
    }
    if (rate.period !== per) {
      const asked = unit === undefined ? "a number" : unitPlural(unit);
      return { ok: false, problem: `This asks for ${asked} per ${per}, not per ${rate.period}.` };
    }
    text = rate.rest;
  }
  const split = splitUnit(text);
  if (split !== undefined) {
    if (unit === undefined) {
      return { ok: false, problem: `Please give just the number, without "${split.word}".` };
    }
    if (split.unit !== unit) {
      return {
        ok: false,
        problem: `This asks for a number of ${unitPlural(unit)}, not ${unitPlural(split.unit)}.`,
      };
    }
    text = split.number;
  }
  const decimal = LETTER.test(text)
    ? wordsAsDecimal(text, split !== undefined)
    : parseDecimal(text.replace(SIGN_SPACE, "$1"));
  if (decimal === undefined) return { ok: false, problem: hint };
  const fraction = decimal.fraction.replace(TRAILING_ZEROS, "");
  const isZero = decimal.integer === "0" && fraction === "";
  const sign = decimal.negative && !isZero ? "-" : "";
  const value = Number(`${sign}${decimal.integer}.${fraction || "0"}`);
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    return { ok: false, problem: hint };
  }
  const normalised = `${sign}${groupThousands(decimal.integer)}${fraction ? `.${fraction}` : ""}`;
  return { ok: true, value: normalised };
}

/** "twenty-one" as a decimal; "a" is one only before a unit ("a year"). */
function wordsAsDecimal(text: string, beforeUnit: boolean): Decimal | undefined {
  const value = beforeUnit ? articleOrWords(text) : numberFromWords(text);
  return value === undefined
    ? undefined
    : { negative: false, integer: String(value), fraction: "" };
}

function articleOrWords(text: string): number | undefined {
  const words = splitWords(text);
  const read = readNumberWords(words, { article: true });
  return read !== undefined && read.words === words.length ? read.value : undefined;
}
