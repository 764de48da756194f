/** How long to wait before reconnecting: exponential growth, a cap, and jitter. */
export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. Default 500. */
  initialMs?: number;
  /** Upper bound of any delay, in milliseconds. Default 30 000. */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = {
  initialMs: 500,
  maxMs: 30_000,
  factor: 2,
};

/**
 * The delay before retry number `attempt` (0 for the first retry), with "equal jitter": half of
 * the exponential delay is fixed and half is random, so clients that lost the same server at the
 * same moment spread out, yet none retries at once. `random` returns a number in [0, 1).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new RangeError(`Cannot compute a backoff for attempt "${attempt}": not a whole number`);
  }
  const { initialMs, maxMs, factor } = { ...DEFAULT_BACKOFF, ...options };
  const ceiling = Math.min(maxMs, initialMs * factor ** attempt);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
