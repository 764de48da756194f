// The interview's every v1 and v2 path as data: events in, state and effects out. No database, no
// socket, no clock.
import assert from "node:assert/strict";
import { loadTemplates } from "../../../../scripts/seed/seeded_templates.ts";
import type { Turn } from "../../_shared/wire/protocol.ts";
import type { SourcedResult } from "../ports/next_question_source.ts";
import type { LoadedSession, OpenedSession, WriteRefusal } from "../ports/session_store.ts";
import type { Effect, InterviewEvent, InterviewState, StoreFailure } from "./state.ts";
import { initialState, step as stepOnce } from "./step.ts";
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
const later = "2026-12-01T10:00:05.000Z";
const template = {
  id: "7d0f6c1e-3b2a-4c5d-8e9f-0a1b2c3d4e5f",
  slug: "nda",
  name: "NDA",
  description: "",
  questions: [],
  body: "",
};
const context = { userId: "u1", connectionId: "c1", template, version: "v1" as const };
const sessionId = "s1";
const fields = { sessionId, userId: "u1", connectionId: "c1", templateId: template.id };
const asked = (id: string, text = `${id}?`): Turn => ({
  role: "assistant",
  content: text,
  questionId: id,
  at,
  source: "ai",
});
const answered = (id: string, content: string, clientMessageId?: string): Turn => ({
  role: "user",
  content,
  questionId: id,
  at,
  ...(clientMessageId ? { clientMessageId } : {}),
});
const fence = (expectedTurnCount: number) => ({
  sessionId,
  connectionId: "c1",
  expectedTurnCount,
});
const opened = (history: Turn[], created = false): OpenedSession => ({
  sessionId,
  history,
  turnCount: history.length,
  created,
  generation: 1n,
});
const inProgress = (id: string, text: string): SourcedResult => ({
  status: "in_progress",
  nextQuestion: { id, text },
  source: "ai",
});
const answer = (content: string, extra: Record<string, string> = {}) =>
  ({ type: "frame", frame: { type: "user_message", content, ...extra }, at: later }) as const;

/** Feeds events one after another; returns the last state and every effect, in order. */
function run(state: InterviewState, ...events: InterviewEvent[]) {
  const effects: Effect[] = [];
  for (const event of events) {
    const result = step(state, event);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects };
}

/** A session open on `history`, waiting for the client. */
function openOn(history: Turn[]): InterviewState {
  return run(initialState(context), { type: "connected", restart: false, at }, {
    type: "session_opened",
    session: opened(history),
    at,
  }).state;
}

const sends = (effects: Effect[]) =>
  effects.filter((effect) => effect.kind === "send").map((effect) => effect.message);
const withoutLogs = (effects: Effect[]) => effects.filter((effect) => effect.kind !== "log");
const logEvents = (effects: Effect[]) =>
  effects.flatMap((effect) => effect.kind === "log" ? [`${effect.level}:${effect.event}`] : []);

Deno.test("a new session opens and asks the first question", async (t) => {
  await t.step("connected asks the store to open the session", () => {
    const { state, effects } = step(initialState(context), {
      type: "connected",
      restart: true,
      at,
    });
    assert.deepEqual(effects, [{ kind: "open_session", restart: true }]);
    assert.deepEqual(state.phase, { name: "opening" });
  });

  await t.step("an empty new session asks the AI, stores the question, then sends it", () => {
    const connected = step(initialState(context), { type: "connected", restart: false, at });
    const open = step(connected.state, {
      type: "session_opened",
      session: opened([], true),
      at,
    });
    assert.deepEqual(open.effects, [
      { kind: "log", level: "info", event: "session_created", fields },
      {
        kind: "ask_ai",
        request: {
          sessionId,
          templateId: template.id,
          history: [],
          template,
          answers: {},
          protocol: "v1",
        },
      },
    ]);
    const question = step(open.state, {
      type: "question_answered",
      result: inProgress("party", "Who is the other party?"),
      at: later,
    });
    const turn = { ...asked("party", "Who is the other party?"), at: later };
    assert.deepEqual(question.effects, [{ kind: "append_turns", fence: fence(0), turns: [turn] }]);
    assert.equal(
      question.state.phase.name,
      "storing_question",
      "the write's outcome is unknown until it answers",
    );
    const stored = step(question.state, { type: "turns_stored", turnCount: 1, at: later });
    assert.deepEqual(stored.effects, [{
      kind: "send",
      message: {
        type: "next_question",
        sessionId,
        question: { id: "party", text: "Who is the other party?" },
      },
    }]);
    assert.deepEqual(stored.state.history, [turn]);
    assert.equal(stored.state.turnCount, 1);
    assert.notEqual(stored.state.phase.name, "unsynced");
    assert.ok(waitsForClient(stored.state.phase));
  });
});

