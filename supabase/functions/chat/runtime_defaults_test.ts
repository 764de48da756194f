import assert from "node:assert/strict";
import {
  drainBeforeWallClockMs,
  EDGE_CPU_LIMIT_MS,
  EDGE_MEMORY_LIMIT_MB,
  EDGE_POOL_SIZE,
  EDGE_WALL_CLOCK_SECONDS,
  isolateBudgetLimits,
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

Deno.test("isolateBudgetLimits: the platform's limits on the Edge Runtime, none locally unless set", async (t) => {
  const defaults = { drainAt: 0.8 };
  await t.step("on the Edge Runtime: 2,000 ms CPU, 256 MB, the free plan's 150 s jittered", () => {
    assert.deepEqual(isolateBudgetLimits(defaults, true, 0.5), {
      cpuLimitMs: EDGE_CPU_LIMIT_MS,
      memoryLimitMb: EDGE_MEMORY_LIMIT_MB,
      wallClockLimitSeconds: EDGE_WALL_CLOCK_SECONDS,
      wallClockDrainMs: 112_500,
      drainAt: 0.8,
    });
    assert.equal(EDGE_CPU_LIMIT_MS, 2_000);
    assert.equal(EDGE_MEMORY_LIMIT_MB, 256);
    assert.equal(EDGE_WALL_CLOCK_SECONDS, 150);
  });
  await t.step(
    "locally: no budget at all, so a long-lived process never drains by surprise",
    () => {
      assert.deepEqual(isolateBudgetLimits(defaults, false, 0.5), { drainAt: 0.8 });
    },
  );
  await t.step("locally: a budget that is set applies", () => {
    assert.deepEqual(
      isolateBudgetLimits(
        { cpuLimitMs: 300, memoryLimitMb: 64, wallClockSeconds: 400, drainAt: 0.5 },
        false,
        0,
      ),
      {
        cpuLimitMs: 300,
        memoryLimitMb: 64,
        wallClockLimitSeconds: 400,
        wallClockDrainMs: 320_000,
        drainAt: 0.5,
      },
    );
  });
  await t.step("0 turns the CPU and memory budgets off on the Edge Runtime", () => {
    const limits = isolateBudgetLimits({ cpuLimitMs: 0, memoryLimitMb: 0, drainAt: 0.8 }, true, 0);
    assert.equal(limits.cpuLimitMs, undefined);
    assert.equal(limits.memoryLimitMb, undefined);
    assert.equal(limits.wallClockDrainMs, 120_000, "the wall clock still applies");
  });
  await t.step("DRAIN_AFTER_SECONDS replaces the wall clock's point; 0 turns it off", () => {
    assert.equal(
      isolateBudgetLimits({ drainAfterSeconds: 130, drainAt: 0.8 }, true, 0.5).wallClockDrainMs,
      130_000,
    );
    assert.equal(
      isolateBudgetLimits({ drainAfterSeconds: 130, drainAt: 0.8 }, false, 0.5).wallClockDrainMs,
      130_000,
    );
    const never = isolateBudgetLimits({ drainAfterSeconds: 0, drainAt: 0.8 }, true, 0.5);
    assert.equal(never.wallClockDrainMs, undefined);
    assert.equal(never.wallClockLimitSeconds, 150, "the limit is still reported");
  });
  await t.step("the paid plan's 400 s", () => {
    const limits = isolateBudgetLimits({ wallClockSeconds: 400, drainAt: 0.8 }, true, 0.5);
    assert.equal(limits.wallClockDrainMs, 300_000);
  });
});
