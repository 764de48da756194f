/**
 * Dates in ISO, common written and spoken forms, normalised to `March 1, 2026` (the one date
 * style, calendar_date.ts).
 *
 * Accepted: `2026-03-01`, `2026/03/01`, `March 1, 2026`, `Mar 1 2026`, `March 1st, 2026`,
 * `1 March 2026`, `1 Mar 2026`, `1st of March, 2026`, `1-Mar-2026`, and day and month as
 * numbers with the year last (`30/06/2026`, `06/30/2026`, `30.06.2026`) when only one reading
 * is a date. With today known, also what relative_date.ts reads: `today`, `tomorrow`,
 * `next Monday`, `in two weeks`, `Dec 14`, `14/12`. `03/01/2026` or `3/4` could be read two
 * ways: it is never guessed, the problem asks which was meant. Refused: two-digit years,
 * impossible dates.
 */
import type { AnswerResult } from "./answer_result.ts";
import {
  addDays,
  type DateParts,
  daysInMonth,
  formatDate,
  MONTH_NAMES,
  monthNumber,
  ordinalOf,
  partsOfIsoDay,
} from "./calendar_date.ts";
import { type DateReading, readRelativeDate } from "./relative_date.ts";

export { MONTH_NAMES } from "./calendar_date.ts";

const ISO = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/;
const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const PUNCTUATION = /[,.]/g;
const WORD_BREAK = /[\s-]+/;
const YEAR = /^\d{4}$/;
const ORDINAL_DAY = /^(\d{1,2})(?:st|nd|rd|th)?$/;

export interface DateAnswerOptions {
  /** Today as `YYYY-MM-DD` where the person is: relative dates are read against it. */
  today?: string;
}

/**
 * The refusal of an answer that is no date. Its example is a week after today, so it is never
 * in the past; without today, relative forms are not read and the example is a fixed date.
 */
export function dateHint(today?: string): string {
  const parts = today === undefined ? undefined : partsOfIsoDay(today);
  if (parts === undefined) return "Please give the date in full, such as March 1, 2030.";
  return `Please give a date such as ${formatDate(addDays(parts, 7))}, tomorrow or next Monday.`;
}

export function parseDateAnswer(raw: string, options: DateAnswerOptions = {}): AnswerResult {
  const text = raw.trim();
  const today = options.today === undefined ? undefined : partsOfIsoDay(options.today);
  const hint = dateHint(options.today);
  const reading = numericDate(text) ?? writtenDate(text) ??
    (today === undefined ? undefined : readRelativeDate(text, today));
  if (reading === undefined) return { ok: false, problem: hint };
  if ("ambiguous" in reading) {
    const [dayFirst, monthFirst] = reading.ambiguous;
    return {
      ok: false,
      problem: `Did you mean ${formatDate(dayFirst)} or ${
        formatDate(monthFirst)
      }? Please write the month as a word.`,
    };
  }
  if ("impossible" in reading) {
    const { month, day } = reading.impossible;
    const name = MONTH_NAMES[month - 1];
    return {
      ok: false,
      problem: name === undefined ? hint : `There is no ${name} ${day}. ${hint}`,
    };
  }
  const [year, month, day] = reading.parts;
  const monthName = MONTH_NAMES[month - 1];
  if (monthName === undefined || year < 1000 || year > 9999) return { ok: false, problem: hint };
  if (day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, problem: `There is no ${monthName} ${day}, ${year}. ${hint}` };
  }
  return { ok: true, value: formatDate(reading.parts) };
}

/**
 * The calendar date a normalised answer (`March 1, 2026`) names, as a number that sorts like
 * the date (20260301), or `undefined` for anything else.
 */
export function dateOrdinal(value: string): number | undefined {
  const reading = writtenDate(value.trim()) ?? isoDate(value.trim());
  return reading === undefined ? undefined : ordinalOf(reading.parts);
}

function isoDate(text: string): { parts: DateParts } | undefined {
  const m = ISO.exec(text);
  return m ? { parts: [Number(m[1]), Number(m[3]), Number(m[4])] } : undefined;
}

/** Day and month as numbers with the year last: one reading, or two that are both dates. */
function numericDate(text: string): DateReading | undefined {
  const iso = isoDate(text);
  if (iso !== undefined) return iso;
  const m = NUMERIC.exec(text);
  if (!m) return undefined;
  const [first, second, year] = [Number(m[1]), Number(m[3]), Number(m[4])];
  const dayFirst: DateParts = [year, second, first];
  const monthFirst: DateParts = [year, first, second];
  const readings = [dayFirst, monthFirst].filter(([y, month, day]) =>
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(y, month)
  );
  if (readings.length === 2 && first !== second) return { ambiguous: [dayFirst, monthFirst] };
  return { parts: readings[0] ?? monthFirst };
}

/** A written date with its year: `March 1, 2026`, `1st of March 2026`. */
function writtenDate(text: string): { parts: DateParts } | undefined {
  const tokens = text.toLowerCase().replace(PUNCTUATION, " ").split(WORD_BREAK)
    .filter((token) => token !== "" && token !== "the" && token !== "of");
  if (tokens.length !== 3) return undefined;
  const [a = "", b = "", c = ""] = tokens;
  if (!YEAR.test(c)) return undefined;
  const year = Number(c);
  const monthFirst = monthNumber(a);
  const dayAfter = dayNumber(b);
  if (monthFirst !== undefined && dayAfter !== undefined) {
    return { parts: [year, monthFirst, dayAfter] };
  }
  const dayFirst = dayNumber(a);
  const monthAfter = monthNumber(b);
  if (dayFirst !== undefined && monthAfter !== undefined) {
    return { parts: [year, monthAfter, dayFirst] };
  }
  return undefined;
}

function dayNumber(token: string): number | undefined {
  const m = ORDINAL_DAY.exec(token);
  return m ? Number(m[1]) : undefined;
}
