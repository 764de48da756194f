// A finished document over the one maximum (LIMITS.maxDocumentChars), through `step`: refused
// before anything is stored, with document_too_large and what the user can do; the socket stays
// open and a retry asks again. The end-to-end proof is ai_document_limit_e2e_test.ts.
import assert from "node:assert/strict";
import { LIMITS, type ProtocolVersion, type Turn } from "../../_shared/wire/protocol.ts";
import type { SourcedResult } from "../ports/next_question_source.ts";
import { documentTooLargeMessage } from "./document_refusal.ts";
import type { Effect, InterviewEvent, InterviewState } from "./state.ts";
import { initialState, step as stepOnce } from "./step.ts";

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
const question: Turn = { role: "assistant", content: "Who?", questionId: "party", at };

function run(state: InterviewState, ...events: InterviewEvent[]) {
  const effects: Effect[] = [];
  for (const event of events) {
    const result = step(state, event);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects };
}

/** A session whose one question is answered and stored, waiting for the AI's answer. */
function waitingForTheAi(version: ProtocolVersion): InterviewState {
  const context = { userId: "u1", connectionId: "c1", template, version };
  return run(
    initialState(context),
    { type: "connected", restart: false, at },
    {
      type: "session_opened",
      session: {
        sessionId: "s1",
        history: [question],
        turnCount: 1,
        created: false,
        generation: 1n,
      },
      at,
    },
    { type: "frame", frame: { type: "user_message", content: "Acme" }, at },
    { type: "turns_stored", turnCount: 2, at },
  ).state;
}

const complete = (content: string, title = "NDA"): InterviewEvent => ({
  type: "question_answered",
  result: { status: "complete", document: { title, content, format: "markdown" }, source: "ai" },
  at,
});
const kinds = (effects: Effect[]) => effects.map((effect) => effect.kind);
const errors = (effects: Effect[]) =>
  effects.flatMap((effect) =>
    effect.kind === "send" && effect.message.type === "error" ? [effect.message] : []
  );

for (const version of ["v1", "v2"] as const) {
  Deno.test(`${version}: a document one character over the maximum is refused, nothing stored`, () => {
    const waiting = waitingForTheAi(version);
    assert.equal(waiting.phase.name, "waiting_for_ai");
    const { state, effects } = step(waiting, complete("x".repeat(LIMITS.maxDocumentChars + 1)));
    assert.deepEqual(kinds(effects), ["log", "send"], "no store, no close");
    assert.deepEqual(errors(effects), [{
      type: "error",
      code: "document_too_large",
      message: documentTooLargeMessage(
        { part: "content", characters: 200_001, max: 200_000 },
        version,
      ),
      retryable: false,
    }]);
    assert.equal(state.phase.name, "asking");
    assert.equal(state.history.length, 2, "the answers are kept");

    const retried = step(state, { type: "frame", frame: { type: "retry" }, at });
    assert.deepEqual(kinds(retried.effects), ["ask_ai"], "a retry asks for the document again");
  });

  Deno.test(`${version}: a document of exactly the maximum goes on to be stored`, () => {
    const { effects } = step(
      waitingForTheAi(version),
      complete("x".repeat(LIMITS.maxDocumentChars)),
    );
    assert.deepEqual(kinds(effects), [version === "v2" ? "store_review" : "complete_session"]);
  });
}

Deno.test("a title over 500 characters is refused the same way", () => {
  const { effects } = step(waitingForTheAi("v1"), complete("Body", "t".repeat(501)));
  assert.match(errors(effects)[0]?.message ?? "", /^The document's title holds 501 characters/);
});

Deno.test("a document the database refuses as too large (CH414): document_too_large", () => {
  const waiting = waitingForTheAi("v1");
  const storing = step(waiting, {
    type: "question_answered",
    result: { status: "complete", documentId: crypto.randomUUID(), source: "ai" } as SourcedResult,
    at,
  }).state;
  assert.equal(storing.phase.name, "completing");
  const { state, effects } = step(storing, {
    type: "store_failed",
    failure: { kind: "refused", reason: "document_too_large", error: "CH414" },
    at,
  });
  assert.equal(errors(effects)[0]?.code, "document_too_large");
  assert.equal(state.phase.name, "unsynced");
});

Deno.test("the message says why, that the answers are kept, and what to do in each protocol", () => {
  const oversize = { part: "content", characters: 250_000, max: 200_000 } as const;
  assert.equal(
    documentTooLargeMessage(oversize, "v2"),
    "The document holds 250,000 characters; at most 200,000 fit, so it was not saved. Your " +
      'answers are kept: shorten a long answer with edit_answer, or send {"type":"retry"} to ' +
      "ask for the document again",
  );
  assert.equal(
    documentTooLargeMessage(undefined, "v1"),
    "The document is larger than the 200,000 characters a document may hold, so it was not " +
      'saved. Your answers are kept: send {"type":"retry"} to ask for the document again, or ' +
      "reconnect with restart=1 to start over with shorter answers",
  );
});
