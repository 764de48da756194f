import assert from "node:assert/strict";
import {
  addDays,
  addMonths,
  formatDate,
  isCalendarDate,
  nextOccurrence,
  partsOfIsoDay,
  weekday,
} from "./calendar_date.ts";

Deno.test("calendar dates", async (t) => {
  await t.step("one date style", () => {
    assert.equal(formatDate([2026, 12, 14]), "December 14, 2026");
    assert.equal(formatDate([2027, 1, 4]), "January 4, 2027");
  });
  await t.step("ISO days", () => {
    assert.deepEqual(partsOfIsoDay("2026-12-14"), [2026, 12, 14]);
    assert.equal(partsOfIsoDay("2026-02-30"), undefined);
    assert.equal(partsOfIsoDay("2026-1-1"), undefined);
    assert.equal(isCalendarDate([2028, 2, 29]), true);
    assert.equal(isCalendarDate([2100, 2, 29]), false);
  });
  await t.step("arithmetic across months, years and leap days", () => {
    assert.deepEqual(addDays([2026, 12, 31], 1), [2027, 1, 1]);
    assert.deepEqual(addDays([2028, 3, 1], -1), [2028, 2, 29]);
    assert.deepEqual(addMonths([2026, 1, 31], 1), [2026, 2, 28]);
    assert.deepEqual(addMonths([2026, 12, 7], 13), [2028, 1, 7]);
    assert.equal(weekday([2026, 12, 7]), 1, "a Monday");
    assert.deepEqual(nextOccurrence(12, 7, [2026, 12, 7]), [2026, 12, 7]);
    assert.deepEqual(nextOccurrence(1, 1, [2026, 12, 7]), [2027, 1, 1]);
    assert.equal(nextOccurrence(2, 30, [2026, 12, 7]), undefined);
  });
});
