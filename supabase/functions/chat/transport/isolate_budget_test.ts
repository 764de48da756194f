import assert from "node:assert/strict";
import type { IsolateReadings } from "../ports/isolate_readings.ts";
import {
  type BudgetLimits,
  type BudgetReached,
  budgetReached,
  type BudgetUsage,
  IsolateBudget,
} from "./isolate_budget.ts";

const hosted: BudgetLimits = {
  cpuLimitMs: 2_000,
  memoryLimitMb: 256,
  wallClockLimitSeconds: 150,
  wallClockDrainMs: 112_500,
  drainAt: 0.8,
};

/** Readings the test sets by hand. */
function fakeReadings(start: { cpuMs?: number; heapMb?: number; elapsedMs?: number } = {}) {
  const now = { cpuMs: 0, heapMb: 20, elapsedMs: 0, ...start } as {
    cpuMs: number | undefined;
    heapMb: number | undefined;
    elapsedMs: number;
  };
  let reads = 0;
  const readings: IsolateReadings = {
    cpuMs: () => {
      reads++;
      return now.cpuMs;
    },
    heapMb: () => now.heapMb,
    elapsedMs: () => now.elapsedMs,
  };
  return { now, readings, reads: () => reads };
}

function watched(limits: BudgetLimits, readings: IsolateReadings, minIntervalMs?: number) {
  const calls: { reached: BudgetReached; usage: BudgetUsage }[] = [];
  const budget = new IsolateBudget(limits, readings, {
    onReached: (reached, usage) => calls.push({ reached, usage }),
    ...(minIntervalMs === undefined ? {} : { minIntervalMs }),
  });
  return { budget, calls };
}

Deno.test("budgetReached: each budget at its share, CPU first", async (t) => {
  await t.step("below every share: nothing", () => {
    assert.equal(
      budgetReached({ cpuMs: 1_599, heapMb: 204, elapsedMs: 112_499 }, hosted),
      undefined,
    );
  });
  await t.step("CPU at 80% of 2,000 ms", () => {
    assert.deepEqual(budgetReached({ cpuMs: 1_600.4, heapMb: 20, elapsedMs: 1_000 }, hosted), {
      budget: "cpu",
      used: 1_600,
      limit: 2_000,
      drainsAt: 1_600,
      unit: "ms",
    });
  });
  await t.step("memory at 80% of 256 MB", () => {
    assert.deepEqual(budgetReached({ cpuMs: 10, heapMb: 204.84, elapsedMs: 1_000 }, hosted), {
      budget: "memory",
      used: 204.8,
      limit: 256,
      drainsAt: 204.8,
      unit: "MB",
    });
  });
  await t.step("the wall clock at its jittered point, reported in seconds", () => {
    assert.deepEqual(budgetReached({ cpuMs: 10, heapMb: 20, elapsedMs: 112_500 }, hosted), {
      budget: "wall_clock",
      used: 112.5,
      limit: 150,
      drainsAt: 112.5,
      unit: "s",
    });
  });
  await t.step("two at once: the CPU is named", () => {
    const reached = budgetReached({ cpuMs: 1_900, heapMb: 250, elapsedMs: 140_000 }, hosted);
    assert.equal(reached?.budget, "cpu");
  });
  await t.step("an unknown reading never drains; a budget that is off never drains", () => {
    assert.equal(
      budgetReached({ cpuMs: undefined, heapMb: undefined, elapsedMs: 0 }, hosted),
      undefined,
    );
    assert.equal(
      budgetReached({ cpuMs: 1e9, heapMb: 1e9, elapsedMs: 1e9 }, { drainAt: 0.8 }),
      undefined,
    );
  });
  await t.step("another share", () => {
    const limits = { cpuLimitMs: 300, drainAt: 0.5 };
    assert.equal(budgetReached({ cpuMs: 149, heapMb: 1, elapsedMs: 0 }, limits), undefined);
    assert.equal(budgetReached({ cpuMs: 150, heapMb: 1, elapsedMs: 0 }, limits)?.budget, "cpu");
  });
});

Deno.test("IsolateBudget: calls onReached once, with the usage at that moment", () => {
  const { now, readings } = fakeReadings();
  const { budget, calls } = watched(hosted, readings);
  assert.equal(budget.check(), undefined);
  now.cpuMs = 1_700;
  now.elapsedMs = 30_000;
  assert.equal(budget.check()?.budget, "cpu");
  now.heapMb = 300;
  assert.equal(budget.check()?.budget, "cpu", "the first budget reached stays the reason");
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0]!.usage, {
    cpuMs: 1_700,
    cpuLimitMs: 2_000,
    heapMb: 20,
    heapLimitMb: 256,
    wallClockSeconds: 30,
    wallClockLimitSeconds: 150,
    wallClockDrainSeconds: 112.5,
    drainAt: 0.8,
    draining: true,
    drainedBy: "cpu",
  });
  assert.equal(budget.reached?.budget, "cpu");
});

Deno.test("IsolateBudget.checkSoon: reads at most every minIntervalMs, and not at all when off", () => {
  const { now, readings, reads } = fakeReadings();
  const { budget } = watched(hosted, readings, 50);
  budget.checkSoon();
  assert.equal(reads(), 1);
  now.elapsedMs = 49;
  budget.checkSoon();
  assert.equal(reads(), 1, "too soon after the last check");
  now.elapsedMs = 50;
  budget.checkSoon();
  assert.equal(reads(), 2);

  const off = fakeReadings();
  const idle = watched({ drainAt: 0.8 }, off.readings);
  assert.equal(idle.budget.active, false);
  idle.budget.checkSoon();
  assert.equal(off.reads(), 0);
});

Deno.test("IsolateBudget.usage: nulls for budgets that are off and readings that are unknown", () => {
  const { readings } = fakeReadings({ cpuMs: undefined, heapMb: 41.26, elapsedMs: 2_600 });
  const { budget } = watched({ memoryLimitMb: 256, drainAt: 0.8 }, readings);
  assert.deepEqual(budget.usage(), {
    cpuMs: null,
    cpuLimitMs: null,
    heapMb: 41.3,
    heapLimitMb: 256,
    wallClockSeconds: 3,
    wallClockLimitSeconds: null,
    wallClockDrainSeconds: null,
    drainAt: 0.8,
    draining: false,
    drainedBy: null,
  });
});

Deno.test("IsolateBudget refuses a share outside (0, 1]", () => {
  const { readings } = fakeReadings();
  for (const drainAt of [0, -0.5, 1.2, Number.NaN]) {
    assert.throws(
      () => watched({ cpuLimitMs: 2_000, drainAt }, readings),
      new RangeError(`Cannot drain at "${drainAt}": expected a share above 0 up to 1`),
    );
  }
});