Deno.test("a resumed session sends its history, then the pending question", async (t) => {
  await t.step("with a pending question: repeated from the history, no AI call", () => {
    const history = [asked("party"), answered("party", "Acme"), asked("email")];
    const { state, effects } = run(initialState(context), {
      type: "connected",
      restart: false,
      at,
    }, { type: "session_opened", session: opened(history), at });
    assert.deepEqual(effects, [
      { kind: "open_session", restart: false },
      { kind: "log", level: "info", event: "session_resumed", fields: { ...fields, turns: 3 } },
      { kind: "send", message: { type: "session_resumed", sessionId, history } },
      {
        kind: "send",
        message: { type: "next_question", sessionId, question: { id: "email", text: "email?" } },
      },
    ]);
    assert.ok(waitsForClient(state.phase));
  });

  await t.step("without a pending question: the history, then the AI is asked", () => {
    const history = [asked("party"), answered("party", "Acme")];
    const { effects } = run(initialState(context), { type: "connected", restart: false, at }, {
      type: "session_opened",
      session: opened(history),
      at,
    });
    assert.deepEqual(withoutLogs(effects).slice(1), [
      { kind: "send", message: { type: "session_resumed", sessionId, history } },
      {
        kind: "ask_ai",
        request: {
          sessionId,
          templateId: template.id,
          history,
          template,
          answers: { party: "Acme" },
          protocol: "v1",
        },
      },
    ]);
  });
});

Deno.test("an answer is stored before the AI is asked, and the next question is stored before it is sent", () => {
  const history = [asked("party")];
  const waiting = openOn(history);
  const stored = answered("party", "Acme", "m1");
  const first = step(waiting, answer("Acme", { clientMessageId: "m1", questionId: "party" }));
  assert.deepEqual(first.effects, [{
    kind: "append_turns",
    fence: fence(1),
    turns: [{ ...stored, at: later }],
  }]);
  const afterStore = step(first.state, { type: "turns_stored", turnCount: 2, at: later });
  assert.deepEqual(afterStore.effects, [{
    kind: "ask_ai",
    request: {
      sessionId,
      templateId: template.id,
      history: [...history, { ...stored, at: later }],
      template,
      answers: { party: "Acme" },
      protocol: "v1",
    },
  }]);
  const next = step(afterStore.state, {
    type: "question_answered",
    result: inProgress("email", "Email?"),
    at: later,
  });
  assert.deepEqual(next.effects, [{
    kind: "append_turns",
    fence: fence(2),
    turns: [{ ...asked("email", "Email?"), at: later }],
  }]);
});

Deno.test("a resend by clientMessageId stores nothing and is answered the same way", () => {
  const history = [asked("party"), answered("party", "Acme", "m1"), asked("email")];
  const { state, effects } = step(openOn(history), answer("Acme", { clientMessageId: "m1" }));
  assert.deepEqual(effects, [
    { kind: "log", level: "debug", event: "answer_resent", fields },
    {
      kind: "send",
      message: { type: "next_question", sessionId, question: { id: "email", text: "email?" } },
    },
  ]);
  assert.equal(state.history.length, 3);
});

Deno.test("an answer to a question that is no longer pending is refused, not stored", () => {
  const { state, effects } = step(
    openOn([asked("party"), answered("party", "Acme"), asked("email")]),
    answer("Acme again", { questionId: "party" }),
  );
  assert.deepEqual(effects, [{
    kind: "send",
    message: {
      type: "error",
      code: "stale_question",
      message: 'Question "party" is no longer pending; "email" is',
      retryable: false,
    },
  }]);
  assert.ok(waitsForClient(state.phase));
});

Deno.test("an answer with no pending question is refused and retry asks the AI", () => {
  const waiting: InterviewState = {
    ...openOn([asked("party"), answered("party", "Acme")]),
    phase: { name: "asking" },
  };
  const refused = step(waiting, answer("Hello"));
  assert.deepEqual(sends(refused.effects), [{
    type: "error",
    code: "no_pending_question",
    message: 'No question is waiting for an answer; send {"type":"retry"} to ask for it',
    retryable: true,
  }]);
  const retried = step(refused.state, { type: "frame", frame: { type: "retry" }, at: later });
  assert.equal(retried.effects[0]?.kind, "ask_ai");
});

Deno.test("retry repeats a pending question and ping is answered with pong", () => {
  const waiting = openOn([asked("party")]);
  assert.deepEqual(step(waiting, { type: "frame", frame: { type: "retry" }, at }).effects, [{
    kind: "send",
    message: { type: "next_question", sessionId, question: { id: "party", text: "party?" } },
  }]);
  assert.deepEqual(
    step(waiting, { type: "frame", frame: { type: "ping", id: "p1" }, at }).effects,
    [
      { kind: "send", message: { type: "pong", id: "p1" } },
    ],
  );
  assert.deepEqual(step(waiting, { type: "frame", frame: { type: "ping" }, at }).effects, [
    { kind: "send", message: { type: "pong" } },
  ]);
});

