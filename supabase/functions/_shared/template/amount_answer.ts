/**
 * Money amounts in the question's currency: `$120,000`, `120000`, `120k`, `$85k`, `1.5m`,
 * `USD 1,500.50`, `1,500.50 usd`, `2.5 million dollars`. Never negative. Exact (no floating
 * point): at most the currency's minor digits (2 for USD, 0 for JPY) after any multiplier.
 * Normalised to `$120,000.00` for USD and `EUR 1,500.50` (code, space, amount) otherwise.
 *
 * The number may be in words: `fifty thousand dollars`, `one hundred fifty an hour`.
 *
 * A question asked `per` a period also takes the period ("175 per hour", "$175/hr", "85k a
 * year", "2,000 monthly"); another period is refused, never converted.
 */
import type { AnswerResult } from "./answer_result.ts";
import { groupThousands, parseDecimal, rangeHint } from "./number_answer.ts";
import { readNumberWords } from "./number_words.ts";
import { type AmountPeriod, trailingPeriod } from "./rate_period.ts";

export { AMOUNT_PERIODS, type AmountPeriod } from "./rate_period.ts";

const MULTIPLIERS: Record<string, number> = {
  k: 3,
  thousand: 3,
  m: 6,
  mm: 6,
  million: 6,
  b: 9,
  bn: 9,
  billion: 9,
};

const WORDS: Record<string, string> = {
  dollar: "$",
  dollars: "$",
  euro: "€",
  euros: "€",
  pound: "£",
  pounds: "£",
};

const PREFIX = /^([a-z]{1,2}\$|[$€£¥₹]|[a-z]{3}(?=[\s\d.]))\s*/;
const NUMBER =
  /^(\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?:(thousand|million|billion|mm|bn|k|m|b)(?![a-z]))?\s*/;
const SUFFIX = /^([$€£¥₹]|[a-z]{3}|dollars?|euros?|pounds?)?$/;
const MAX_DIGITS = 15;
const LEADING_LETTER = /^[a-z]/;
const WORD_BREAK = /[\s-]+/;
/** The refusal of an answer that holds no amount at all. */
export const AMOUNT_HINT = "Please give an amount as a number, for example 85,000.";

export function parseAmountAnswer(
  raw: string,
  options: { currency?: string; min?: number; max?: number; per?: AmountPeriod } = {},
): AnswerResult {
  const { currency = "USD", min, max, per } = options;
  const format = currencyFormat(currency);
  const example = `${format.units(120_000n * 10n ** BigInt(format.digits))} or 120k`;
  const hint = rangeHint("an amount", format.major, min, max) ?? AMOUNT_HINT;
  // First: "one hundred" would be read as the currency code "one", "twenty-five" as negative.
  let text = wordsToDigits(raw.trim().toLowerCase());
  if (/^[^\d]*[-\u2212]/.test(text)) {
    return { ok: false, problem: `The amount cannot be negative. ${hint}` };
  }
  const period = trailingPeriod(text);
  if (period) {
    const given = period.period;
    if (per === undefined) {
      return { ok: false, problem: `Please give one amount, not an amount per ${given}.` };
    }
    if (given !== per) {
      return {
        ok: false,
        problem: `Please give the amount per ${per}, for example 150 per ${per}.`,
      };
    }
    text = period.rest;
  }

  const markers: string[] = [];
  const prefix = PREFIX.exec(text);
  if (prefix) {
    markers.push(prefix[1] ?? "");
    text = text.slice(prefix[0].length);
  }
  const number = NUMBER.exec(text);
  const suffix = number ? SUFFIX.exec(text.slice(number[0].length)) : null;
  if (!number || !suffix) return { ok: false, problem: AMOUNT_HINT };
  if (suffix[1] !== undefined) markers.push(suffix[1]);
  if (!markers.every((marker) => denotes(marker, currency, format.symbol))) {
    return { ok: false, problem: `Please give the amount in ${currency}, such as ${example}.` };
  }

  const decimal = parseDecimal(number[1] ?? "");
  if (decimal === undefined) return { ok: false, problem: AMOUNT_HINT };
  const shift = (MULTIPLIERS[number[2] ?? ""] ?? 0) + format.digits - decimal.fraction.length;
  let units = BigInt(decimal.integer + decimal.fraction);
  if (shift >= 0) {
    units *= 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    if (units % divisor !== 0n) {
      const places = format.digits === 0
        ? "whole units"
        : `at most ${format.digits} decimal places`;
      return { ok: false, problem: `Please give the amount in ${places}, such as ${example}.` };
    }
    units /= divisor;
  }
  if (units >= 10n ** BigInt(MAX_DIGITS + format.digits)) return { ok: false, problem: hint };
  const value = Number(units) / 10 ** format.digits;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    return { ok: false, problem: hint };
  }
  return { ok: true, value: format.units(units) };
}

/** `fifty thousand dollars` as `50 thousand dollars`; anything else as it is. */
function wordsToDigits(text: string): string {
  if (!LEADING_LETTER.test(text)) return text;
  const words = text.split(WORD_BREAK);
  const read = readNumberWords(words);
  if (read === undefined) return text;
  return [String(read.value), ...words.slice(read.words)].join(" ");
}

/** Whether a currency marker the user typed (`$`, `usd`, `dollars`) names `currency`. */
function denotes(marker: string, currency: string, symbol: string): boolean {
  if (marker === currency.toLowerCase()) return true;
  if (marker === "us$") return currency === "USD";
  const asSymbol = WORDS[marker] ?? marker;
  return asSymbol === symbol.toLowerCase();
}

type CurrencyFormat = {
  /** Minor digits: 2 for USD, 0 for JPY. */
  digits: number;
  /** Narrow symbol, e.g. `$` for USD and CAD, `€`; the code when there is none. */
  symbol: string;
  /** Formats an amount given in minor units. */
  units: (minor: bigint) => string;
  /** Formats an amount given in major units (a template bound). */
  major: (value: number) => string;
};

// Building an Intl.NumberFormat costs far more than an answer's parse: one per currency, kept.
const formats = new Map<string, CurrencyFormat>();

function currencyFormat(currency: string): CurrencyFormat {
  let format = formats.get(currency);
  if (format === undefined) {
    format = buildCurrencyFormat(currency);
    // Currencies come from templates, a handful; the bound only stops a runaway caller.
    if (formats.size < 64) formats.set(currency, format);
  }
  return format;
}

function buildCurrencyFormat(currency: string): CurrencyFormat {
  const intl = new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    currencyDisplay: "narrowSymbol",
  });
  const digits = intl.resolvedOptions().maximumFractionDigits ?? 2;
  const symbol = intl.formatToParts(0).find((part) => part.type === "currency")?.value ?? currency;
  const scale = 10n ** BigInt(digits);
  const units = (minor: bigint) => {
    const major = groupThousands((minor / scale).toString());
    const fraction = digits > 0 ? `.${(minor % scale).toString().padStart(digits, "0")}` : "";
    return currency === "USD" ? `$${major}${fraction}` : `${currency} ${major}${fraction}`;
  };
  const major = (value: number) => units(BigInt(Math.round(value * 10 ** digits)));
  return { digits, symbol, units, major };
}
