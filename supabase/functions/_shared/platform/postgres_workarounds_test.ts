import assert from "node:assert/strict";
import { isOrphanedPostgresConnectionError, isPostgresWriteRace } from "./postgres_workarounds.ts";

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
    import { guardAgainstPostgresWriteRace } from "${new URL(
    "./postgres_workarounds.ts",
    import.meta.url,
  )}";
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

Deno.test("the rejection guard keeps the process alive through an orphaned connection error only", async (t) => {
  const module = new URL("./postgres_workarounds.ts", import.meta.url);
  const run = async (rejected: string) => {
    const script = `
      import { guardAgainstOrphanedPostgresErrors } from "${module}";
      guardAgainstOrphanedPostgresErrors((error) => console.log("caught", error.message));
      const error = ${rejected};
      Promise.reject(error);
      setTimeout(() => console.log("alive"), 50);`;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: output.code, stdout: new TextDecoder().decode(output.stdout) };
  };
  await t.step("an orphaned connection error is caught and reported", async () => {
    const orphan = `Object.assign(new Error("server login has been failing"), {
      name: "PostgresError", code: "08P01",
      stack: "PostgresError: server login has been failing\\n    at ErrorResponse " +
        "(file:///cache/npm/registry.npmjs.org/postgres/3.4.9/src/connection.js:815:30)" })`;
    const { code, stdout } = await run(orphan);
    assert.equal(code, 0);
    assert.match(stdout, /caught server login has been failing\nalive/);
  });
  await t.step("any other unhandled rejection still ends the process", async () => {
    const { code, stdout } = await run(`new Error("something else")`);
    assert.equal(code, 1);
    assert.doesNotMatch(stdout, /alive/);
  });
});