Deno.test("the AI unavailable or rejecting keeps the answers and the connection", async (t) => {
  const asking = step(openOn([asked("party")]), answer("Acme")).state;
  const waitingForAi = step(asking, { type: "turns_stored", turnCount: 2, at }).state;

  await t.step("unavailable: a retryable error", () => {
    const { state, effects } = step(waitingForAi, {
      type: "ai_failed",
      failure: { kind: "unavailable", status: 503, error: "AiUnavailableError: 503" },
      at,
    });
    assert.deepEqual(effects, [
      {
        kind: "log",
        level: "warn",
        event: "ai_error",
        fields: { ...fields, status: 503, error: "AiUnavailableError: 503" },
      },
      {
        kind: "send",
        message: {
          type: "error",
          code: "ai_unavailable",
          message:
            'The question service is unavailable; your answers are saved. Send {"type":"retry"}',
          retryable: true,
        },
      },
    ]);
    assert.notEqual(state.phase.name, "closed");
    assert.ok(waitsForClient(state.phase));
    assert.equal(state.history.length, 2, "the answer stays stored");
  });

  await t.step("rejected (4xx): not retryable, still open", () => {
    const { state, effects } = step(waitingForAi, {
      type: "ai_failed",
      failure: { kind: "rejected", status: 401, error: "AiRejectedError: 401" },
      at,
    });
    assert.deepEqual(sends(effects), [{
      type: "error",
      code: "ai_rejected",
      message: "The question service refused the request; your answers are saved",
      retryable: false,
    }]);
    assert.notEqual(state.phase.name, "closed");
  });
});

Deno.test("a question from the built-in fallback records its source", () => {
  const history = [asked("party")];
  const waitingForAi = run(openOn(history), answer("Acme"), {
    type: "turns_stored",
    turnCount: 2,
    at,
  }).state;
  const { effects } = step(waitingForAi, {
    type: "question_answered",
    result: { ...inProgress("email", "Email?"), source: "builtin" },
    at,
  });
  const append = effects[0];
  assert.equal(append?.kind, "append_turns");
  assert.equal(append?.kind === "append_turns" && append.turns[0]?.source, "builtin");
});

Deno.test("completion stores the document, sends session_complete and closes with 1000", async (t) => {
  const waitingForAi = run(openOn([asked("party")]), answer("Acme"), {
    type: "turns_stored",
    turnCount: 2,
    at,
  }).state;
  const finish = (result: SourcedResult) => {
    const completing = step(waitingForAi, { type: "question_answered", result, at });
    const done = step(completing.state, { type: "session_completed", documentId: "d1", at });
    return { completing, done };
  };

  await t.step("by document", () => {
    const document = { title: "NDA", content: "# NDA", format: "markdown" as const };
    const { completing, done } = finish({ status: "complete", document, source: "ai" });
    assert.deepEqual(completing.effects, [{
      kind: "complete_session",
      fence: fence(2),
      result: { document },
    }]);
    assert.deepEqual(done.effects, [
      {
        kind: "log",
        level: "info",
        event: "session_completed",
        fields: { ...fields, documentId: "d1" },
      },
      { kind: "send", message: { type: "session_complete", sessionId, documentId: "d1" } },
      { kind: "close", code: 1000, reason: "interview complete" },
    ]);
    assert.equal(done.state.phase.name, "closed");
  });

  await t.step("by documentId", () => {
    const { completing } = finish({ status: "complete", documentId: "d9", source: "ai" });
    assert.deepEqual(completing.effects, [{
      kind: "complete_session",
      fence: fence(2),
      result: { documentId: "d9" },
    }]);
  });

  await t.step("a closed interview does nothing more", () => {
    const { done } = finish({ status: "complete", documentId: "d9", source: "ai" });
    assert.deepEqual(step(done.state, answer("more")).effects, []);
    assert.deepEqual(step(done.state, { type: "frame", frame: { type: "ping" }, at }).effects, []);
  });
});

Deno.test("a completion whose acknowledgement was lost is reported on the resend", () => {
  const completing = run(openOn([asked("party")]), answer("Acme", { clientMessageId: "m1" }), {
    type: "turns_stored",
    turnCount: 2,
    at,
  }, {
    type: "question_answered",
    result: { status: "complete", documentId: "d1", source: "ai" },
    at,
  }).state;
  const lost = step(completing, {
    type: "store_failed",
    failure: {
      kind: "unavailable",
      message: "Database unavailable: CONNECTION_CLOSED",
      error: "x",
    },
    at,
  });
  assert.deepEqual(sends(lost.effects), [{
    type: "error",
    code: "storage_unavailable",
    message: "Your answer could not be saved right now; send it again",
    retryable: true,
  }]);
  assert.equal(lost.state.phase.name, "unsynced");

  const resend = step(lost.state, answer("Acme", { clientMessageId: "m1" }));
  assert.deepEqual(resend.effects, [{ kind: "load_session", sessionId }]);
  const loaded: LoadedSession = {
    templateId: template.id,
    history: [],
    turnCount: 2,
    isComplete: true,
    ownedBy: null,
    documentId: "d1",
  };
  const reported = step(resend.state, { type: "session_loaded", session: loaded, at });
  assert.deepEqual(reported.effects, [
    { kind: "send", message: { type: "session_complete", sessionId, documentId: "d1" } },
    { kind: "close", code: 1000, reason: "interview complete" },
  ]);
});

