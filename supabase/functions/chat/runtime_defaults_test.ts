import assert from "node:assert/strict";
import {
  drainAfterMs,
  drainBeforeWallClockMs,
  EDGE_POOL_SIZE,
  LOCAL_POOL_SIZE,
  poolSize,
} from "./runtime_defaults.ts";

Deno.test("poolSize: 1 to 4 per isolate on the Edge Runtime, the configured size wins", () => {
  assert.equal(poolSize(undefined, true), EDGE_POOL_SIZE);
  assert.ok(EDGE_POOL_SIZE >= 1 && EDGE_POOL_SIZE <= 4);
  assert.equal(poolSize(undefined, false), LOCAL_POOL_SIZE);
  assert.equal(poolSize(7, true), 7);
  assert.equal(poolSize(1, false), 1);
});

Deno.test("drainBeforeWallClockMs: 80% of the limit, up to 10% earlier by the jitter", async (t) => {
  await t.step("the paid plan's 400 s: from 320 s down to just over 280 s", () => {
    assert.equal(drainBeforeWallClockMs({ limitSeconds: 400, random: 0 }), 320_000);
    assert.equal(drainBeforeWallClockMs({ limitSeconds: 400, random: 0.5 }), 300_000);
    assert.equal(drainBeforeWallClockMs({ limitSeconds: 400, random: 0.999 }), 280_040);
  });
  await t.step("the free plan's 150 s", () => {
    assert.equal(drainBeforeWallClockMs({ limitSeconds: 150, random: 0 }), 120_000);
    assert.equal(drainBeforeWallClockMs({ limitSeconds: 150, random: 0.25 }), 116_250);
  });
  await t.step("another fraction and jitter", () => {
    const at = drainBeforeWallClockMs({
      limitSeconds: 100,
      fraction: 0.9,
      jitterFraction: 0,
      random: 0.7,
    });
    assert.equal(at, 90_000);
  });
  await t.step("refuses a random number outside [0, 1) and a jitter beyond the fraction", () => {
    assert.throws(() => drainBeforeWallClockMs({ limitSeconds: 400, random: 1 }), RangeError);
    assert.throws(() => drainBeforeWallClockMs({ limitSeconds: 400, random: -0.1 }), RangeError);
    assert.throws(
      () =>
        drainBeforeWallClockMs({
          limitSeconds: 400,
          fraction: 0.1,
          jitterFraction: 0.2,
          random: 0,
        }),
      RangeError,
    );
  });
});

Deno.test("drainAfterMs: DRAIN_AFTER_SECONDS wins; unset, the Edge Runtime drains, local never", () => {
  const lifetime = { limitSeconds: 400, random: 0.5 };
  assert.equal(drainAfterMs(undefined, true, lifetime), 300_000);
  assert.equal(drainAfterMs(undefined, false, lifetime), undefined);
  assert.equal(drainAfterMs(130, true, lifetime), 130_000);
  assert.equal(drainAfterMs(130, false, lifetime), 130_000);
  assert.equal(drainAfterMs(0, true, lifetime), undefined);
});
