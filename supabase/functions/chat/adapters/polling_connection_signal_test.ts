// The supersede poll against the local database, through PgBouncer in transaction mode and on a
// direct pool whose connections start as authenticated: one simple query per poll, run as the
// login role, and the connection that lost its session is named.
import assert from "node:assert/strict";
import postgres from "postgres";
import {
  adminSql,
  closePoolerServerConnections,
  createTemplate,
  createUser,
  DB_URL,
  POOLER_URL,
} from "../../../../test_support/local_stack.ts";
import { createUserDatabase } from "../../_shared/platform/user_database.ts";
import { createLogger } from "../../_shared/platform/logger.ts";
import type { OwnedSession } from "../ports/connection_signal.ts";
import {
  createPollingConnectionSignal,
  supersededConnections,
} from "./polling_connection_signal.ts";
import { createPostgresSessionStore } from "./postgres_session_store.ts";

const claimsOf = (userId: string) => ({ sub: userId, role: "authenticated", aud: "authenticated" });
const quiet = createLogger({ write: () => {} });

for (
  const [where, url, prepare] of [["through the pooler", POOLER_URL, false], [
    "direct, prepared",
    DB_URL,
    true,
  ]] as const
) {
  Deno.test(`${where}: the poll names the connections whose sessions a newer connection took`, async (t) => {
    const admin = adminSql();
    const database = createUserDatabase(url, { max: 2, prepare, statementTimeoutMs: 5_000 });
    const sql = database.sql;
    const signal = createPollingConnectionSignal(sql, quiet, { intervalMs: 100 });
    try {
      const store = createPostgresSessionStore(database);
      const userId = await createUser(admin, "poll");
      const [t1, t2] = [await createTemplate(admin, 1), await createTemplate(admin, 1)];
      const claims = claimsOf(userId);
      const [old, fresh, other] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
      const first = await store.openSession(claims, t1, old, false);
      const second = await store.openSession(claims, t2, other, false);
      const owned: OwnedSession[] = [
        { sessionId: first.sessionId, connectionId: old },
        { sessionId: second.sessionId, connectionId: other },
      ];

      await t.step("nothing is superseded while each connection owns its session", async () => {
        assert.deepEqual(await supersededConnections(sql, owned), []);
        assert.deepEqual(await supersededConnections(sql, []), []);
      });

      await t.step("a newer claim of the session supersedes the old connection", async () => {
        await store.openSession(claims, t1, fresh, false);
        const heard = new Promise<string[]>((resolve) => {
          signal.subscribe(() => {}, { owned: () => owned, onSuperseded: resolve });
        });
        assert.deepEqual(await heard, [old]);
      });
    } finally {
      await signal.close();
      await sql.end();
      await admin.end();
      await closePoolerServerConnections();
    }
  });
}

Deno.test("an instance without open sessions sends nothing but the first poll", async () => {
  const sent: string[] = [];
  const sql = postgres(POOLER_URL, {
    max: 1,
    prepare: false,
    onnotice: () => {},
    debug: (_connection, query) => sent.push(query),
  });
  const signal = createPollingConnectionSignal(sql, quiet, { intervalMs: 50 });
  try {
    let asked = 0;
    await signal.subscribe(() => {}, {
      owned: () => {
        asked++;
        return [];
      },
      onSuperseded: () => assert.fail("nothing to supersede"),
    });
    const afterSubscribe = sent.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.ok(asked >= 3, `the watch was asked each interval (${asked} times)`);
    assert.equal(sent.length, afterSubscribe, "and no statement went out");
  } finally {
    await signal.close();
    await sql.end();
    await closePoolerServerConnections();
  }
});
