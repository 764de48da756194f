import assert from "node:assert/strict";
import { processIsolateReadings } from "./process_isolate_readings.ts";

Deno.test("processIsolateReadings: CPU is user + system in ms, memory heapUsed + external in MB", () => {
  let clock = 1_000;
  const readings = processIsolateReadings({
    cpuUsage: () => ({ user: 700_000, system: 50_500 }),
    memoryUsage: () => ({ heapUsed: 40 * 1024 * 1024, external: 2 * 1024 * 1024 }),
    now: () => clock,
  });
  assert.equal(readings.cpuMs(), 750.5);
  assert.equal(readings.heapMb(), 42);
  clock += 2_500;
  assert.equal(readings.elapsedMs(), 2_500);
});

Deno.test("processIsolateReadings: a runtime without the reading reports it unknown", () => {
  const readings = processIsolateReadings({
    cpuUsage: () => {
      throw new TypeError("process.cpuUsage is not a function");
    },
    memoryUsage: () => ({ heapUsed: Number.NaN, external: 0 }),
  });
  assert.equal(readings.cpuMs(), undefined);
  assert.equal(readings.heapMb(), undefined);
});

Deno.test("processIsolateReadings: this process's own readings grow with work", () => {
  const readings = processIsolateReadings();
  const before = readings.cpuMs();
  assert.ok(before !== undefined && before > 0, "Deno reports the process's CPU time");
  let spins = 0;
  while (readings.cpuMs()! - before < 20) spins++;
  assert.ok(spins > 0);
  const heap = readings.heapMb();
  assert.ok(heap !== undefined && heap > 1 && heap < 1_024, `a plausible heap: ${heap} MB`);
});
