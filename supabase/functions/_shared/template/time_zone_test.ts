import assert from "node:assert/strict";
import { calendarDayIn, resolveTimeZone } from "./time_zone.ts";

Deno.test("calendarDayIn", async (t) => {
  const instant = "2026-12-07T23:30:00Z";
  await t.step("the day where the person is", () => {
    assert.equal(calendarDayIn(instant), "2026-12-07", "UTC when absent");
    assert.equal(calendarDayIn(instant, "Europe/Berlin"), "2026-12-08");
    assert.equal(calendarDayIn(instant, "America/Los_Angeles"), "2026-12-07");
    assert.equal(calendarDayIn("2026-12-07T10:30:00Z", "Pacific/Kiritimati"), "2026-12-08");
    assert.equal(calendarDayIn(Date.parse(instant), "Asia/Tokyo"), "2026-12-08");
  });
  await t.step("an unknown zone is UTC; a non-time is no day", () => {
    assert.equal(calendarDayIn(instant, "Mars/Olympus"), "2026-12-07");
    assert.equal(calendarDayIn(instant, ""), "2026-12-07");
    assert.equal(calendarDayIn("not a time", "Europe/Berlin"), undefined);
    assert.equal(calendarDayIn(8.7e15), undefined);
  });
  await t.step("resolveTimeZone", () => {
    assert.equal(resolveTimeZone("Europe/Berlin"), "Europe/Berlin");
    assert.equal(resolveTimeZone("Not/AZone"), "UTC");
    assert.equal(resolveTimeZone(undefined), "UTC");
    assert.equal(resolveTimeZone("x".repeat(65)), "UTC");
  });
});
