import assert from "node:assert/strict";
import { parseProcStat, parseProcStatus, percentile, summarize } from "./stats.ts";

Deno.test("percentile uses the nearest rank", async (t) => {
  await t.step("of 1..100", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(samples, 50), 50);
    assert.equal(percentile(samples, 99), 99);
    assert.equal(percentile(samples, 100), 100);
  });
  await t.step("of one sample and of none", () => {
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });
  await t.step("does not sort its input in place", () => {
    const samples = [3, 1, 2];
    summarize(samples);
    assert.deepEqual(samples, [3, 1, 2]);
  });
});

Deno.test("parseProcStatus reads VmRSS and VmHWM in bytes", () => {
  const memory = parseProcStatus("Name:\tdeno\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n");
  assert.deepEqual(memory, { rss: 1024 * 1024, hwm: 2048 * 1024 });
  assert.throws(() => parseProcStatus("Name:\tdeno\n"), TypeError);
});

Deno.test("parseProcStat reads CPU ticks as milliseconds, even with spaces in the name", () => {
  const stat = "42 (deno (main)) S 1 42 42 0 -1 4194560 100 0 0 0 150 50 7 3 20 0 9 0 1 0 0";
  assert.deepEqual(parseProcStat(stat), { ownMs: 2000, reapedChildrenMs: 100 });
});
