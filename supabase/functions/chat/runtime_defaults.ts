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
 * drain (and send every client reconnecting) at once. 400 s: between 280 s and 320 s.
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

/**
 * When to drain, in milliseconds after start, or undefined for never: DRAIN_AFTER_SECONDS when set
 * (0: never), else before the wall clock on the Edge Runtime, and never locally.
 */
export function drainAfterMs(
  drainAfterSeconds: number | undefined,
  onEdgeRuntime: boolean,
  lifetime: LifetimeOptions,
): number | undefined {
  if (drainAfterSeconds !== undefined) {
    return drainAfterSeconds > 0 ? drainAfterSeconds * 1000 : undefined;
  }
  return onEdgeRuntime ? drainBeforeWallClockMs(lifetime) : undefined;
}
