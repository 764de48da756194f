/**
 * Calendar dates as plain `[year, month, day]` parts, and the one way the engine writes a date:
 * `December 14, 2026` (in answers, documents, review lists and every message). Pure arithmetic
 * on the proleptic Gregorian calendar: no clock, no time zone.
 */

/** The months as dates are written out. */
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

export type DateParts = [year: number, month: number, day: number];

const MONTHS = new Map<string, number>();
MONTH_NAMES.forEach((name, index) => {
  MONTHS.set(name.toLowerCase(), index + 1);
  MONTHS.set(name.slice(0, 3).toLowerCase(), index + 1);
});
MONTHS.set("sept", 9);

/** The month a lower-case word names ("march", "mar", "sept"), 1 to 12. */
export function monthNumber(word: string): number | undefined {
  return MONTHS.get(word);
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return leap ? 29 : 28;
}

/** Whether the parts name a day that exists, in a four-digit year. */
export function isCalendarDate([year, month, day]: DateParts): boolean {
  return year >= 1000 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
    day <= daysInMonth(year, month);
}

/** `2026-12-14` as parts, or `undefined` when it is not such a day. */
export function partsOfIsoDay(day: string): DateParts | undefined {
  const m = ISO_DAY.exec(day);
  if (!m) return undefined;
  const parts: DateParts = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isCalendarDate(parts) ? parts : undefined;
}

/** The one date style: `[2026, 12, 14]` is `December 14, 2026`. */
export function formatDate([year, month, day]: DateParts): string {
  return `${MONTH_NAMES[month - 1]} ${day}, ${year}`;
}

/** The day `days` after (or, negative, before) `parts`. */
export function addDays(parts: DateParts, days: number): DateParts {
  const date = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]) + days * DAY_MS);
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}

/** The same day `months` later, or the month's last day when it is shorter (Jan 31 + 1: Feb 28). */
export function addMonths([year, month, day]: DateParts, months: number): DateParts {
  const index = year * 12 + (month - 1) + months;
  const [y, m] = [Math.floor(index / 12), (index % 12) + 1];
  return [y, m, Math.min(day, daysInMonth(y, m))];
}

/** 0 for Sunday to 6 for Saturday. */
export function weekday([year, month, day]: DateParts): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/**
 * The first `month` `day` on or after `today`: this year's, or next year's when it has passed
 * (February 29 waits for a leap year). `undefined` when no year has that day.
 */
export function nextOccurrence(
  month: number,
  day: number,
  today: DateParts,
): DateParts | undefined {
  const start = ordinalOf([today[0], month, day]) < ordinalOf(today) ? today[0] + 1 : today[0];
  for (let year = start; year < start + 8; year++) {
    if (isCalendarDate([year, month, day])) return [year, month, day];
  }
  return undefined;
}

/** A number that sorts like the date: `[2026, 3, 1]` is 20260301. */
export function ordinalOf([year, month, day]: DateParts): number {
  return year * 10_000 + month * 100 + day;
}
