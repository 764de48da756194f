// The interview's runner against the real Postgres store; only the network's fault is injected: a
// completion that commits, then loses its acknowledgement on the way back.
import assert from "node:assert/strict";
import { createUserDatabase } from "../../_shared/platform/user_database.ts";
import type { ServerMessage } from "../../_shared/wire/protocol.ts";
import { createPostgresSessionStore } from "../adapters/postgres_session_store.ts";
import type { NextQuestionSource } from "../ports/next_question_source.ts";
import {
  type Claims,
  type SessionStore,
  StoreUnavailableError,
  type TemplateRecord,
} from "../ports/session_store.ts";
import {
  adminSql,
  createTemplate,
  createUser,
  DB_URL,
} from "../../../../test_support/local_stack.ts";
import { type InterviewPorts, InterviewRunner } from "./runner.ts";

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

/** A v1 interview on `store`, its frames in `sent`; `ports.claims` is what every call carries. */
function interviewOn(
  store: SessionStore,
  open: { claims: Claims; templateId: string; template: TemplateRecord; userId: string },
) {
  const sent: ServerMessage[] = [];
  const closes: [number, string][] = [];
  const connectionId = crypto.randomUUID();
  // `claims` stays writable here, as the connection's own getter follows a refresh.
  const ports: Omit<InterviewPorts, "claims"> & { claims: Claims } = {
    claims: open.claims,
    store,
    openSession: (restart) =>
      store.openSession(open.claims, open.templateId, connectionId, restart),
    questions,
    clock: { now: () => new Date("2026-01-01T00:00:00Z") },
    send: (message) => sent.push(message),
    close: (code, reason) => closes.push([code, reason]),
    log: { debug() {}, info() {}, warn() {}, error() {} },
  };
  const interview = new InterviewRunner(
    { userId: open.userId, connectionId, template: open.template, version: "v1" },
    ports,
  );
  return { interview, ports, sent, closes };
}

Deno.test("a completion whose acknowledgement was lost is reported as complete on the resend", async () => {
  const admin = adminSql();
  const database = createUserDatabase(DB_URL, { max: 2, prepare: true, statementTimeoutMs: 5_000 });
  const sql = database.sql;
  try {
    const userId = await createUser(admin, "lost-ack");
    const templateId = await createTemplate(admin, 1);
    const claims = { sub: userId, role: "authenticated", aud: "authenticated" };
    const real = createPostgresSessionStore(database);
    const template = await real.findTemplate(claims, templateId);
    assert.ok(template);
    let loseCompletionAck = false;
    const store: SessionStore = {
      ...real,
      async completeSession(...args) {
        const documentId = await real.completeSession(...args); // really committed
        if (loseCompletionAck) {
          throw new StoreUnavailableError("Database unavailable: CONNECTION_CLOSED");
        }
        return documentId;
      },
    };
    const { interview, sent, closes } = interviewOn(store, {
      claims,
      templateId,
      template,
      userId,
    });
    await interview.start(false);
    assert.equal(sent.at(-1)?.type, "next_question");
    const sessionId = interview.sessionId;
    assert.ok(sessionId);

    loseCompletionAck = true; // the completion commits, then the connection drops before the reply
    const answer = { type: "user_message", content: "Alpha", clientMessageId: "a" } as const;
    await interview.handle(answer);
    assert.deepEqual(sent.at(-1), {
      type: "error",
      code: "storage_unavailable",
      message: "Your answer could not be saved right now; send it again",
      retryable: true,
    });

    await interview.handle(answer); // the client resends, as told
    const [document] = await admin`select id from generated_documents
      where session_id = ${sessionId}`;
    assert.deepEqual(sent.at(-1), {
      type: "session_complete",
      sessionId,
      documentId: document!.id,
    });
    assert.deepEqual(closes, [[1000, "interview complete"]]);
    const [session] = await admin`select turn_count, is_complete from chat_sessions
      where id = ${sessionId}`;
    assert.deepEqual({ ...session }, { turn_count: 2, is_complete: true }, "stored once");
  } finally {
    await sql.end();
    await admin.end();
  }
});

Deno.test("after a token refresh, every call carries the new token's claims", async () => {
  const admin = adminSql();
  const database = createUserDatabase(DB_URL, { max: 2, prepare: true, statementTimeoutMs: 5_000 });
  try {
    const userId = await createUser(admin, "refreshed-claims");
    const templateId = await createTemplate(admin, 1);
    const opened = {
      sub: userId,
      role: "authenticated",
      aud: "authenticated",
      session_id: "first",
    };
    const refreshed = { ...opened, session_id: "second" };
    const real = createPostgresSessionStore(database);
    const template = await real.findTemplate(opened, templateId);
    assert.ok(template);
    const seen: string[] = [];
    const store: SessionStore = {
      ...real,
      appendTurns(claims, ...rest) {
        seen.push(`append ${claims.session_id}`);
        return real.appendTurns(claims, ...rest);
      },
      completeSession(claims, ...rest) {
        seen.push(`complete ${claims.session_id}`);
        return real.completeSession(claims, ...rest);
      },
    };
    const { interview, ports, sent } = interviewOn(store, {
      claims: opened,
      templateId,
      template,
      userId,
    });
    await interview.start(false);
    ports.claims = refreshed; // as a refresh_token frame does
    await interview.handle({ type: "user_message", content: "Alpha", clientMessageId: "a" });
    assert.equal(sent.at(-1)?.type, "session_complete");
    assert.deepEqual(
      seen,
      ["append first", "append second", "complete second"],
      "the first question with the claims it opened with, the answer and the completion with the new",
    );
  } finally {
    await database.sql.end();
    await admin.end();
  }
});