Deno.test("a stale state reloads before the next frame", async (t) => {
  const history = [asked("party")];
  const unavailable: StoreFailure = { kind: "unavailable", message: "down", error: "down" };
  const stale = run(openOn(history), answer("Acme", { clientMessageId: "m1" }), {
    type: "store_failed",
    failure: unavailable,
    at,
  }).state;
  const reloading = step(stale, answer("Acme", { clientMessageId: "m1" }));
  assert.deepEqual(reloading.effects, [{ kind: "load_session", sessionId }]);
  const own = (history: Turn[]): LoadedSession => ({
    templateId: template.id,
    history,
    turnCount: history.length,
    isComplete: false,
    ownedBy: "c1",
    documentId: null,
  });

  await t.step("the write had not landed: the answer is stored now", () => {
    const { state, effects } = step(reloading.state, {
      type: "session_loaded",
      session: own(history),
      at: later,
    });
    assert.deepEqual(effects, [{
      kind: "append_turns",
      fence: fence(1),
      turns: [{ ...answered("party", "Acme", "m1"), at: later }],
    }]);
    assert.equal(state.phase.name, "storing_answer");
  });

  await t.step("the write had landed: the resend is recognised, nothing stored twice", () => {
    const landed = [...history, answered("party", "Acme", "m1")];
    const { effects } = step(reloading.state, {
      type: "session_loaded",
      session: own(landed),
      at: later,
    });
    assert.deepEqual(withoutLogs(effects), [{
      kind: "ask_ai",
      request: {
        sessionId,
        templateId: template.id,
        history: landed,
        template,
        answers: { party: "Acme" },
        protocol: "v1",
      },
    }]);
  });

  await t.step("the reload itself fails: a retryable error, still stale", () => {
    const { state, effects } = step(reloading.state, {
      type: "store_failed",
      failure: unavailable,
      at,
    });
    assert.equal(sends(effects)[0]?.type, "error");
    assert.equal(state.phase.name, "unsynced");
  });

  await t.step("another connection owns the session now: superseded", () => {
    const { state, effects } = step(reloading.state, {
      type: "session_loaded",
      session: { ...own(history), ownedBy: "c2" },
      at,
    });
    assert.deepEqual(effects, [{
      kind: "close",
      code: 4509,
      reason: "superseded by a newer connection",
    }]);
    assert.equal(state.phase.name, "closed");
  });

  await t.step("the session is gone: superseded", () => {
    const { effects } = step(reloading.state, { type: "session_loaded", session: null, at });
    assert.deepEqual(withoutLogs(effects), [{
      kind: "close",
      code: 4509,
      reason: "superseded by a newer connection",
    }]);
  });
});

Deno.test("refused and failed writes", async (t) => {
  const writing = step(openOn([asked("party")]), answer("Acme")).state;
  const refused = (reason: WriteRefusal) =>
    step(writing, {
      type: "store_failed",
      failure: { kind: "refused", reason, error: `WriteRefusedError: ${reason}` },
      at,
    });

  await t.step("conflict: a retryable error, reload before the next frame", () => {
    const { state, effects } = refused("conflict");
    assert.deepEqual(sends(effects), [{
      type: "error",
      code: "conflict",
      message: "The session changed elsewhere; send the message again",
      retryable: true,
    }]);
    assert.equal(state.phase.name, "unsynced");
    assert.notEqual(state.phase.name, "closed");
  });

  await t.step("superseded or closed: 4509", () => {
    for (const reason of ["superseded", "closed"] as const) {
      assert.deepEqual(refused(reason).effects, [{
        kind: "close",
        code: 4509,
        reason: "superseded by a newer connection",
      }]);
    }
  });

  await t.step("the user is gone: 4500", () => {
    assert.deepEqual(refused("no_user").effects, [{
      kind: "close",
      code: 4500,
      reason: "unauthorized",
    }]);
  });

  await t.step("any other refusal: logged, 1011", () => {
    const { effects } = refused("not_found");
    assert.deepEqual(logEvents(effects), ["error:write_refused"]);
    assert.deepEqual(withoutLogs(effects), [{
      kind: "close",
      code: 1011,
      reason: "session unavailable",
    }]);
  });

  await t.step("storage unavailable: a retryable error, logged as a warning", () => {
    const { state, effects } = step(writing, {
      type: "store_failed",
      failure: { kind: "unavailable", message: "Database unavailable: 57P01", error: "x" },
      at,
    });
    assert.deepEqual(effects[0], {
      kind: "log",
      level: "warn",
      event: "store_unavailable",
      fields: { ...fields, error: "Database unavailable: 57P01" },
    });
    assert.equal(sends(effects)[0]?.type, "error");
    assert.equal(state.phase.name, "unsynced");
  });

  await t.step("an unexpected error: logged, 1011", () => {
    const { state, effects } = step(writing, {
      type: "store_failed",
      failure: { kind: "failed", error: "TypeError: boom" },
      at,
    });
    assert.deepEqual(logEvents(effects), ["error:interview_failed"]);
    assert.deepEqual(withoutLogs(effects), [{
      kind: "close",
      code: 1011,
      reason: "internal error",
    }]);
    assert.equal(state.phase.name, "closed");
  });
});

