import assert from "node:assert/strict";
import { LIMITS } from "../../_shared/wire/protocol.ts";
import { FrameGuard } from "./frame_guard.ts";

Deno.test("FrameGuard", async (t) => {
  await t.step("admits a burst, refuses beyond it, and refills over time", () => {
    let now = 0;
    const guard = new FrameGuard(() => now);
    for (let i = 0; i < LIMITS.burstFrames; i++) assert.equal(guard.admit(), true, `frame ${i}`);
    assert.equal(guard.admit(), false);
    now += 1_000; // one second refills refillFramesPerSecond frames
    for (let i = 0; i < LIMITS.refillFramesPerSecond; i++) assert.equal(guard.admit(), true);
    assert.equal(guard.admit(), false);
  });

  await t.step("never refills above the burst", () => {
    let now = 0;
    const guard = new FrameGuard(() => now);
    now += 3_600_000;
    for (let i = 0; i < LIMITS.burstFrames; i++) guard.admit();
    assert.equal(guard.admit(), false);
  });

  await t.step("says when invalid frames reach the limit", () => {
    const guard = new FrameGuard(() => 0);
    for (let i = 1; i < LIMITS.maxInvalidFrames; i++) assert.equal(guard.recordInvalid(), false);
    assert.equal(guard.recordInvalid(), true);
  });
});
