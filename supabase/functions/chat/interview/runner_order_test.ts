// The runner's order of effects, with no database and no socket: every port is an in-memory
// recorder, so the test reads as the sequence of calls one connection makes. What it proves is
// the rule `Step` types: a step's sync effects run first, then its one awaited effect, whose answer
// is the next event; nothing of the next step runs before that answer.
import assert from "node:assert/strict";
import type { Turn } from "../../_shared/wire/protocol.ts";
import type { NextQuestionRequest, SourcedResult } from "../ports/next_question_source.ts";
import { StoreUnavailableError } from "../ports/session_store.ts";
import { type InterviewPorts, InterviewRunner } from "./runner.ts";

const template = {
  id: "7d0f6c1e-3b2a-4c5d-8e9f-0a1b2c3d4e5f",
  slug: "nda",
  name: "NDA",
  description: "",
  questions: [],
  body: "",
  version: 1,
  hash: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};
const claims = { sub: "u1", role: "authenticated" };
const document = { title: "NDA", content: "Acme", format: "markdown" as const };

/** One connection's runner over in-memory ports; `calls` is every port call, in order. */
function recordedRunner(
  options: {
    history?: Turn[];
    version?: "v1" | "v2";
    /** The store calls that fail once, as the database being unreachable. */
    failOnce?: string[];
  } = {},
) {
  const calls: string[] = [];
  const history: Turn[] = [...(options.history ?? [])];
  const failing = new Set(options.failOnce ?? []);
  const record = (call: string) => {
    calls.push(call);
    if (failing.delete(call)) throw new StoreUnavailableError("Database unavailable: test");
  };
  const store: InterviewPorts["store"] = {
    loadSession() {
      record("store.loadSession");
      return Promise.resolve({
        templateId: template.id,
        history: [...history],
        turnCount: history.length,
        isComplete: false,
        ownedBy: "c1",
        documentId: null,
      });
    },
    appendTurns(_claims, fence, turns) {
      record(`store.appendTurns(${fence.expectedTurnCount}+${turns.length})`);
      history.push(...turns);
      return Promise.resolve(history.length);
    },
    completeSession(_claims, fence) {
      record(`store.completeSession(${fence.expectedTurnCount})`);
      return Promise.resolve("d1");
    },
    loadReview() {
      record("store.loadReview");
      return Promise.resolve(null);
    },
    storeReview(_claims, fence) {
      record(`store.storeReview(${fence.expectedTurnCount})`);
      return Promise.resolve();
    },
    confirmReview(_claims, fence) {
      record(`store.confirmReview(${fence.expectedTurnCount})`);
      return Promise.resolve("d1");
    },
  };
  const next = (request: NextQuestionRequest): Promise<SourcedResult> => {
    calls.push(`questions.next(${request.history.length})`);
    const answered = request.history.some((turn) => turn.role === "user");
    return Promise.resolve(
      answered
        ? { status: "complete", document, source: "ai" }
        : { status: "in_progress", nextQuestion: { id: "party", text: "Party?" }, source: "ai" },
    );
  };
  const runner = new InterviewRunner(
    { userId: "u1", connectionId: "c1", template, version: options.version ?? "v1" },
    {
      claims,
      store,
      openSession: (restart) => {
        calls.push(`openSession(${restart})`);
        return Promise.resolve({
          sessionId: "s1",
          history: [...history],
          turnCount: history.length,
          created: history.length === 0,
          generation: 1n,
        });
      },
      questions: { next },
      clock: { now: () => new Date("2026-12-01T10:00:00Z") },
      send: (message) => calls.push(`send(${message.type})`),
      close: (code) => calls.push(`close(${code})`),
      log: {
        debug: (event) => calls.push(`log(${event})`),
        info: (event) => calls.push(`log(${event})`),
        warn: (event) => calls.push(`log(${event})`),
        error: (event) => calls.push(`log(${event})`),
      },
    },
  );
  return { runner, calls };
}

const answer = { type: "user_message", content: "Acme", clientMessageId: "m1" } as const;

Deno.test("a new session: open, log, ask, store the question, then send it", async () => {
  const { runner, calls } = recordedRunner();
  await runner.start(false);
  assert.deepEqual(calls, [
    "openSession(false)",
    "log(session_created)",
    "questions.next(0)",
    "store.appendTurns(0+1)",
    "send(next_question)",
  ]);
  assert.equal(runner.sessionId, "s1");
  assert.equal(runner.active, true);
});

Deno.test("a resumed session sends its history before the AI is asked", async () => {
  const asked: Turn = {
    role: "assistant",
    content: "Party?",
    questionId: "party",
    at: "2026-12-01T09:00:00Z",
  };
  const answered: Turn = { role: "user", content: "Acme", questionId: "party", at: asked.at };
  const { runner, calls } = recordedRunner({ history: [asked, answered], version: "v2" });
  await runner.start(false);
  assert.deepEqual(calls.slice(0, 5), [
    "openSession(false)",
    "store.loadReview",
    "log(session_resumed)",
    "send(session_resumed)",
    "questions.next(2)",
  ]);
  assert.deepEqual(calls.slice(5), ["store.storeReview(2)", "send(review)"]);
});

Deno.test("an answer is stored, then the AI asked, then the document stored, then the close", async () => {
  const { runner, calls } = recordedRunner();
  await runner.start(false);
  calls.length = 0;
  await runner.handle(answer);
  assert.deepEqual(calls, [
    "store.appendTurns(1+1)",
    "questions.next(2)",
    "store.completeSession(2)",
    "log(session_completed)",
    "send(session_complete)",
    "close(1000)",
  ]);
  assert.equal(runner.active, false);
});

Deno.test("a write that failed is reloaded before the resend is handled", async () => {
  const { runner, calls } = recordedRunner({ failOnce: ["store.appendTurns(1+1)"] });
  await runner.start(false);
  calls.length = 0;
  await runner.handle(answer);
  assert.deepEqual(calls, [
    "store.appendTurns(1+1)",
    "log(store_unavailable)",
    "send(error)",
  ]);
  calls.length = 0;
  await runner.handle(answer);
  assert.deepEqual(calls.slice(0, 2), ["store.loadSession", "store.appendTurns(1+1)"]);
});

Deno.test("a ping while waiting for the client is answered with nothing stored", async () => {
  const { runner, calls } = recordedRunner();
  await runner.start(false);
  calls.length = 0;
  await runner.handle({ type: "ping", id: "p1" });
  assert.deepEqual(calls, ["send(pong)"]);
});
