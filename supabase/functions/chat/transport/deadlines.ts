/**
 * One timer for many deadlines: the connections' token expiries. A timer per connection cost an
 * idle session about 400 bytes of heap (the Timeout, its callback's closure, its arguments and,
 * as no two expiries share a millisecond, a timer list of its own; BENCHMARKS.md, "Idle memory");
 * here a deadline is an entry in a per-second bucket, and one timer waits for the earliest bucket.
 * Deadlines are whole seconds (a JWT's `exp`): one fires once the clock reaches its second's end
 * rounded up, never early.
 */

/** The timer functions it runs on: the global ones, or a test's. */
export interface TimerHost {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

type TimerId = ReturnType<typeof setTimeout>;

const MAX_TIMER_MS = 2_147_483_647;

const globalTimers: TimerHost = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const id = setTimeout(callback, ms);
    // Waiting for a deadline must not keep a process alive on its own.
    if (typeof Deno !== "undefined" && typeof Deno.unrefTimer === "function") Deno.unrefTimer(id);
    return id;
  },
  clearTimeout: (id) => clearTimeout(id as TimerId),
};

export class Deadlines<T> {
  readonly #onDue: (item: T) => void;
  readonly #timers: TimerHost;
  /** Per second (epoch ms / 1000, rounded up): the items due then. */
  readonly #buckets = new Map<number, Set<T>>();
  /** Each armed item's second. */
  readonly #secondOf = new Map<T, number>();
  /** The second the timer waits for, and the timer; undefined when nothing is armed. */
  #timerSecond: number | undefined;
  #timer: unknown;

  /** `onDue` is called once per armed item whose deadline came, outside `arm`'s call. */
  constructor(onDue: (item: T) => void, timers: TimerHost = globalTimers) {
    this.#onDue = onDue;
    this.#timers = timers;
  }

  /** How many items are armed. */
  get size(): number {
    return this.#secondOf.size;
  }

  /** Arms (or re-arms) `item` for `at` (epoch ms); a deadline already past fires at once. */
  arm(item: T, at: number): void {
    this.disarm(item);
    const second = Math.ceil(at / 1000);
    let bucket = this.#buckets.get(second);
    if (!bucket) this.#buckets.set(second, bucket = new Set());
    bucket.add(item);
    this.#secondOf.set(item, second);
    if (this.#timerSecond === undefined || second < this.#timerSecond) this.#schedule(second);
  }

  /** Forgets `item`'s deadline, if it has one. */
  disarm(item: T): void {
    const second = this.#secondOf.get(item);
    if (second === undefined) return;
    this.#secondOf.delete(item);
    const bucket = this.#buckets.get(second)!;
    bucket.delete(item);
    if (bucket.size === 0) this.#buckets.delete(second);
    if (this.#secondOf.size === 0) this.#cancel();
  }

  #schedule(second: number): void {
    this.#cancel();
    this.#timerSecond = second;
    const wait = Math.min(Math.max(0, second * 1000 - this.#timers.now()), MAX_TIMER_MS);
    this.#timer = this.#timers.setTimeout(() => this.#fire(), wait);
  }

  #cancel(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerSecond = undefined;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerSecond = undefined;
    const now = this.#timers.now();
    const due: T[] = [];
    let next: number | undefined;
    for (const [second, bucket] of this.#buckets) {
      if (second * 1000 <= now) {
        this.#buckets.delete(second);
        for (const item of bucket) {
          this.#secondOf.delete(item);
          due.push(item);
        }
      } else if (next === undefined || second < next) {
        next = second;
      }
    }
    if (next !== undefined) this.#schedule(next);
    for (const item of due) this.#onDue(item);
  }
}
