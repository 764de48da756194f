import assert from "node:assert/strict";
import {
  adminSql,
  createTemplate,
  withLeastPrivilegeRole,
} from "../../../../test_support/local_stack.ts";
import { createDatabase } from "./database.ts";
import { createUserDatabase, type UserCall } from "./user_database.ts";
import { integer, text, uuid } from "./sql_argument.ts";

for (const prepare of [true, false]) {
  const mode = prepare ? "prepared" : "simple";
  Deno.test(`${mode}: a user call runs as authenticated, with the caller's claims and timeout`, async (t) => {
    const admin = adminSql();
    try {
      const templateId = await createTemplate(admin, 1);
      await withLeastPrivilegeRole(admin, async (url, role) => {
        // One connection, so what one call leaves behind would show in the next.
        const database = (statementTimeoutMs: number) =>
          createUserDatabase(url, { max: 1, prepare, statementTimeoutMs });
        const users = database(2_000);
        const claims = { sub: crypto.randomUUID(), role: "authenticated", aud: "authenticated" };
        const call = (fn: string, args: UserCall["args"], on = users) =>
          on.call({ claims, fn, args, returns: "value" });
        try {
          await t.step("the login role alone may not call chat_internal", async () => {
            const alone = createDatabase(url, { max: 1 });
            try {
              await assert.rejects(
                alone`select * from chat_internal.find_template(${templateId})`,
                {
                  code: "42501",
                  message: "permission denied for schema chat_internal",
                },
              );
            } finally {
              await alone.end();
            }
          });

          await t.step("a call runs as authenticated, and finds the template", async () => {
            const [setting] = await call("pg_catalog.current_setting", [text("role")]);
            assert.equal(setting!.result, "authenticated");
            const [seen] = await call("pg_catalog.current_setting", [text("request.jwt.claims")]);
            assert.deepEqual(JSON.parse(seen!.result), claims);
            const rows = await users.call({
              claims,
              fn: "chat_internal.find_template",
              args: [uuid(templateId)],
              returns: "rows",
            });
            assert.deepEqual(rows.map((row) => row.id), [templateId]);
            await users.ping();
          });

          await t.step("the statement timeout holds for the call", async () => {
            const short = database(100);
            try {
              const [timeout] = await call("pg_catalog.current_setting", [
                text("statement_timeout"),
              ], short);
              assert.equal(timeout!.result, "100ms");
              await assert.rejects(call("pg_catalog.pg_sleep", [integer(2)], short), {
                code: "57014",
              });
            } finally {
              await short.sql.end();
            }
          });

          await t.step("no claims outlive the call on its connection", async () => {
            const [after] = await users.sql`select current_user as role,
              coalesce(current_setting('request.jwt.claims', true), '') as claims,
              current_setting('statement_timeout') as timeout`;
            // A prepared pool's connections are authenticated from the start, with the pool's
            // timeout; the simple calls leave the login role as it was.
            assert.deepEqual(
              { ...after },
              prepare
                ? { role: "authenticated", claims: "", timeout: "2s" }
                : { role, claims: "", timeout: "0" },
            );
          });

          await t.step("only a schema-qualified function name is called", async () => {
            await assert.rejects(call("chat_internal.f(); drop table x; --", []), {
              name: "TypeError",
              message:
                'Cannot call "chat_internal.f(); drop table x; --": not a schema-qualified function name',
            });
          });
        } finally {
          await users.sql.end();
        }
      });
    } finally {
      await admin.end();
    }
  });
}

Deno.test("a prepared pool whose connections do not start as authenticated is unhealthy", async () => {
  // What a pooler that drops the startup parameter would leave: connections as the login role.
  const admin = adminSql();
  try {
    await withLeastPrivilegeRole(admin, async (url, role) => {
      const users = createUserDatabase(url, { max: 1, prepare: true, statementTimeoutMs: 1_000 });
      try {
        await users.sql`select set_config('role', 'none', false)`; // back to the login role
        await assert.rejects(users.ping(), {
          message: new RegExp(`^The database connections run as "${role}", not "authenticated"`),
        });
      } finally {
        await users.sql.end();
      }
    });
  } finally {
    await admin.end();
  }
});
