import assert from "node:assert/strict";
import {
  adminSql,
  createTemplate,
  withLeastPrivilegeRole,
} from "../../../../test_support/local_stack.ts";
import {
  createDatabase,
  createUserDatabase,
  isOrphanedPostgresConnectionError,
  isPostgresWriteRace,
  reconnectBackoff,
  type UserCall,
} from "./database.ts";
import { integer, text, uuid } from "./sql_argument.ts";

Deno.test("the pool reconnects within a second however long the database was away", () => {
  for (const failures of [0, 1, 5, 10, 50, 1_000]) {
    const seconds = reconnectBackoff(failures);
    assert.ok(seconds > 0 && seconds <= 1, `${failures} failures: ${seconds} s`);
  }
  assert.ok(reconnectBackoff(0) <= 0.05, "the first reconnect is almost immediate");
  const sql = createDatabase("postgresql://postgres:postgres@127.0.0.1:1/postgres");
  assert.equal(sql.options.backoff, reconnectBackoff, "the pool uses it");
  sql.end();
});

const RACE_STACK = "TypeError: Cannot read properties of null (reading 'write')\n" +
  "    at nextWrite (file:///root/.cache/deno/npm/registry.npmjs.org/postgres/3.4.9/src/connection.js:255:22)\n" +
  "    at Immediate.callback (ext:deno_node/internal/timers.mjs:4:3069)";

function raceError(
  message = "Cannot read properties of null (reading 'write')",
  stack = RACE_STACK,
) {
  const error = new TypeError(message);
  error.stack = stack;
  return error;
}

Deno.test("postgres.js's write race is recognised, and nothing else is", () => {
  assert.equal(isPostgresWriteRace(raceError()), true);
  assert.equal(isPostgresWriteRace(raceError("x is not a function")), false);
  assert.equal(
    isPostgresWriteRace(raceError(undefined, RACE_STACK.replace("postgres", "pg"))),
    false,
  );
  assert.equal(
    isPostgresWriteRace(new Error("Cannot read properties of null (reading 'write')")),
    false,
  );
  assert.equal(isPostgresWriteRace("nextWrite postgres"), false);
});

Deno.test("the guard keeps the process alive through the race, and only through it", async (t) => {
  const script = (thrown: string) => `
    import { setImmediate } from "node:timers";
    import { guardAgainstPostgresWriteRace } from "${new URL("./database.ts", import.meta.url)}";
    guardAgainstPostgresWriteRace((error) => console.log("caught", error.message));
    const error = ${thrown};
    setImmediate(() => { throw error; });
    setTimeout(() => console.log("alive"), 50);`;
  const run = async (thrown: string) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", script(thrown)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: output.code, stdout: new TextDecoder().decode(output.stdout) };
  };
  await t.step("the race is caught and reported", async () => {
    const race = `Object.assign(new TypeError("Cannot read properties of null (reading 'write')"),
      { stack: ${JSON.stringify(RACE_STACK)} })`;
    const { code, stdout } = await run(race);
    assert.equal(code, 0);
    assert.match(stdout, /caught Cannot read properties of null \(reading 'write'\)\nalive/);
  });
  await t.step("any other uncaught error still ends the process", async () => {
    const { code, stdout } = await run(`new TypeError("something else")`);
    assert.equal(code, 1);
    assert.doesNotMatch(stdout, /alive/);
  });
});

Deno.test("an orphaned connection error from postgres.js is recognised, and nothing else", () => {
  const orphan = (code: string, name = "PostgresError", where = "postgres/3.4.9/src") => {
    const error = Object.assign(
      new Error("server login has been failing, try again later (server_login_retry)"),
      { code },
    );
    error.name = name;
    error.stack = `${name}: ${error.message}\n    at ErrorResponse ` +
      `(file:///root/.cache/deno/npm/registry.npmjs.org/${where}/connection.js:815:30)`;
    return error;
  };
  assert.equal(isOrphanedPostgresConnectionError(orphan("08P01")), true);
  assert.equal(isOrphanedPostgresConnectionError(orphan("42501")), false, "not a connection error");
  assert.equal(
    isOrphanedPostgresConnectionError(orphan("08P01", "Error")),
    false,
    "not postgres.js's",
  );
  assert.equal(isOrphanedPostgresConnectionError(orphan("08P01", "PostgresError", "pg/8")), false);
  assert.equal(isOrphanedPostgresConnectionError("08P01"), false);
});

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
