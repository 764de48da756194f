import assert from "node:assert/strict";
import { Deadlines, type TimerHost } from "./deadlines.ts";

/** A clock and timers the test moves by hand. */
class ManualTimers implements TimerHost {
  time = 0;
  #next = 0;
  readonly pending = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    this.pending.set(++this.#next, { at: this.time + ms, callback });
    return this.#next;
  }

  clearTimeout(id: unknown): void {
    this.pending.delete(id as number);
  }

  /** Moves the clock to `time`, running each timer due by then in the order they are due. */
  advanceTo(time: number): void {
    for (;;) {
      const due = [...this.pending].filter(([, timer]) => timer.at <= time)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
    }
    this.time = time;
  }
}

function setUp() {
  const timers = new ManualTimers();
  const fired: string[] = [];
  const deadlines = new Deadlines<string>((item) => fired.push(`${item}@${timers.time}`), timers);
  return { timers, fired, deadlines };
}

Deno.test("Deadlines", async (t) => {
  await t.step("fires each item once, at its second, in the order they are due", () => {
    const { timers, fired, deadlines } = setUp();
    deadlines.arm("b", 5_000);
    deadlines.arm("a", 3_000);
    deadlines.arm("c", 5_000);
    timers.advanceTo(10_000);
    assert.deepEqual(fired, ["a@3000", "b@5000", "c@5000"]);
    assert.deepEqual(deadlines.size, 0);
    assert.deepEqual(timers.pending.size, 0, "no timer is left once nothing is armed");
  });

  await t.step("never fires early: a deadline inside a second waits for the second's end", () => {
    const { timers, fired, deadlines } = setUp();
    deadlines.arm("a", 2_001);
    timers.advanceTo(2_999);
    assert.deepEqual(fired, []);
    timers.advanceTo(3_000);
    assert.deepEqual(fired, ["a@3000"]);
  });

  await t.step("re-arming moves the deadline; disarming forgets it", () => {
    const { timers, fired, deadlines } = setUp();
    deadlines.arm("refreshed", 2_000);
    deadlines.arm("refreshed", 7_000);
    deadlines.arm("closed", 3_000);
    deadlines.disarm("closed");
    deadlines.disarm("never armed");
    timers.advanceTo(6_000);
    assert.deepEqual(fired, []);
    timers.advanceTo(7_000);
    assert.deepEqual(fired, ["refreshed@7000"]);
  });

  await t.step("a deadline already past fires on the next turn, not inside arm", () => {
    const { timers, fired, deadlines } = setUp();
    timers.time = 9_000;
    deadlines.arm("late", 1_000);
    assert.deepEqual(fired, []);
    timers.advanceTo(9_000);
    assert.deepEqual(fired, ["late@9000"]);
  });

  await t.step("one timer at a time, for the earliest deadline", () => {
    const { timers, deadlines } = setUp();
    deadlines.arm("a", 60_000);
    deadlines.arm("b", 30_000);
    deadlines.arm("c", 90_000);
    assert.deepEqual([...timers.pending.values()].map((timer) => timer.at), [30_000]);
    deadlines.disarm("b");
    // The timer for the forgotten second may stay; when it fires it waits for the next one.
    timers.advanceTo(30_000);
    assert.deepEqual([...timers.pending.values()].map((timer) => timer.at), [60_000]);
  });

  await t.step("an item armed from inside onDue is kept for its own deadline", () => {
    const timers = new ManualTimers();
    const fired: string[] = [];
    const deadlines: Deadlines<string> = new Deadlines((item) => {
      fired.push(`${item}@${timers.time}`);
      if (item === "first") deadlines.arm("second", timers.time + 1_000);
    }, timers);
    deadlines.arm("first", 1_000);
    timers.advanceTo(5_000);
    assert.deepEqual(fired, ["first@1000", "second@2000"]);
  });

  await t.step("a deadline beyond the longest timer waits in steps the timers can take", () => {
    const { timers, fired, deadlines } = setUp();
    const far = 30 * 86_400_000; // 30 days: more than 2^31 - 1 ms
    deadlines.arm("far", far);
    assert.deepEqual([...timers.pending.values()].map((timer) => timer.at), [2_147_483_647]);
    timers.advanceTo(far - 1);
    assert.deepEqual(fired, []);
    timers.advanceTo(far);
    assert.deepEqual(fired, [`far@${far}`]);
  });
});
