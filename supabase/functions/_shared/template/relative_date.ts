/**
 * Dates said the way people say them, read against today: `today`, `tomorrow`, `yesterday`,
 * `the day after tomorrow`, a weekday (`Monday`, `next Monday`, `this Friday`, `on Tue`),
 * `in two weeks`, `in 3 days`, `in a month`, `two weeks from today`, and a day without its
 * year (`Dec 14`, `14 December`, `December 14th`, `the 14th of Dec`, `14/12`, `14.12`).
 *
 * A weekday is the first such day after today (on a Monday, "Monday" is a week later). A day
 * without its year is the next one on or after today. `3/4` could be 3 April or 4 March: it is
 * never guessed, the caller asks which was meant (docs/decisions.md).
 */
import {
  addDays,
  addMonths,
  type DateParts,
  monthNumber,
  nextOccurrence,
  weekday,
} from "./calendar_date.ts";
import { readNumberWords } from "./number_words.ts";

/** A date read from an answer: one day, two readings to choose from, or a day that is not. */
export type DateReading =
  | { parts: DateParts }
  | { ambiguous: [dayFirst: DateParts, monthFirst: DateParts] }
  | { impossible: { month: number; day: number } };

const WEEKDAYS = new Map<string, number>([
  ["sunday", 0],
  ["sun", 0],
  ["monday", 1],
  ["mon", 1],
  ["tuesday", 2],
  ["tue", 2],
  ["tues", 2],
  ["wednesday", 3],
  ["wed", 3],
  ["thursday", 4],
  ["thu", 4],
  ["thur", 4],
  ["thurs", 4],
  ["friday", 5],
  ["fri", 5],
  ["saturday", 6],
  ["sat", 6],
]);

const NAMED_DAYS = new Map<string, number>([
  ["today", 0],
  ["tomorrow", 1],
  ["yesterday", -1],
  ["the day after tomorrow", 2],
  ["day after tomorrow", 2],
]);

const SPANS = new Map<string, "day" | "week" | "month" | "year">([
  ["day", "day"],
  ["days", "day"],
  ["week", "week"],
  ["weeks", "week"],
  ["wk", "week"],
  ["wks", "week"],
  ["month", "month"],
  ["months", "month"],
  ["year", "year"],
  ["years", "year"],
]);

/** Words that may stand before a weekday without changing which day it is. */
const WEEKDAY_LEADS = new Set(["next", "this", "on", "coming", "this coming"]);
const FROM_NOW = new Set(["from now", "from today"]);
const ORDINAL_DAY = /^(\d{1,2})(?:st|nd|rd|th)?$/;
const DAY_MONTH = /^(\d{1,2})\s*[/.]\s*(\d{1,2})$/;
const SPACES = /\s+/g;
const TRAILING_STOP = /(?<=[a-z\d])[.!]+$/;
const COUNT = /^\d{1,4}$/;
const IGNORED = /[,.]+(?=\s|$)|^on\s+/g;

/** What `text` says as a date, read against `today`, or `undefined` when it is none of these. */
export function readRelativeDate(text: string, today: DateParts): DateReading | undefined {
  const said = text.trim().toLowerCase().replace(SPACES, " ").replace(TRAILING_STOP, "");
  const named = NAMED_DAYS.get(said);
  if (named !== undefined) return { parts: addDays(today, named) };
  const numeric = DAY_MONTH.exec(said);
  if (numeric) return dayAndMonth(Number(numeric[1]), Number(numeric[2]), today);
  const words = said.replace(IGNORED, "").trim().split(" ").filter((w) =>
    w !== "the" && w !== "of"
  );
  return weekdayOf(words, today) ?? spanFrom(words, today) ?? withoutYear(words, today);
}

function weekdayOf(words: string[], today: DateParts): DateReading | undefined {
  const day = WEEKDAYS.get(words.at(-1) ?? "");
  if (day === undefined) return undefined;
  const lead = words.slice(0, -1).join(" ");
  if (lead !== "" && !WEEKDAY_LEADS.has(lead)) return undefined;
  const ahead = (day - weekday(today) + 7) % 7 || 7;
  return { parts: addDays(today, ahead) };
}

/** `in two weeks`, `in 3 days`, `a month from now`. */
function spanFrom(words: string[], today: DateParts): DateReading | undefined {
  let rest = words;
  if (rest[0] === "in") {
    rest = rest.slice(1);
  } else if (rest.length >= 3 && FROM_NOW.has(rest.slice(-2).join(" "))) {
    rest = rest.slice(0, -2);
  } else {
    return undefined;
  }
  const count = countOf(rest);
  const span = SPANS.get(rest[count?.words ?? 0] ?? "");
  if (count === undefined || span === undefined || rest.length !== count.words + 1) {
    return undefined;
  }
  const n = count.value;
  if (n > 1200) return undefined;
  switch (span) {
    case "day":
      return { parts: addDays(today, n) };
    case "week":
      return { parts: addDays(today, 7 * n) };
    case "month":
      return { parts: addMonths(today, n) };
    case "year":
      return { parts: addMonths(today, 12 * n) };
  }
}

function countOf(words: string[]): { value: number; words: number } | undefined {
  const first = words[0] ?? "";
  if (COUNT.test(first)) return { value: Number(first), words: 1 };
  return readNumberWords(words, { article: true });
}

/** `Dec 14`, `14 December`, `December 14th`. */
function withoutYear(words: string[], today: DateParts): DateReading | undefined {
  if (words.length !== 2) return undefined;
  const [a = "", b = ""] = words;
  const monthFirst = monthNumber(a);
  const dayAfter = ORDINAL_DAY.exec(b);
  if (monthFirst !== undefined && dayAfter) return onNext(monthFirst, Number(dayAfter[1]), today);
  const dayBefore = ORDINAL_DAY.exec(a);
  const monthAfter = monthNumber(b);
  if (monthAfter !== undefined && dayBefore) return onNext(monthAfter, Number(dayBefore[1]), today);
  return undefined;
}

function onNext(month: number, day: number, today: DateParts): DateReading {
  const parts = nextOccurrence(month, day, today);
  return parts === undefined ? { impossible: { month, day } } : { parts };
}

/** `14/12` is 14 December; `12/14` is December 14 too; `3/4` has two readings. */
function dayAndMonth(first: number, second: number, today: DateParts): DateReading {
  const dayFirst = nextOccurrence(second, first, today);
  const monthFirst = nextOccurrence(first, second, today);
  if (dayFirst !== undefined && monthFirst !== undefined && first !== second) {
    return { ambiguous: [dayFirst, monthFirst] };
  }
  const parts = dayFirst ?? monthFirst;
  return parts === undefined ? { impossible: { month: second, day: first } } : { parts };
}
