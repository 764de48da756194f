// The Postgres SessionStore against the local database, with prepared statements (the direct
// connection) and without (the transaction pooler's way): each call is one query message on the
// shared pool (never an explicit transaction, see createUserDatabase), and many callers pipelined
// onto a tiny pool keep every acknowledged write.
import assert from "node:assert/strict";
import { createUserDatabase } from "../../_shared/platform/user_database.ts";
import {
  adminSql,
  createTemplate,
  createUser,
  DB_URL,
} from "../../../../test_support/local_stack.ts";
import { createPostgresSessionStore } from "./postgres_session_store.ts";
import { jsonbTextBytes } from "../interview/session_limits.ts";
import type { Turn } from "../../_shared/wire/protocol.ts";

const claimsOf = (userId: string) => ({ sub: userId, role: "authenticated", aud: "authenticated" });
const turn = (role: Turn["role"], n: number): Turn => ({
  role,
  content: `${role} ${n}`,
  questionId: `q${n}`,
  at: new Date().toISOString(),
});
const TRANSACTION_CONTROL = /^\s*(begin|start\s+transaction|commit|end|rollback|savepoint)\b/i;

const MODES = [true, false] as const;
const modeName = (prepare: boolean) => prepare ? "prepared" : "simple";
const userDatabase = (prepare: boolean, max: number, onQuery?: (query: string) => void) =>
  createUserDatabase(DB_URL, { max, prepare, statementTimeoutMs: 5_000, onQuery });