Deno.test("opening the session fails or is superseded", async (t) => {
  const opening = step(initialState(context), { type: "connected", restart: false, at }).state;
  const failOpen = (failure: StoreFailure) =>
    step(opening, { type: "store_failed", failure, at }).effects;
  const openFields = { userId: "u1", connectionId: "c1", templateId: template.id };

  await t.step("a newer connection of the user came first: 4509, nothing logged", () => {
    const { state, effects } = step(opening, { type: "session_opened", session: null, at });
    assert.deepEqual(effects, [{
      kind: "close",
      code: 4509,
      reason: "superseded by a newer connection",
    }]);
    assert.equal(state.sessionId, null, "no session was opened");
  });

  await t.step("refused as superseded: 4509", () => {
    const effects = failOpen({ kind: "refused", reason: "superseded", error: "e" });
    assert.deepEqual(effects, [
      {
        kind: "log",
        level: "error",
        event: "session_open_failed",
        fields: { ...openFields, error: "e" },
      },
      { kind: "close", code: 4509, reason: "superseded by a newer connection" },
    ]);
  });

  await t.step("no such user: 4500", () => {
    const effects = failOpen({ kind: "refused", reason: "no_user", error: "e" });
    assert.deepEqual(withoutLogs(effects), [{ kind: "close", code: 4500, reason: "unauthorized" }]);
  });

  await t.step("the database is unavailable: 1011", () => {
    const effects = failOpen({ kind: "unavailable", message: "down", error: "e" });
    assert.deepEqual(withoutLogs(effects), [{
      kind: "close",
      code: 1011,
      reason: "internal error",
    }]);
  });
});

Deno.test("step never changes the state it is given", () => {
  const waiting = openOn([asked("party")]);
  const copy = structuredClone(waiting);
  step(waiting, answer("Acme"));
  assert.deepEqual(waiting, copy);
});

Deno.test("a frame while an effect is in flight is a caller's bug", () => {
  const writing = step(openOn([asked("party")]), answer("Acme")).state;
  assert.throws(() => step(writing, answer("again")), /cannot take "frame" while storing_answer/);
});

// v2: edits, the review and confirm, structured questions.
const v2 = { ...context, version: "v2" as const };
const preview = { title: "NDA", content: "# NDA\n\nAcme", format: "markdown" as const };

/** A v2 session open on `history` (in review when `review` is given), waiting for the client. */
function openV2(history: Turn[], review: { turnCount: number } | null = null) {
  return run(initialState(v2), { type: "connected", restart: false, at }, {
    type: "session_opened",
    session: opened(history),
    review: review ? { document: preview, turnCount: review.turnCount } : null,
    at,
  });
}
const edit = (questionId: string, content: string, clientMessageId?: string) =>
  ({
    type: "frame",
    frame: {
      type: "edit_answer",
      questionId,
      content,
      ...(clientMessageId ? { clientMessageId } : {}),
    },
    at: later,
  }) as const;
const confirm = { type: "frame", frame: { type: "confirm" }, at: later } as const;
const editTurn = (id: string, content: string, clientMessageId?: string): Turn => ({
  ...answered(id, content, clientMessageId),
  at: later,
  edit: true,
});

Deno.test("v2: an edit is stored as a user turn with edit: true, then the AI says what is next", () => {
  const history = [asked("party"), answered("party", "Acme"), asked("email")];
  const editing = step(openV2(history).state, edit("party", "Globex", "e1"));
  assert.deepEqual(editing.effects, [{
    kind: "append_turns",
    fence: fence(3),
    turns: [editTurn("party", "Globex", "e1")],
  }]);
  const stored = step(editing.state, { type: "turns_stored", turnCount: 4, at: later });
  assert.deepEqual(stored.effects, [{
    kind: "ask_ai",
    request: {
      sessionId,
      templateId: template.id,
      history: [...history, editTurn("party", "Globex", "e1")],
      template,
      answers: { party: "Globex" },
      protocol: "v2",
    },
  }]);
});

