// The table of which event each phase accepts, read as the rules it states.
import assert from "node:assert/strict";
import { ACCEPTED_EVENTS, assertAccepted, waitsForClient } from "./phases.ts";
import type { InterviewEvent, Phase } from "./state.ts";

const at = "2026-12-01T10:00:00.000Z";
const ping: InterviewEvent = { type: "frame", frame: { type: "ping" }, at };

Deno.test("frames are taken only while the interview waits for the client", () => {
  const waiting = Object.entries(ACCEPTED_EVENTS)
    .filter(([, events]) => events.includes("frame"))
    .map(([name]) => name);
  assert.deepEqual(waiting.sort(), ["asking", "in_review", "unsynced"]);
  for (const name of waiting) {
    const phase = { name, document: { title: "T", content: "C", format: "markdown" } } as Phase;
    assert.equal(waitsForClient(phase), true, name);
    assert.doesNotThrow(() => assertAccepted(phase, ping));
  }
});

Deno.test("every phase with an effect in flight takes only that effect's answers", () => {
  assert.deepEqual(ACCEPTED_EVENTS.waiting_for_ai, ["question_answered", "ai_failed"]);
  for (const name of ["opening", "reloading", "storing_answer", "storing_question"] as const) {
    assert.ok(ACCEPTED_EVENTS[name].includes("store_failed"), `${name} can fail`);
  }
  assert.throws(
    () => assertAccepted({ name: "waiting_for_ai" }, ping),
    { message: 'The interview cannot take "frame" while waiting_for_ai' },
  );
  assert.throws(
    () => assertAccepted({ name: "asking" }, { type: "turns_stored", turnCount: 1, at }),
    { message: 'The interview cannot take "turns_stored" while asking' },
  );
});

Deno.test("only a new interview takes connected, and a closed one takes nothing", () => {
  const connected: InterviewEvent = { type: "connected", restart: false, at };
  const takers = Object.entries(ACCEPTED_EVENTS)
    .filter(([, events]) => events.includes("connected"))
    .map(([name]) => name);
  assert.deepEqual(takers, ["starting"]);
  assert.deepEqual(ACCEPTED_EVENTS.closed, []);
  assert.throws(() => assertAccepted({ name: "asking" }, connected));
});
