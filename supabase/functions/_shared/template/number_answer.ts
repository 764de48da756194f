/**
 * Numbers: `1000`, `1,000`, `1000.5`, `-3`, `+2`, `.5`. Thousands separators must be
 * well placed (`1,00` is refused). Normalised with thousands separators and without
 * trailing fractional zeros: `1000.50` becomes `1,000.5`, `-0` becomes `0`.
 */
import type { AnswerResult } from "./answer_result.ts";

/** A decimal as written: sign, integer digits without leading zeros, fraction digits. */
export type Decimal = { negative: boolean; integer: string; fraction: string };

const DECIMAL = /^([+\-\u2212])?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$/;

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

export function parseNumberAnswer(
  raw: string,
  options: { min?: number; max?: number } = {},
): AnswerResult {
  const { min, max } = options;
  const hint = rangeHint("a number", formatNumber, min, max) ?? "Please give a number such as 30.";
  const decimal = parseDecimal(raw.trim().replace(/^([+\-\u2212])\s+/, "$1"));
  if (decimal === undefined) return { ok: false, problem: hint };
  const fraction = decimal.fraction.replace(/0+$/, "");
  const isZero = /^0$/.test(decimal.integer) && fraction === "";
  const sign = decimal.negative && !isZero ? "-" : "";
  const value = Number(`${sign}${decimal.integer}.${fraction || "0"}`);
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    return { ok: false, problem: hint };
  }
  const normalised = `${sign}${groupThousands(decimal.integer)}${fraction ? `.${fraction}` : ""}`;
  return { ok: true, value: normalised };
}