Deno.test("v2: an edit of a question never asked is unknown_question, nothing stored", () => {
  const { state, effects } = step(openV2([asked("party")]).state, edit("salary", "1"));
  assert.deepEqual(effects, [{
    kind: "send",
    message: {
      type: "error",
      code: "unknown_question",
      message: 'Question "salary" was never asked in this interview',
      retryable: false,
    },
  }]);
  assert.ok(waitsForClient(state.phase));
  assert.notEqual(state.phase.name, "unsynced");
});

Deno.test("v2: a resent edit (same clientMessageId) stores nothing and is answered the same way", () => {
  const history = [asked("party"), answered("party", "Acme"), editTurn("party", "Globex", "e1")];
  const inReview = openV2(history, { turnCount: 3 }).state;
  const { effects } = step(inReview, edit("party", "Globex", "e1"));
  assert.deepEqual(withoutLogs(effects), [{
    kind: "send",
    message: {
      type: "review",
      sessionId,
      answers: [answerOf("party", "Globex")],
      document: preview,
      generation: "1",
    },
  }]);
});

function answerOf(questionId: string, answer: string) {
  return { questionId, question: `${questionId}?`, answer };
}

Deno.test("v2: a complete answer stores the review, then sends it; nothing is generated", () => {
  const history = [asked("party"), answered("party", "Acme")];
  const waitingForAi = openV2(history).state;
  const reviewing = step(waitingForAi, {
    type: "question_answered",
    result: { status: "complete", document: preview, source: "ai" },
    at,
  });
  assert.deepEqual(reviewing.effects, [{
    kind: "store_review",
    fence: fence(2),
    document: preview,
  }]);
  const stored = step(reviewing.state, { type: "review_stored", at });
  assert.deepEqual(stored.effects, [{
    kind: "send",
    message: {
      type: "review",
      sessionId,
      answers: [answerOf("party", "Acme")],
      document: preview,
      generation: "1",
    },
  }]);
  assert.deepEqual(stored.state.phase, { name: "in_review", document: preview });
  assert.notEqual(stored.state.phase.name, "closed", "the review waits for confirm");
});

Deno.test("v2: confirm in review stores the preview and completes", () => {
  const history = [asked("party"), answered("party", "Acme")];
  const confirming = step(openV2(history, { turnCount: 2 }).state, confirm);
  assert.deepEqual(confirming.effects, [{ kind: "confirm_review", fence: fence(2) }]);
  const done = step(confirming.state, { type: "session_completed", documentId: "d1", at });
  assert.deepEqual(withoutLogs(done.effects), [
    { kind: "send", message: { type: "session_complete", sessionId, documentId: "d1" } },
    { kind: "close", code: 1000, reason: "interview complete" },
  ]);
});

Deno.test("v2: confirm outside review is not_in_review, nothing stored", async (t) => {
  const notInReview = {
    type: "error",
    code: "not_in_review",
    message: "There is nothing to confirm yet: the interview is not in review",
    retryable: false,
  };
  await t.step("while a question is pending", () => {
    const { state, effects } = step(openV2([asked("party")]).state, confirm);
    assert.deepEqual(sends(effects), [notInReview]);
    assert.ok(waitsForClient(state.phase));
  });

  await t.step("after an edit since the review (the preview no longer stands)", () => {
    const history = [
      asked("party"),
      answered("party", "Acme"),
      editTurn("party", "Globex"),
      asked("email"),
    ];
    const { effects } = step(openV2(history, { turnCount: 2 }).state, confirm);
    assert.deepEqual(sends(effects), [notInReview]);
  });

  await t.step("the database says so (the review changed elsewhere): reload next", () => {
    const confirming = step(
      openV2([asked("p"), answered("p", "A")], { turnCount: 2 }).state,
      confirm,
    );
    const { state, effects } = step(confirming.state, {
      type: "store_failed",
      failure: { kind: "refused", reason: "not_in_review", error: "CH428" },
      at,
    });
    assert.deepEqual(sends(effects), [notInReview]);
    assert.equal(state.phase.name, "unsynced");
  });
});

Deno.test("v2: an answer in review is refused; the pending question is the user's to edit", () => {
  const history = [asked("party"), answered("party", "Acme")];
  const { effects } = step(openV2(history, { turnCount: 2 }).state, answer("Globex"));
  assert.deepEqual(sends(effects), [{
    type: "error",
    code: "no_pending_question",
    message: "Every question is answered: confirm the document, or edit an answer",
    retryable: false,
  }]);
});

Deno.test("v2: a session resumed in review gets session_resumed with answers, then the same review", () => {
  const history = [asked("party"), answered("party", "Acme"), editTurn("party", "Globex")];
  const { effects, state } = openV2(history, { turnCount: 3 });
  const answers = [answerOf("party", "Globex")];
  assert.deepEqual(withoutLogs(effects).slice(1), [
    {
      kind: "send",
      message: { type: "session_resumed", sessionId, history, answers, generation: "1" },
    },
    {
      kind: "send",
      message: { type: "review", sessionId, answers, document: preview, generation: "1" },
    },
  ]);
  assert.deepEqual(logEvents(effects), ["info:session_resumed"]);
  assert.ok(waitsForClient(state.phase), "no AI call: the stored review is sent");
});

