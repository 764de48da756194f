/**
 * The isolate's budget: its CPU time, its memory and its wall clock, each against the hosted Edge
 * Runtime's limit. Reaching a share of one starts the drain once, so that the platform never has
 * to end the isolate itself (HTTP 546, sockets cut mid-turn). Pure: readings come through a port.
 */
import type { IsolateReadings } from "../ports/isolate_readings.ts";

export type BudgetName = "cpu" | "memory" | "wall_clock";

export interface BudgetLimits {
  /** CPU milliseconds the platform allows an isolate over its whole life; undefined: no budget. */
  cpuLimitMs?: number;
  /** Megabytes of memory the platform allows an isolate; undefined: no budget. */
  memoryLimitMb?: number;
  /** The platform's wall-clock limit in seconds; undefined: no wall-clock budget. */
  wallClockLimitSeconds?: number;
  /** Milliseconds after start at which the wall clock drains (jittered below the limit). */
  wallClockDrainMs?: number;
  /** The share of the CPU and memory limits at which the isolate drains, above 0 up to 1. */
  drainAt: number;
}

/** What `/health` reports: null for a budget that is off or a reading that is unknown. */
export interface BudgetUsage {
  cpuMs: number | null;
  cpuLimitMs: number | null;
  heapMb: number | null;
  heapLimitMb: number | null;
  wallClockSeconds: number;
  wallClockLimitSeconds: number | null;
  /** Seconds after start at which the wall-clock budget drains, or null. */
  wallClockDrainSeconds: number | null;
  drainAt: number;
  draining: boolean;
  /** The budget that started the drain, or null. */
  drainedBy: BudgetName | null;
}

/** A budget whose share was reached: its reading and the point at which it drains. */
export interface BudgetReached {
  budget: BudgetName;
  used: number;
  limit: number;
  /** The reading at which the drain starts: limit x drainAt, or the jittered wall-clock point. */
  drainsAt: number;
  unit: "ms" | "MB" | "s";
}

/** A reading of every budget at one moment. */
export interface BudgetReading {
  cpuMs: number | undefined;
  heapMb: number | undefined;
  elapsedMs: number;
}

/** The first budget whose share the reading reached (CPU, then memory, then wall clock). */
export function budgetReached(
  reading: BudgetReading,
  limits: BudgetLimits,
): BudgetReached | undefined {
  const { cpuMs, heapMb, elapsedMs } = reading;
  const { cpuLimitMs, memoryLimitMb, wallClockLimitSeconds, wallClockDrainMs, drainAt } = limits;
  if (cpuLimitMs !== undefined && cpuMs !== undefined && cpuMs >= cpuLimitMs * drainAt) {
    return {
      budget: "cpu",
      used: Math.round(cpuMs),
      limit: cpuLimitMs,
      drainsAt: cpuLimitMs * drainAt,
      unit: "ms",
    };
  }
  if (memoryLimitMb !== undefined && heapMb !== undefined && heapMb >= memoryLimitMb * drainAt) {
    return {
      budget: "memory",
      used: round1(heapMb),
      limit: memoryLimitMb,
      drainsAt: memoryLimitMb * drainAt,
      unit: "MB",
    };
  }
  if (wallClockDrainMs !== undefined && elapsedMs >= wallClockDrainMs) {
    return {
      budget: "wall_clock",
      used: round1(elapsedMs / 1000),
      limit: wallClockLimitSeconds ?? wallClockDrainMs / 1000,
      drainsAt: round1(wallClockDrainMs / 1000),
      unit: "s",
    };
  }
  return undefined;
}

export interface IsolateBudgetOptions {
  /** Called once, when the first budget is reached: start the drain there. */
  onReached: (reached: BudgetReached, usage: BudgetUsage) => void;
  /** The least milliseconds between two checks asked for with `checkSoon`. Default 50. */
  minIntervalMs?: number;
}

/**
 * Watches the budgets. `check()` on a timer (about a second) and `checkSoon()` after each turn,
 * which reads at most every `minIntervalMs`: a busy isolate may burn most of a core between two
 * ticks, and the CPU limit's margin above the drain share is a few hundred milliseconds.
 */
export class IsolateBudget {
  readonly limits: BudgetLimits;
  #readings: IsolateReadings;
  #options: IsolateBudgetOptions;
  #lastCheckMs = Number.NEGATIVE_INFINITY;
  #reached: BudgetReached | undefined;

  constructor(limits: BudgetLimits, readings: IsolateReadings, options: IsolateBudgetOptions) {
    if (!(limits.drainAt > 0 && limits.drainAt <= 1)) {
      throw new RangeError(`Cannot drain at "${limits.drainAt}": expected a share above 0 up to 1`);
    }
    this.limits = limits;
    this.#readings = readings;
    this.#options = options;
  }

  /** Whether any budget is on: with none, nothing needs checking. */
  get active(): boolean {
    const { cpuLimitMs, memoryLimitMb, wallClockDrainMs } = this.limits;
    return cpuLimitMs !== undefined || memoryLimitMb !== undefined ||
      wallClockDrainMs !== undefined;
  }

  /** The budget that started the drain, if one did. */
  get reached(): BudgetReached | undefined {
    return this.#reached;
  }

  /** Reads every budget; the first time one is reached, calls `onReached`. */
  check(): BudgetReached | undefined {
    if (this.#reached) return this.#reached;
    const reading = this.#read();
    this.#lastCheckMs = reading.elapsedMs;
    const reached = budgetReached(reading, this.limits);
    if (reached) {
      this.#reached = reached;
      this.#options.onReached(reached, this.#usage(reading));
    }
    return reached;
  }

  /** `check()`, unless one ran less than `minIntervalMs` ago. */
  checkSoon(): void {
    if (this.#reached || !this.active) return;
    const since = this.#readings.elapsedMs() - this.#lastCheckMs;
    if (since >= (this.#options.minIntervalMs ?? 50)) this.check();
  }

  /** What each budget has used, for `/health`. */
  usage(): BudgetUsage {
    return this.#usage(this.#read());
  }

  #read(): BudgetReading {
    return {
      cpuMs: this.#readings.cpuMs(),
      heapMb: this.#readings.heapMb(),
      elapsedMs: this.#readings.elapsedMs(),
    };
  }

  #usage(reading: BudgetReading): BudgetUsage {
    const { cpuLimitMs, memoryLimitMb, wallClockLimitSeconds, wallClockDrainMs, drainAt } =
      this.limits;
    return {
      cpuMs: reading.cpuMs === undefined ? null : Math.round(reading.cpuMs),
      cpuLimitMs: cpuLimitMs ?? null,
      heapMb: reading.heapMb === undefined ? null : round1(reading.heapMb),
      heapLimitMb: memoryLimitMb ?? null,
      wallClockSeconds: Math.round(reading.elapsedMs / 1000),
      wallClockLimitSeconds: wallClockLimitSeconds ?? null,
      wallClockDrainSeconds: wallClockDrainMs === undefined
        ? null
        : round1(wallClockDrainMs / 1000),
      drainAt,
      draining: this.#reached !== undefined,
      drainedBy: this.#reached?.budget ?? null,
    };
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
