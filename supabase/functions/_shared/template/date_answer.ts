/**
 * Dates in ISO and common written forms, normalised to `March 1, 2026`.
 *
 * Accepted: `2026-03-01`, `2026/03/01`, `March 1, 2026`, `Mar 1 2026`, `March 1st, 2026`,
 * `1 March 2026`, `1 Mar 2026`, `1st of March, 2026`, `1-Mar-2026`, and day and month as
 * numbers with the year last (`30/06/2026`, `06/30/2026`, `30.06.2026`) when only one reading
 * is a date. `03/01/2026` could be 3 January or 1 March: it is never guessed, the problem asks
 * which was meant. Refused: two-digit years, relative dates ("tomorrow"), impossible dates.
 */
import type { AnswerResult } from "./answer_result.ts";

/** The months as dates are written out in documents. */
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

const MONTHS = new Map<string, number>();
MONTH_NAMES.forEach((name, index) => {
  MONTHS.set(name.toLowerCase(), index + 1);
  MONTHS.set(name.slice(0, 3).toLowerCase(), index + 1);
});
MONTHS.set("sept", 9);

export const DATE_HINT = "Please give a date such as 2026-03-01 or March 1, 2026.";

export function parseDateAnswer(raw: string): AnswerResult {
  const text = raw.trim();
  const numeric = numericDate(text);
  if (numeric !== undefined && "ambiguous" in numeric) {
    const [dayFirst, monthFirst] = numeric.ambiguous;
    return {
      ok: false,
      problem: `Did you mean ${spelled(dayFirst)} or ${
        spelled(monthFirst)
      }? Please write the month as a word.`,
    };
  }
  const parts = numeric?.parts ?? writtenDate(text);
  if (parts === undefined) return { ok: false, problem: DATE_HINT };
  const [year, month, day] = parts;
  const monthName = MONTH_NAMES[month - 1];
  if (monthName === undefined || year < 1000) return { ok: false, problem: DATE_HINT };
  if (day < 1 || day > daysInMonth(year, month)) {
    return {
      ok: false,
      problem: `There is no ${monthName} ${day}, ${year}. ${DATE_HINT}`,
    };
  }
  return { ok: true, value: `${monthName} ${day}, ${year}` };
}

/**
 * The calendar date a normalised answer (`March 1, 2026`) names, as a number that sorts like
 * the date (20260301), or `undefined` for anything else.
 */
export function dateOrdinal(value: string): number | undefined {
  const parts = writtenDate(value.trim()) ?? isoDate(value.trim());
  if (parts === undefined) return undefined;
  const [year, month, day] = parts;
  return year * 10_000 + month * 100 + day;
}

type DateParts = [year: number, month: number, day: number];

function isoDate(text: string): DateParts | undefined {
  const m = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/.exec(text);
  return m ? [Number(m[1]), Number(m[3]), Number(m[4])] : undefined;
}

/** Day and month as numbers with the year last: one reading, or two that are both dates. */
function numericDate(
  text: string,
): { parts: DateParts } | { ambiguous: [dayFirst: DateParts, monthFirst: DateParts] } | undefined {
  const iso = isoDate(text);
  if (iso !== undefined) return { parts: iso };
  const m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(text);
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

/** `[2026, 1, 3]` as `3 January 2026`: the form no reader can take the wrong way. */
function spelled([year, month, day]: DateParts): string {
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

function writtenDate(text: string): DateParts | undefined {
  const tokens = text.toLowerCase().replace(/[,.]/g, " ").split(/[\s-]+/)
    .filter((token) => token !== "" && token !== "the" && token !== "of");
  if (tokens.length !== 3) return undefined;
  const [a = "", b = "", c = ""] = tokens;
  const year = /^\d{4}$/.test(c) ? Number(c) : undefined;
  if (year === undefined) return undefined;
  const monthFirst = MONTHS.get(a);
  const dayFirst = dayNumber(a);
  if (monthFirst !== undefined && dayNumber(b) !== undefined) {
    return [year, monthFirst, dayNumber(b) ?? 0];
  }
  if (dayFirst !== undefined && MONTHS.get(b) !== undefined) {
    return [year, MONTHS.get(b) ?? 0, dayFirst];
  }
  return undefined;
}

function dayNumber(token: string): number | undefined {
  const m = /^(\d{1,2})(?:st|nd|rd|th)?$/.exec(token);
  return m ? Number(m[1]) : undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [4, 6, 9, 11].includes(month) ? 30 : 31;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return leap ? 29 : 28;
}