Deno.test("v2 keeps a question's details, progress and problem; v1 strips them", async (t) => {
  const result: SourcedResult = {
    status: "in_progress",
    nextQuestion: {
      id: "law",
      text: "Which law?",
      type: "choice",
      options: ["Delaware", "New York"],
      required: true,
      problem: "Please choose one of the options",
    },
    progress: { answered: 1, total: 4 },
    source: "ai",
  };
  const ask = (state: InterviewState) => {
    const asking = step(state, { type: "question_answered", result, at: later });
    const stored = step(asking.state, { type: "turns_stored", turnCount: 3, at: later });
    return { asking, stored };
  };
  const history = [asked("party"), answered("party", "Acme")];

  await t.step("v2: stored in the question's turn and sent", () => {
    const { asking, stored } = ask(openV2(history).state);
    const append = asking.effects[0];
    assert.equal(append?.kind, "append_turns");
    assert.deepEqual(append?.kind === "append_turns" && append.turns, [{
      role: "assistant",
      content: "Which law?",
      questionId: "law",
      at: later,
      source: "ai",
      details: { type: "choice", options: ["Delaware", "New York"], required: true },
      progress: { answered: 1, total: 4 },
      problem: "Please choose one of the options",
    }]);
    assert.deepEqual(sends(stored.effects), [{
      type: "next_question",
      sessionId,
      question: {
        id: "law",
        text: "Which law?",
        type: "choice",
        options: ["Delaware", "New York"],
        required: true,
        maxLength: 5_000,
      },
      progress: { answered: 1, total: 4 },
      problem: "Please choose one of the options",
      generation: "1",
    }]);
  });

  await t.step("v1: the turn and the question are id and text only", () => {
    const { asking, stored } = ask(openOn(history));
    const append = asking.effects[0];
    assert.deepEqual(append?.kind === "append_turns" && append.turns, [{
      role: "assistant",
      content: "Which law?",
      questionId: "law",
      at: later,
      source: "ai",
    }]);
    assert.deepEqual(sends(stored.effects), [{
      type: "next_question",
      sessionId,
      question: { id: "law", text: "Which law?" },
    }]);
  });

  await t.step("v1: edit_answer and confirm never reach a v1 interview's review", () => {
    // The codec answers unknown_type on v1; were one to arrive, v1 has no review to confirm.
    const { effects } = step(openOn([asked("party")]), confirm);
    assert.deepEqual(sends(effects).map((m) => m.type === "error" && m.code), ["not_in_review"]);
  });

  await t.step("v1: a complete answer completes at once, with no review", () => {
    const waiting = openOn(history);
    const { effects } = step(waiting, {
      type: "question_answered",
      result: { status: "complete", document: preview, source: "ai" },
      at,
    });
    assert.deepEqual(effects, [{
      kind: "complete_session",
      fence: fence(2),
      result: { document: preview },
    }]);
  });
});

// The database's bounds on a session: the chat refuses first what the database would refuse,
// and a refusal that still reaches the store gets a specific error, never a close.
/** A history of `count` turns, questions and answers in turn, each answer `size` characters. */
function historyOf(count: number, size = 1): Turn[] {
  return Array.from(
    { length: count },
    (_, n) => n % 2 === 0 ? asked(`q${n / 2}`) : answered(`q${(n - 1) / 2}`, "a".repeat(size)),
  );
}
const SESSION_FULL = {
  type: "error",
  code: "session_full",
  message: "This interview is full: it holds at most 500 messages and 1,000,000 bytes, so this " +
    "answer was not saved. Your earlier answers are kept; reconnect with restart=1 to start over",
  retryable: false,
};

Deno.test("a full session refuses a further answer with session_full and stores nothing", async (t) => {
  await t.step("500 turns: an answer that leaves no room for its next question", () => {
    const { state, effects } = step(openOn(historyOf(499)), answer("Acme"));
    assert.deepEqual(effects, [{ kind: "send", message: SESSION_FULL }]);
    assert.ok(waitsForClient(state.phase));
    assert.notEqual(state.phase.name, "closed");
    const fits = step(openOn(historyOf(497)), answer("Acme")).effects;
    assert.equal(fits[0]?.kind, "append_turns", "two turns short of the cap it is stored");
  });

  await t.step("1,000,000 bytes: an answer to a history of large answers", () => {
    assert.deepEqual(step(openOn(historyOf(381, 5_000)), answer("Acme")).effects, [{
      kind: "send",
      message: SESSION_FULL,
    }]);
    const fits = step(openOn(historyOf(301, 5_000)), answer("Acme")).effects;
    assert.equal(fits[0]?.kind, "append_turns");
  });

  await t.step("v2: an edit of a full session", () => {
    const { effects } = step(openV2(historyOf(499)).state, edit("q0", "Globex"));
    assert.deepEqual(effects, [{ kind: "send", message: SESSION_FULL }]);
  });
});

