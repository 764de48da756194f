// Small statistics helpers for the benchmark: percentiles and process memory.

/** The p-th percentile (0-100) of the samples by the nearest-rank method; NaN when empty. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const count = samples.length;
  const mean = count ? samples.reduce((sum, value) => sum + value, 0) / count : NaN;
  return {
    count,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean,
    max: count ? samples.reduce((a, b) => Math.max(a, b), -Infinity) : NaN,
  };
}

export interface ProcessMemory {
  /** Resident set size now, in bytes. */
  rss: number;
  /** Peak resident set size ("high water mark"), in bytes. */
  hwm: number;
}

/** Reads VmRSS and VmHWM of a process from /proc (Linux). */
export async function readProcessMemory(pid: number): Promise<ProcessMemory> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return parseProcStatus(status);
}

export function parseProcStatus(status: string): ProcessMemory {
  const field = (name: string) => {
    const match = status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"));
    if (!match) throw new TypeError(`Cannot read "${name}" from /proc status`);
    return Number(match[1]) * 1024;
  };
  return { rss: field("VmRSS"), hwm: field("VmHWM") };
}

/** Milliseconds rounded for a table: two decimals under 10, one under 100, none above. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

export function mib(bytes: number): number {
  return bytes / 1024 / 1024;
}

/** CPU time a process has used so far, in milliseconds (user + system; reaped children apart). */
export interface CpuTime {
  ownMs: number;
  reapedChildrenMs: number;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every mainstream Linux

/** Reads utime, stime, cutime and cstime of a process from /proc/<pid>/stat. */
export async function readCpuTime(pid: number | "self"): Promise<CpuTime> {
  return parseProcStat(await Deno.readTextFile(`/proc/${pid}/stat`));
}

export function parseProcStat(stat: string): CpuTime {
  // The command name (field 2) may hold spaces and parentheses: split after its last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state): utime is field 14, so fields[11].
  const ticks = (index: number) => Number(fields[index]);
  const toMs = (value: number) => (value * 1000) / CLOCK_TICKS_PER_SECOND;
  return {
    ownMs: toMs(ticks(11) + ticks(12)),
    reapedChildrenMs: toMs(ticks(13) + ticks(14)),
  };
}

/**
 * CPU time of a Postgres cluster: the postmaster, its live children (backends, WAL writer, ...)
 * and the children it has already reaped.
 */
export async function readClusterCpuMs(postmasterPid: number): Promise<number> {
  const postmaster = await readCpuTime(postmasterPid);
  let total = postmaster.ownMs + postmaster.reapedChildrenMs;
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === postmasterPid) total += parseProcStat(stat).ownMs;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** A process's CPU ms per second of wall clock over `ms`. */
export async function cpuRate(pid: number, ms: number): Promise<number> {
  const before = (await readCpuTime(pid)).ownMs;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = (await readCpuTime(pid)).ownMs;
  return (after - before) / ((performance.now() - started) / 1000);
}
