// The interview runs on the template version its session is pinned to, which the open hands
// back: a resume after a newer version was published keeps asking the old one.
import assert from "node:assert/strict";
import type { Turn } from "../../_shared/wire/protocol.ts";
import type { OpenedSession, TemplateRecord } from "../ports/session_store.ts";
import type { Effect, InterviewEvent, InterviewState } from "./state.ts";
import { initialState, step } from "./step.ts";

const at = "2026-12-07T10:00:00.000Z";
/** The current version, as the handshake read it. */
const current: TemplateRecord = {
  id: "7d0f6c1e-3b2a-4c5d-8e9f-0a1b2c3d4e5f",
  slug: "nda",
  name: "NDA",
  description: "",
  questions: [{ id: "company", text: "Which company?", type: "short_text" }],
  body: "Company: {{company}}",
  version: 2,
  hash: "b".repeat(64),
};
/** The version the session started on. */
const pinned = {
  questions: [{ id: "party", text: "Who is the other party?", type: "short_text" }],
  body: "Party: {{party}}",
  version: 1,
  hash: "a".repeat(64),
};
const asked: Turn = {
  role: "assistant",
  content: "Who is the other party?",
  questionId: "party",
  at,
  source: "builtin",
};
const answered: Turn = { role: "user", content: "Acme", questionId: "party", at };

function opened(session: Partial<OpenedSession>): OpenedSession {
  return {
    sessionId: "s1",
    history: [asked, answered],
    turnCount: 2,
    created: false,
    generation: 1n,
    ...session,
  };
}

function run(...events: InterviewEvent[]): { state: InterviewState; effects: Effect[] } {
  let state = initialState({ userId: "u1", connectionId: "c1", template: current, version: "v2" });
  const effects: Effect[] = [];
  for (const event of events) {
    const result = step(state, event);
    state = result.state;
    effects.push(...result.effects);
    if (result.next) effects.push(result.next);
  }
  return { state, effects };
}

Deno.test("a session open on an older version runs on that version", async (t) => {
  const { state, effects } = run(
    { type: "connected", restart: false, at },
    { type: "session_opened", session: opened({ pinned }), at },
  );

  await t.step("the interview's template is the pinned version, with the template's id", () => {
    assert.deepEqual(state.context.template, { ...current, ...pinned });
  });

  await t.step("the engine is asked with version 1's content, number and hash", () => {
    const ask = effects.find((effect) => effect.kind === "ask_ai");
    assert.ok(ask && ask.kind === "ask_ai");
    assert.equal(ask.request.templateId, current.id);
    assert.equal(ask.request.template.version, 1);
    assert.equal(ask.request.template.hash, "a".repeat(64));
    assert.deepEqual(ask.request.template.questions, pinned.questions);
    assert.equal(ask.request.template.body, "Party: {{party}}");
  });

  await t.step("the resumed client's answers are read against version 1", () => {
    const resumed = effects.find((effect) =>
      effect.kind === "send" && effect.message.type === "session_resumed"
    );
    assert.ok(resumed && resumed.kind === "send" && resumed.message.type === "session_resumed");
    // Version 2 has no "party" question: read against it, the answer list would be empty.
    assert.deepEqual(resumed.message.answers, [
      { questionId: "party", question: "Who is the other party?", answer: "Acme" },
    ]);
  });
});

Deno.test("a store without versions leaves the template the connection opened with", () => {
  const { state } = run(
    { type: "connected", restart: false, at },
    { type: "session_opened", session: opened({}), at },
  );
  assert.equal(state.context.template, current);
});

Deno.test("a session on the current version keeps the very record the handshake read", () => {
  const { version, hash, questions, body } = current;
  const { state } = run(
    { type: "connected", restart: false, at },
    { type: "session_opened", session: opened({ pinned: { version, hash, questions, body } }), at },
  );
  // One record shared by every session on the version (adapters/shared_templates.ts).
  assert.equal(state.context.template, current);
});
