import assert from "node:assert/strict";
import { backoffDelay } from "./backoff.ts";

Deno.test("backoffDelay", async (t) => {
  await t.step("grows exponentially between half and all of the ceiling", () => {
    const low = [0, 1, 2, 3].map((attempt) => backoffDelay(attempt, {}, () => 0));
    const high = [0, 1, 2, 3].map((attempt) => backoffDelay(attempt, {}, () => 0.999999));
    assert.deepEqual(low, [250, 500, 1000, 2000]);
    assert.deepEqual(high, [500, 1000, 2000, 4000]);
  });

  await t.step("never exceeds maxMs, however many attempts", () => {
    assert.equal(backoffDelay(50, { maxMs: 8_000 }, () => 0.999999), 8_000);
    assert.equal(backoffDelay(2_000, {}, () => 0.5), 22_500);
  });

  await t.step("spreads clients that retry at the same moment", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    assert.ok(delays.size > 10, `only ${delays.size} distinct delays`);
    for (const delay of delays) assert.ok(delay >= 4_000 && delay <= 8_000, `${delay}`);
  });

  await t.step("honours initialMs and factor", () => {
    assert.equal(backoffDelay(2, { initialMs: 100, factor: 3 }, () => 0), 450);
  });

  await t.step("refuses a negative or fractional attempt", () => {
    assert.throws(() => backoffDelay(-1), RangeError);
    assert.throws(() => backoffDelay(1.5), /not a whole number/);
  });
});
