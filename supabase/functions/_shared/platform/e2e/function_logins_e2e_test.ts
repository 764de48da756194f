// No function logs in as a superuser: each of the four, started as the end-to-end tests start
// them (directly and through the local PgBouncer), holds its backends as its own login role, and
// that role is neither a superuser nor BYPASSRLS. And /health names the grant a login role lacks:
// a role without it gets 503 with the reason, the function's own role 200.
import assert from "node:assert/strict";
import type postgres from "postgres";
import {
  adminSql,
  chatEnv,
  type DatabaseRoute,
  DB_URL,
  FUNCTION_APPLICATION_NAMES,
  FUNCTION_NAMES,
  functionDatabaseEnv,
  type FunctionName,
  type FunctionProcess,
  functionRole,
  JWT_SECRET,
  startFunction,
  withLeastPrivilegeRole,
  withPoolerLogin,
} from "../../../../../test_support/local_stack.ts";
import { interviewerEnv } from "../../../../../test_support/interviewer.ts";

const SERVICE_ROLE_KEY = "function-logins-service-role-key";

/** The environment each function gets in the end-to-end tests, on `database`'s settings. */
function envOf(name: FunctionName, database: Record<string, string>): Record<string, string> {
  switch (name) {
    case "chat":
    case "documents":
      return { ...chatEnv("http://127.0.0.1:9", database), JWT_SECRET };
    case "cleanup":
      return {
        ...chatEnv("http://127.0.0.1:9", database),
        SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_KEY,
      };
    case "interviewer":
      return interviewerEnv(database);
  }
}

interface Login {
  usename: string;
  superuser: boolean;
  bypassesRls: boolean;
}

/** The login roles of the backends whose application_name is the function's. */
async function loginsOf(admin: postgres.Sql, name: FunctionName): Promise<Login[]> {
  return [
    ...await admin<Login[]>`
      select a.usename, r.rolsuper as superuser, r.rolbypassrls as "bypassesRls"
      from pg_stat_activity a join pg_roles r on r.rolname = a.usename
      where a.backend_type = 'client backend' and a.pid <> pg_backend_pid()
        and a.application_name = ${FUNCTION_APPLICATION_NAMES[name]}`,
  ];
}

async function health(
  fn: FunctionProcess,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${fn.baseUrl}/health`);
  return { status: response.status, body: await response.json() };
}

for (const route of ["direct", "pooler"] as DatabaseRoute[]) {
  Deno.test(`every function logs in as its own role, not a superuser (${route})`, async (t) => {
    const admin = adminSql();
    const started: FunctionProcess[] = [];
    try {
      for (const name of FUNCTION_NAMES) {
        await t.step(name, async () => {
          const fn = await startFunction(name, envOf(name, functionDatabaseEnv(name, route)));
          started.push(fn);
          // /health asks the database as the login: the pool holds a backend afterwards.
          const { status, body } = await health(fn);
          assert.equal(status, 200, JSON.stringify(body));
          assert.deepEqual(body.database, { role: functionRole(name), missing: [] });
          const logins = await loginsOf(admin, name);
          assert.ok(logins.length > 0, `no backend of ${name}`);
          for (const login of logins) {
            assert.deepEqual(login, {
              usename: functionRole(name),
              superuser: false,
              bypassesRls: false,
            });
          }
        });
      }
    } finally {
      await Promise.all(started.map((fn) => fn.stop()));
      await admin.end();
    }
  });
}

/** What /health names when the login is a role with no grant at all (a NOINHERIT login). */
const MISSING: Record<FunctionName, RegExp[]> = {
  chat: [/cannot become role "authenticated": grant authenticated to /],
  documents: [/cannot become role "authenticated": grant authenticated to /],
  cleanup: [
    /cannot execute public\.purge_stale_chat_sessions\(interval, integer\) \(the purge\)/,
    /cannot execute public\.count_stale_chat_sessions\(interval\) \(the purge's dry run\)/,
  ],
  interviewer: [/cannot execute chat_internal\.read_stored_interview\(uuid\)/],
};

Deno.test("/health is 503 naming the grant a function's login role lacks", async (t) => {
  const admin = adminSql();
  try {
    await withLeastPrivilegeRole(admin, async (_url, role, password) => {
      // The helper's role is a member of authenticated: take that away, so it holds nothing.
      await admin.unsafe(`revoke authenticated from ${role}`);
      const bare = new URL(DB_URL);
      bare.username = role;
      bare.password = password;
      for (const name of FUNCTION_NAMES) {
        await t.step(name, async () => {
          // Unprepared, so that the chat's connections do not start as authenticated, which a
          // role without the grant could not (the prepared path: the next step).
          const fn = await startFunction(
            name,
            envOf(name, { DB_URL: bare.toString(), DB_PREPARE: "false" }),
          );
          try {
            const { status, body } = await health(fn);
            assert.equal(status, 503, JSON.stringify(body));
            assert.equal(body.status, "unhealthy");
            const database = body.database as { role: string; missing: string[] };
            assert.equal(database.role, role);
            assert.equal(
              database.missing.length,
              MISSING[name].length,
              database.missing.join("\n"),
            );
            MISSING[name].forEach((pattern, i) => assert.match(database.missing[i]!, pattern));
            assert.match(String(body.reason), new RegExp(`The database login "${role}" lacks`));
            assert.ok(
              fn.logs.some((line) => line.includes('"login_role_missing"')),
              fn.logs.join("\n"),
            );
          } finally {
            await fn.stop();
          }
        });
      }
      await t.step("the chat on the prepared path: unhealthy, the role named", async () => {
        const fn = await startFunction(
          "chat",
          envOf("chat", { DB_URL: bare.toString(), DB_PREPARE: "true" }),
        );
        try {
          const { status, body } = await health(fn);
          assert.equal(status, 503, JSON.stringify(body));
          assert.ok(
            fn.logs.some((line) => line.includes(`permission denied to set role`)),
            fn.logs.join("\n"),
          );
        } finally {
          await fn.stop();
        }
      });
      await t.step("the chat behind the pooler without the poll's grant", async () => {
        await admin.unsafe(`grant authenticated to ${role}`);
        await withPoolerLogin(admin, role, password, async (poolerUrl) => {
          const fn = await startFunction(
            "chat",
            envOf("chat", { DB_URL: poolerUrl, DB_PREPARE: "false", SUPERSEDE_SIGNAL: "poll" }),
          );
          try {
            const { status, body } = await health(fn);
            assert.equal(status, 503, JSON.stringify(body));
            assert.match(
              (body.database as { missing: string[] }).missing.join("\n"),
              /cannot execute chat_internal\.superseded_connections\(uuid\[\], uuid\[\]\) \(the supersede poll\)/,
            );
          } finally {
            await fn.stop();
          }
        });
      });
    });
  } finally {
    await admin.end();
  }
});
