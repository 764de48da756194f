// The interview past a quota (CH429): the open is refused with the error frame and close 4529,
// a completion or confirm with the error frame while the session stays as it was. As data: no
// database, no socket, no clock.
import assert from "node:assert/strict";
import { CloseCode, type Turn } from "../../_shared/wire/protocol.ts";
import type { Effect, InterviewEvent, InterviewState, StoreFailure } from "./state.ts";
import { initialState, inReview, step as stepOnce } from "./step.ts";
import { waitsForClient } from "./phases.ts";

/** One step with its awaited effect last, in the order the runner carries them out. */
function step(
  state: InterviewState,
  event: InterviewEvent,
): { state: InterviewState; effects: Effect[] } {
  const result = stepOnce(state, event);
  return {
    state: result.state,
    effects: [...result.effects, ...(result.next ? [result.next] : [])],
  };
}

const at = "2026-12-01T10:00:00.000Z";
const template = {
  id: "7d0f6c1e-3b2a-4c5d-8e9f-0a1b2c3d4e5f",
  slug: "nda",
  name: "NDA",
  description: "",
  questions: [],
  body: "",
};
const v1 = { userId: "u1", connectionId: "c1", template, version: "v1" as const };
const v2 = { ...v1, version: "v2" as const };
const history: Turn[] = [
  { role: "assistant", content: "Who?", questionId: "party", at, source: "ai" },
  { role: "user", content: "Acme", questionId: "party", at },
];
const preview = { title: "NDA", content: "# NDA", format: "markdown" as const };
const PER_MINUTE = "You started 10 interviews within a minute, the most allowed: try again in 42 " +
  "seconds";
const PER_DAY = "You finished 50 documents in the last 24 hours, the most allowed: try again in " +
  "3 h 12 min. Your answers are kept";

const quota = (message: string, retryAfterSeconds?: number): StoreFailure => ({
  kind: "refused",
  reason: "quota_exceeded",
  error: `QuotaExceededError: ${message}`,
  quota: { message, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) },
});
const failed = (failure: StoreFailure): InterviewEvent => ({ type: "store_failed", failure, at });

function run(state: InterviewState, ...events: InterviewEvent[]) {
  const effects: Effect[] = [];
  for (const event of events) {
    const result = step(state, event);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects };
}
const withoutLogs = (effects: Effect[]) => effects.filter((effect) => effect.kind !== "log");

Deno.test("an open past the per-minute quota gets the error frame, then close 4529", () => {
  const { state, effects } = run(
    initialState(v1),
    { type: "connected", restart: true, at },
    failed(quota(PER_MINUTE, 42)),
  );
  assert.deepEqual(withoutLogs(effects), [
    { kind: "open_session", restart: true },
    {
      kind: "send",
      message: {
        type: "error",
        code: "quota_exceeded",
        message: PER_MINUTE,
        retryable: true,
        retryAfterSeconds: 42,
      },
    },
    { kind: "close", code: CloseCode.quotaExceeded, reason: "quota exceeded" },
  ]);
  assert.equal(CloseCode.quotaExceeded, 4529, "a 45xx: clients do not reconnect");
  assert.equal(state.phase.name, "closed");
  assert.deepEqual(effects.find((effect) => effect.kind === "log"), {
    kind: "log",
    level: "warn",
    event: "quota_exceeded",
    fields: {
      userId: "u1",
      connectionId: "c1",
      templateId: template.id,
      error: `QuotaExceededError: ${PER_MINUTE}`,
    },
  });
});

Deno.test("an open past the open-interviews quota is not retryable and has no wait", () => {
  const sentence = "You have 20 interviews in progress, the most allowed at once";
  const { effects } = run(
    initialState(v1),
    { type: "connected", restart: false, at },
    failed(quota(sentence)),
  );
  assert.deepEqual(withoutLogs(effects).slice(1), [
    {
      kind: "send",
      message: { type: "error", code: "quota_exceeded", message: sentence, retryable: false },
    },
    { kind: "close", code: 4529, reason: "quota exceeded" },
  ]);
});

Deno.test("a v1 completion past the daily quota gets the error frame; the socket stays", () => {
  const opened = run(initialState(v1), { type: "connected", restart: false, at }, {
    type: "session_opened",
    session: { sessionId: "s1", history, turnCount: 2, created: false, generation: 1n },
    at,
  }).state;
  const { state, effects } = run(
    opened,
    {
      type: "question_answered",
      result: { status: "complete", document: preview, source: "ai" },
      at,
    },
    failed(quota(PER_DAY, 11_520)),
  );
  assert.deepEqual(withoutLogs(effects).slice(1), [{
    kind: "send",
    message: {
      type: "error",
      code: "quota_exceeded",
      message: PER_DAY,
      retryable: true,
      retryAfterSeconds: 11_520,
    },
  }]);
  assert.notEqual(state.phase.name, "closed");
  assert.ok(waitsForClient(state.phase));
  assert.deepEqual(state.history, history, "every answer kept");
});

Deno.test("a v2 confirm past the daily quota keeps the review standing", () => {
  const review = { document: preview, turnCount: 2 };
  const opened = run(initialState(v2), { type: "connected", restart: false, at }, {
    type: "session_opened",
    session: { sessionId: "s1", history, turnCount: 2, created: false, generation: 1n },
    review,
    at,
  }).state;
  const { state, effects } = run(
    opened,
    { type: "frame", frame: { type: "confirm" }, at },
    failed(quota(PER_DAY, 11_520)),
  );
  const sent = withoutLogs(effects).filter((effect) => effect.kind === "send");
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.kind === "send" && sent[0]!.message.type, "error");
  assert.notEqual(state.phase.name, "closed");
  assert.equal(inReview(state), true, "still in review: a later confirm stores the preview");
  const again = step(state, { type: "frame", frame: { type: "confirm" }, at });
  assert.deepEqual(again.effects, [{
    kind: "confirm_review",
    fence: { sessionId: "s1", connectionId: "c1", expectedTurnCount: 2 },
  }]);
});

Deno.test("a quota refusal without a readable detail still gets a clear frame", () => {
  const { effects } = run(
    initialState(v1),
    { type: "connected", restart: false, at },
    failed({ kind: "refused", reason: "quota_exceeded", error: "refused" }),
  );
  assert.deepEqual(withoutLogs(effects).slice(1, 2), [{
    kind: "send",
    message: {
      type: "error",
      code: "quota_exceeded",
      message: "You have reached a limit of this service; try again later",
      retryable: false,
    },
  }]);
});
