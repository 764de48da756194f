import { LIMITS } from "../../_shared/wire/protocol.ts";

const monotonicNow = () => performance.now();

/**
 * Per-connection abuse limits: a token bucket against floods, and a count of invalid frames.
 * Pure apart from the clock it is given.
 */
export class FrameGuard {
  #tokens: number = LIMITS.burstFrames;
  #lastRefill: number;
  #invalid = 0;
  #now: () => number;

  // The default is one function for every guard: a default written inline is a closure per guard.
  constructor(now: () => number = monotonicNow) {
    this.#now = now;
    this.#lastRefill = now();
  }

  /** Takes one frame from the bucket: false when the client sends faster than allowed. */
  admit(): boolean {
    const now = this.#now();
    const refill = ((now - this.#lastRefill) / 1000) * LIMITS.refillFramesPerSecond;
    this.#tokens = Math.min(LIMITS.burstFrames, this.#tokens + refill);
    this.#lastRefill = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Records an invalid frame: true once the client has sent too many. */
  recordInvalid(): boolean {
    this.#invalid += 1;
    return this.#invalid >= LIMITS.maxInvalidFrames;
  }
}