for (const prepare of MODES) {
  Deno.test(`${modeName(prepare)}: every store call is one query on the pool, never a transaction`, async () => {
    const admin = adminSql();
    const sent: string[] = [];
    const database = userDatabase(prepare, 1, (query) => sent.push(query));
    const sql = database.sql;
    try {
      const userId = await createUser(admin, "one-statement");
      const templateId = await createTemplate(admin, 1);
      const store = createPostgresSessionStore(database);
      const claims = claimsOf(userId);
      await sql`select 1`; // the connection's own set-up (postgres.js reads the array types first)
      sent.length = 0;
      const statementsOf = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
        const before = sent.length;
        const result = await run();
        return [result, sent.length - before];
      };
      const connectionId = crypto.randomUUID();

      const [template, a] = await statementsOf(() => store.findTemplate(claims, templateId));
      assert.equal(template?.id, templateId);
      const [opened, b] = await statementsOf(() =>
        store.openSession(claims, templateId, connectionId, false)
      );
      assert.equal(opened.created, true);
      const fence = { sessionId: opened.sessionId, connectionId, expectedTurnCount: 0 };
      const [count, c] = await statementsOf(() =>
        store.appendTurns(claims, fence, [turn("assistant", 1)])
      );
      assert.equal(count, 1);
      const [loaded, d] = await statementsOf(() => store.loadSession(claims, opened.sessionId));
      assert.equal(loaded?.turnCount, 1);
      assert.equal(loaded?.templateId, templateId);
      const [, f] = await statementsOf(() =>
        store.appendTurns(claims, { ...fence, expectedTurnCount: 1 }, [turn("user", 1)])
      );
      const [documentId, e] = await statementsOf(() =>
        store.completeSession(claims, { ...fence, expectedTurnCount: 2 }, {
          document: { title: "T", content: "C", format: "markdown" },
        })
      );
      const [done] = await statementsOf(() => store.loadSession(claims, opened.sessionId));
      assert.equal(done?.documentId, documentId);

      assert.deepEqual([a, b, c, d, e, f], [1, 1, 1, 1, 1, 1], "one query message per call");
      assert.deepEqual(sent.filter((query) => TRANSACTION_CONTROL.test(query)), []);
    } finally {
      await sql.end();
      await admin.end();
    }
  });

  Deno.test(`${modeName(prepare)}: callers pipelined onto a pool of two keep every acknowledged write`, async () => {
    const admin = adminSql();
    const database = userDatabase(prepare, 2);
    const sql = database.sql;
    try {
      const templateId = await createTemplate(admin, 1);
      const store = createPostgresSessionStore(database);
      const users = await Promise.all(
        Array.from({ length: 40 }, () => createUser(admin, "pipelined")),
      );
      const acknowledged = await Promise.all(users.map(async (userId) => {
        const claims = claimsOf(userId);
        const connectionId = crypto.randomUUID();
        const opened = await store.openSession(claims, templateId, connectionId, false);
        let turnCount = opened.turnCount;
        for (let n = 1; n <= 6; n++) {
          assert.ok(await store.findTemplate(claims, templateId));
          turnCount = await store.appendTurns(
            claims,
            { sessionId: opened.sessionId, connectionId, expectedTurnCount: turnCount },
            [turn(n % 2 ? "assistant" : "user", n)],
          );
          assert.equal((await store.loadSession(claims, opened.sessionId))?.turnCount, turnCount);
        }
        return { sessionId: opened.sessionId, turnCount };
      }));
      const stored = await admin`
      select id, turn_count from public.chat_sessions
      where id = any(${acknowledged.map((a) => a.sessionId)}::uuid[])`;
      const byId = new Map(stored.map((row) => [row.id as string, row.turn_count as number]));
      for (const { sessionId, turnCount } of acknowledged) {
        assert.equal(turnCount, 6);
        assert.equal(byId.get(sessionId), 6, `session ${sessionId} holds what was acknowledged`);
      }
    } finally {
      await sql.end();
      await admin.end();
    }
  });

  Deno.test(`${modeName(prepare)}: the database's refusals come back as named reasons`, async (t) => {
    const admin = adminSql();
    const database = userDatabase(prepare, 2);
    const sql = database.sql;
    try {
      const store = createPostgresSessionStore(database);
      const templateId = await createTemplate(admin, 1);
      const claims = claimsOf(await createUser(admin, "refusals"));
      const connectionId = crypto.randomUUID();
      const opened = await store.openSession(claims, templateId, connectionId, false);
      const fence = { sessionId: opened.sessionId, connectionId, expectedTurnCount: 1 };
      await store.appendTurns(claims, { ...fence, expectedTurnCount: 0 }, [turn("assistant", 1)]);
      const refusal = (reason: string) => ({ name: "WriteRefusedError", reason });

      await t.step(
        "CH409: a reconnect holding an older generation than a newer tab's",
        async () => {
          const newer = await store.openSession(claims, templateId, crypto.randomUUID(), false);
          await assert.rejects(
            store.openSession(claims, templateId, crypto.randomUUID(), false, {
              heldGeneration: opened.generation,
            }),
            refusal("superseded"),
          );
          assert.equal(await store.newerClaimExists(claims, opened.generation), true);
          assert.equal(await store.newerClaimExists(claims, newer.generation), false);
          // Give the session back to the connection the steps below write through.
          await store.openSession(claims, templateId, connectionId, false);
        },
      );

      await t.step(
        "a title stored with the turns, in the same call; a bad one refused",
        async () => {
          const count = (await store.loadSession(claims, opened.sessionId))!.turnCount;
          const at = { ...fence, expectedTurnCount: count };
          const stored = await store.appendTurns(claims, at, [turn("user", 2)], "NDA: Acme Ltd");
          assert.equal(stored, count + 1);
          const [row] = await admin`select title from chat_sessions where id = ${opened.sessionId}`;
          assert.equal(row!.title, "NDA: Acme Ltd");
          await assert.rejects(
            store.appendTurns(claims, { ...fence, expectedTurnCount: stored }, [
              turn("assistant", 3),
            ], "A\nB"),
            refusal("malformed"),
          );
          // Back to the turn count the steps below expect.
          const [reset] = await admin`
          update chat_sessions set history = history - (jsonb_array_length(history) - 1),
            turn_count = 1 where id = ${opened.sessionId} returning turn_count`;
          assert.equal(reset!.turn_count, 1);
        },
      );

      await t.step("CH413: a turn larger than the protocol allows", async () => {
        await assert.rejects(
          store.appendTurns(claims, fence, [{ ...turn("user", 1), content: "x".repeat(5_001) }]),
          refusal("too_large"),
        );
      });
      await t.step("22023: a turn whose at is not a time", async () => {
        await assert.rejects(
          store.appendTurns(claims, fence, [{ ...turn("user", 1), at: "not a time" }]),
          refusal("malformed"),
        );
      });
      await t.step("CH422: a completion without any answer", async () => {
        await assert.rejects(
          store.completeSession(claims, fence, {
            document: { title: "T", content: "C", format: "markdown" },
          }),
          refusal("no_answer"),
        );
      });
      // The document checks below need a session with an answer.
      await store.appendTurns(claims, fence, [turn("user", 1)]);
      const answeredFence = { ...fence, expectedTurnCount: 2 };
      await t.step("CH415: a document that is not Markdown", async () => {
        await assert.rejects(
          store.completeSession(claims, answeredFence, {
            document: { title: "T", content: "<p>C</p>", format: "html" },
          }),
          refusal("unsupported_format"),
        );
      });
      await t.step("CH414: a document over the maximum", async () => {
        await assert.rejects(
          store.completeSession(claims, answeredFence, {
            document: { title: "T", content: "c".repeat(200_001), format: "markdown" },
          }),
          refusal("document_too_large"),
        );
      });
      const [row] = await admin`select turn_count, is_complete from public.chat_sessions
      where id = ${opened.sessionId}`;
      assert.deepEqual(
        { ...row },
        { turn_count: 2, is_complete: false },
        "no refused write stored anything",
      );
    } finally {
      await sql.end();
      await admin.end();
    }
  });
}

Deno.test("the chat measures a history's size exactly as the database does", async () => {
  const admin = adminSql();
  try {
    const history: Turn[] = [
      { ...turn("assistant", 1), details: { type: "choice", options: ["A", "B"] } },
      { ...turn("user", 1), content: 'Quotes " and \\ back\nslash\t\u0001 \u00e9\u4e2d\u{1F600}' },
      { ...turn("assistant", 2), progress: { answered: 1, total: 12 }, problem: "Again, please" },
      { ...turn("user", 2), clientMessageId: "c-1", edit: true },
    ];
    const [row] = await admin`
      select octet_length(${JSON.stringify(history)}::text::jsonb::text) as bytes`;
    assert.equal(jsonbTextBytes(history), row!.bytes);
  } finally {
    await admin.end();
  }
});
