import assert from "node:assert/strict";
import type { NextQuestionSource, TemplateRecord } from "../_shared/next_question_source.ts";
import type { ServerMessage } from "../_shared/protocol.ts";
import {
  type LoadedSession,
  type SessionStore,
  StoreUnavailableError,
} from "../_shared/session_store.ts";
import type { Turn } from "../_shared/turns.ts";
import { Interview } from "./interview.ts";

const template: TemplateRecord = {
  id: "t1",
  slug: "t",
  name: "T",
  description: "",
  questions: [{ id: "q1", text: "Question 1?", type: "short_text" }],
  body: "{{q1}}",
};

/** An in-memory store whose completion can commit and then lose its acknowledgement. */
function memoryStore() {
  const session: LoadedSession & { history: Turn[] } = {
    history: [],
    turnCount: 0,
    isComplete: false,
    ownedBy: "c1",
    documentId: null,
  };
  let loseCompletionAck = false;
  const store: SessionStore = {
    findTemplate: () => Promise.resolve(template),
    openSession: () => Promise.reject(new Error("not used")),
    loadSession: () => Promise.resolve({ ...session, history: [...session.history] }),
    appendTurns(_claims, _fence, turns) {
      session.history.push(...turns);
      session.turnCount += turns.length;
      return Promise.resolve(session.turnCount);
    },
    completeSession() {
      session.isComplete = true;
      session.documentId = "d1";
      if (!loseCompletionAck) return Promise.resolve("d1");
      return Promise.reject(new StoreUnavailableError("Database unavailable: CONNECTION_CLOSED"));
    },
    ping: () => Promise.resolve(),
  };
  return { store, loseCompletionAck: () => (loseCompletionAck = true) };
}

const questions: NextQuestionSource = {
  next({ history }) {
    const answered = history.some((turn) => turn.role === "user");
    return Promise.resolve(
      answered
        ? {
          status: "complete",
          document: { title: "T", content: "Alpha", format: "markdown" },
          source: "ai",
        }
        : { status: "in_progress", nextQuestion: { id: "q1", text: "Question 1?" }, source: "ai" },
    );
  },
};

Deno.test("a completion whose acknowledgement was lost is reported as complete on the resend", async () => {
  const { store, loseCompletionAck } = memoryStore();
  const sent: ServerMessage[] = [];
  const closes: [number, string][] = [];
  const interview = new Interview(
    {
      store,
      questions,
      now: () => new Date("2026-01-01T00:00:00Z"),
      send: (message) => sent.push(message),
      close: (code, reason) => closes.push([code, reason]),
      log: { debug() {}, info() {}, warn() {}, error() {} },
    },
    { claims: {}, userId: "u1", connectionId: "c1", template },
  );
  await interview.start({
    sessionId: "s1",
    history: [],
    turnCount: 0,
    created: true,
    generation: 1n,
  });
  assert.equal(sent.at(-1)?.type, "next_question");

  loseCompletionAck(); // the completion commits, then the connection drops before the reply
  const answer = { type: "user_message", content: "Alpha", clientMessageId: "a" } as const;
  await interview.handle(answer);
  assert.deepEqual(sent.at(-1), {
    type: "error",
    code: "storage_unavailable",
    message: "Your answer could not be saved right now; send it again",
    retryable: true,
  });

  await interview.handle(answer); // the client resends, as told
  assert.deepEqual(sent.at(-1), { type: "session_complete", sessionId: "s1", documentId: "d1" });
  assert.deepEqual(closes, [[1000, "interview complete"]]);
});
