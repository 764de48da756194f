import type { BudgetLimits } from "./transport/isolate_budget.ts";

/**
 * What the chat defaults to on the hosted Edge Runtime, where isolates scale out and each ends at a
 * wall-clock limit, and locally, where one long-lived process serves (docs/operations.md).
 */

/** Pool connections per isolate on the Edge Runtime: within Supabase's guidance of 1 to 4. */
export const EDGE_POOL_SIZE = 3;
/** Pool connections of a local, long-lived process. */
export const LOCAL_POOL_SIZE = 10;

/** The pool size: the configured one, else the runtime's default. */
export function poolSize(configured: number | undefined, onEdgeRuntime: boolean): number {
  return configured ?? (onEdgeRuntime ? EDGE_POOL_SIZE : LOCAL_POOL_SIZE);
}

export interface LifetimeOptions {
  /** The platform's wall-clock limit in seconds (150 free, 400 paid). */
  limitSeconds: number;
  /** The share of the limit by which the drain has begun. Default 0.8. */
  fraction?: number;
  /** The share of the limit the drain may come earlier, spread by `random`. Default 0.1. */
  jitterFraction?: number;
  /** A number from 0 (inclusive) to 1 (exclusive): Math.random() in production. */
  random: number;
}

/**
 * Milliseconds after start at which an isolate drains, before the wall clock ends it mid-turn:
 * `limit x (fraction - jitterFraction x random)`, so that isolates started together do not all
 * drain (and send every client reconnecting) at once. 150 s: between 105 s and 120 s.
 */
export function drainBeforeWallClockMs(options: LifetimeOptions): number {
  const { limitSeconds, fraction = 0.8, jitterFraction = 0.1, random } = options;
  if (!(random >= 0 && random < 1)) {
    throw new RangeError(`Cannot jitter with "${random}": expected a number from 0 to below 1`);
  }
  if (!(fraction > jitterFraction && fraction <= 1 && jitterFraction >= 0)) {
    throw new RangeError(
      `Cannot drain at "${fraction}" with jitter "${jitterFraction}": expected 0 <= jitter < fraction <= 1`,
    );
  }
  return Math.round(limitSeconds * 1000 * (fraction - jitterFraction * random));
}

/** The hosted Edge Runtime's limits per isolate (worker): CPU over its whole life, memory, wall clock. */
export const EDGE_CPU_LIMIT_MS = 2_000;
export const EDGE_MEMORY_LIMIT_MB = 256;
/** The free plan's; the paid plans' is 400. */
export const EDGE_WALL_CLOCK_SECONDS = 150;

export interface BudgetSettings {
  /** EDGE_CPU_LIMIT_MS: unset for the runtime's default, 0 for off. */
  cpuLimitMs?: number;
  /** EDGE_MEMORY_LIMIT_MB: unset for the runtime's default, 0 for off. */
  memoryLimitMb?: number;
  /** EDGE_WALL_CLOCK_SECONDS: unset for the runtime's default. */
  wallClockSeconds?: number;
  /** DRAIN_AFTER_SECONDS: a fixed drain time instead of the wall clock's (0: never). */
  drainAfterSeconds?: number;
  /** EDGE_DRAIN_AT: the share of the CPU and memory limits at which to drain. */
  drainAt: number;
}

/**
 * The isolate's budget limits. On the Edge Runtime each budget defaults to the platform's limit;
 * locally (one long-lived process) a budget applies only when its variable is set, so `npm start`
 * never drains by surprise. DRAIN_AFTER_SECONDS, when set, replaces the wall clock's jittered
 * point (0: no wall-clock drain).
 */
export function isolateBudgetLimits(
  settings: BudgetSettings,
  onEdgeRuntime: boolean,
  random: number,
): BudgetLimits {
  const orEdge = (configured: number | undefined, edge: number) =>
    configured ?? (onEdgeRuntime ? edge : undefined);
  const on = (limit: number | undefined) => (limit === 0 ? undefined : limit);
  const cpuLimitMs = on(orEdge(settings.cpuLimitMs, EDGE_CPU_LIMIT_MS));
  const memoryLimitMb = on(orEdge(settings.memoryLimitMb, EDGE_MEMORY_LIMIT_MB));
  const wallClockLimitSeconds = orEdge(settings.wallClockSeconds, EDGE_WALL_CLOCK_SECONDS);
  const wallClockDrainMs = settings.drainAfterSeconds !== undefined
    ? on(settings.drainAfterSeconds * 1000)
    : wallClockLimitSeconds === undefined
    ? undefined
    : drainBeforeWallClockMs({ limitSeconds: wallClockLimitSeconds, random });
  return {
    ...(cpuLimitMs === undefined ? {} : { cpuLimitMs }),
    ...(memoryLimitMb === undefined ? {} : { memoryLimitMb }),
    ...(wallClockLimitSeconds === undefined ? {} : { wallClockLimitSeconds }),
    ...(wallClockDrainMs === undefined ? {} : { wallClockDrainMs }),
    drainAt: settings.drainAt,
  };
}
