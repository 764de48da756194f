import assert from "node:assert/strict";
import type { DateParts } from "./calendar_date.ts";
import { readRelativeDate } from "./relative_date.ts";

// Monday, December 7, 2026.
const MONDAY: DateParts = [2026, 12, 7];

function reads(text: string, today: DateParts = MONDAY) {
  const reading = readRelativeDate(text, today);
  return reading !== undefined && "parts" in reading ? reading.parts : reading;
}

Deno.test("readRelativeDate", async (t) => {
  await t.step("named days", () => {
    assert.deepEqual(reads("today"), [2026, 12, 7]);
    assert.deepEqual(reads("  TOMORROW "), [2026, 12, 8]);
    assert.deepEqual(reads("yesterday"), [2026, 12, 6]);
    assert.deepEqual(reads("the day after tomorrow"), [2026, 12, 9]);
    assert.deepEqual(reads("tomorrow", [2026, 12, 31]), [2027, 1, 1]);
    assert.deepEqual(reads("Tomorrow."), [2026, 12, 8]);
    assert.deepEqual(reads("today!"), [2026, 12, 7]);
  });

  await t.step("a weekday is the first such day after today", () => {
    assert.deepEqual(reads("next Monday"), [2026, 12, 14], "on a Monday, a week later");
    assert.deepEqual(reads("Monday"), [2026, 12, 14]);
    assert.deepEqual(reads("on Tuesday"), [2026, 12, 8]);
    assert.deepEqual(reads("this Friday"), [2026, 12, 11]);
    assert.deepEqual(reads("next fri"), [2026, 12, 11]);
    assert.deepEqual(reads("Sunday"), [2026, 12, 13]);
    assert.deepEqual(reads("next Monday", [2026, 12, 12]), [2026, 12, 14], "from a Saturday");
    assert.equal(reads("last Monday"), undefined);
  });

  await t.step("spans from today, in digits or words", () => {
    assert.deepEqual(reads("in two weeks"), [2026, 12, 21]);
    assert.deepEqual(reads("in 3 days"), [2026, 12, 10]);
    assert.deepEqual(reads("in a week"), [2026, 12, 14]);
    assert.deepEqual(reads("in a month"), [2027, 1, 7]);
    assert.deepEqual(reads("in one year"), [2027, 12, 7]);
    assert.deepEqual(reads("two weeks from today"), [2026, 12, 21]);
    assert.deepEqual(reads("10 days from now"), [2026, 12, 17]);
    assert.deepEqual(reads("in a month", [2027, 1, 31]), [2027, 2, 28], "clamped to month end");
    assert.equal(reads("in weeks"), undefined);
    assert.equal(reads("in two fortnights"), undefined);
  });

  await t.step("a day without its year is the next one on or after today", () => {
    assert.deepEqual(reads("Dec 14"), [2026, 12, 14]);
    assert.deepEqual(reads("december 14th"), [2026, 12, 14]);
    assert.deepEqual(reads("14 Dec"), [2026, 12, 14]);
    assert.deepEqual(reads("the 14th of December"), [2026, 12, 14]);
    assert.deepEqual(reads("on Dec. 7"), [2026, 12, 7], "today counts");
    assert.deepEqual(reads("Dec 6"), [2027, 12, 6], "passed: next year");
    assert.deepEqual(reads("Feb 29"), [2028, 2, 29], "waits for a leap year");
    assert.deepEqual(readRelativeDate("April 31", MONDAY), { impossible: { month: 4, day: 31 } });
  });

  await t.step("day and month as numbers: day first, or the only reading", () => {
    assert.deepEqual(reads("14/12"), [2026, 12, 14]);
    assert.deepEqual(reads("14.12"), [2026, 12, 14]);
    assert.deepEqual(reads("12/14"), [2026, 12, 14]);
    assert.deepEqual(reads("3/3"), [2027, 3, 3]);
    assert.deepEqual(readRelativeDate("3/4", MONDAY), {
      ambiguous: [[2027, 4, 3], [2027, 3, 4]],
    });
  });

  await t.step("anything else is not read", () => {
    for (const text of ["", "soon", "next week", "Monday 3pm", "14", "the 14th", "Marchember 3"]) {
      assert.equal(readRelativeDate(text, MONDAY), undefined, text);
    }
  });
});