Deno.test("what the database refuses to store gets a specific error, and the socket stays open", async (t) => {
  const refuse = (state: InterviewState, reason: WriteRefusal) =>
    step(state, {
      type: "store_failed",
      failure: { kind: "refused", reason, error: `WriteRefusedError: ${reason}` },
      at,
    });
  const errorOf = (effects: Effect[]) => {
    assert.deepEqual(logEvents(effects), ["warn:write_refused"]);
    const [message, ...rest] = sends(effects);
    assert.deepEqual(rest, []);
    assert.equal(effects.some((effect) => effect.kind === "close"), false, "no close");
    return message;
  };

  await t.step("an answer over the session's size: session_full, reload before the next", () => {
    const writing = step(openOn([asked("party")]), answer("Acme")).state;
    const { state, effects } = refuse(writing, "too_large");
    assert.deepEqual(errorOf(effects), SESSION_FULL);
    assert.equal(state.phase.name, "unsynced");
    assert.notEqual(state.phase.name, "closed");
  });

  await t.step("a malformed question from the AI: message_refused", () => {
    const storing = run(openOn([asked("party")]), answer("Acme"), {
      type: "turns_stored",
      turnCount: 2,
      at,
    }, { type: "question_answered", result: inProgress("email", "Email?"), at }).state;
    assert.equal(storing.phase.name, "storing_question");
    assert.deepEqual(errorOf(refuse(storing, "malformed").effects), {
      type: "error",
      code: "message_refused",
      message: "This step of the interview could not be saved because it is malformed. " +
        'Your answers so far are kept; send {"type":"retry"} to ask again',
      retryable: false,
    });
  });

  await t.step("a document the database refuses: document_refused, saying why", () => {
    const completing = run(openOn([asked("party")]), answer("Acme"), {
      type: "turns_stored",
      turnCount: 2,
      at,
    }, {
      type: "question_answered",
      result: { status: "complete", document: preview, source: "ai" },
      at,
    }).state;
    assert.equal(completing.phase.name, "completing");
    const why = {
      too_large: "the interview's history is full",
      unsupported_format: "it is not Markdown",
      no_answer: "no question has been answered yet",
      malformed: "it has no title or no content",
    } as const;
    for (const [reason, because] of Object.entries(why)) {
      const { state, effects } = refuse(completing, reason as WriteRefusal);
      assert.deepEqual(errorOf(effects), {
        type: "error",
        code: "document_refused",
        message: `The finished document could not be saved: ${because}. Your answers are kept`,
        retryable: false,
      }, reason);
      assert.equal(state.phase.name, "unsynced");
    }
  });

  await t.step("v2: a review the database refuses: document_refused", () => {
    const reviewing = run(openV2([asked("party")]).state, answer("Acme"), {
      type: "turns_stored",
      turnCount: 2,
      at,
    }, {
      type: "question_answered",
      result: { status: "complete", document: preview, source: "ai" },
      at,
    }).state;
    assert.equal(reviewing.phase.name, "storing_review");
    assert.deepEqual(errorOf(refuse(reviewing, "unsupported_format").effects), {
      type: "error",
      code: "document_refused",
      message:
        "The finished document could not be saved: it is not Markdown. Your answers are kept",
      retryable: false,
    });
  });
});

Deno.test("v2: an edit of a question that no longer applies is refused, nothing stored", async () => {
  const nda = (await loadTemplates()).find((t) => t.slug === "mutual-nda")!;
  const record = {
    id: nda.id,
    slug: nda.slug,
    name: nda.name,
    description: nda.description ?? "",
    questions: nda.questions,
    body: nda.body,
  };
  const ndaContext = { ...v2, template: record };
  const history = [
    asked("include_non_solicit"),
    answered("include_non_solicit", "yes"),
    asked("non_solicit_months"),
    answered("non_solicit_months", "6"),
    asked("additional_terms"),
    answered("include_non_solicit", "no"),
    asked("additional_terms"),
  ];
  const waiting = run(initialState(ndaContext), { type: "connected", restart: false, at }, {
    type: "session_opened",
    session: opened(history),
    at,
  }).state;
  const refused = step(waiting, edit("non_solicit_months", "12"));
  assert.deepEqual(refused.effects, [{
    kind: "send",
    message: {
      type: "error",
      code: "question_not_applicable",
      message: 'Question "non_solicit_months" does not apply given your other answers; ' +
        "change the answer it depends on first",
      retryable: false,
    },
  }]);
  assert.notEqual(refused.state.phase.name, "unsynced", "nothing was written");
  const gate = step(waiting, edit("include_non_solicit", "yes"));
  assert.equal(gate.effects[0]?.kind, "append_turns", "the question it depends on can change");
});
