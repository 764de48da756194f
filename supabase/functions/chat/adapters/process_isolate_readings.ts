/**
 * The isolate's readings from the process: `process.cpuUsage()` (user + system) for CPU and
 * `Deno.memoryUsage()` (heapUsed + external) for memory. A reading the runtime cannot give is
 * "unknown" (undefined), so its budget never drains rather than failing the chat.
 */
import process from "node:process";
import type { IsolateReadings } from "../ports/isolate_readings.ts";

const MB = 1024 * 1024;

export interface ProcessReadingsSources {
  cpuUsage?: () => { user: number; system: number };
  memoryUsage?: () => { heapUsed: number; external: number };
  now?: () => number;
}

/**
 * Readings from this process, the wall clock counted from the call. CPU is the process's since it
 * started (its boot counts against the platform's limit too); where several isolates share a
 * process it counts theirs as well, so the budget can only drain early, never late.
 */
export function processIsolateReadings(sources: ProcessReadingsSources = {}): IsolateReadings {
  const cpuUsage = sources.cpuUsage ?? (() => process.cpuUsage());
  const memoryUsage = sources.memoryUsage ?? (() => Deno.memoryUsage());
  const now = sources.now ?? (() => performance.now());
  const startedAt = now();
  return {
    cpuMs: () =>
      finite(() => {
        const { user, system } = cpuUsage();
        return (user + system) / 1000;
      }),
    heapMb: () =>
      finite(() => {
        const { heapUsed, external } = memoryUsage();
        return (heapUsed + external) / MB;
      }),
    elapsedMs: () => now() - startedAt,
  };
}

function finite(read: () => number): number | undefined {
  try {
    const value = read();
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
