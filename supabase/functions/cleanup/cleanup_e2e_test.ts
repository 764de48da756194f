// The cleanup function end to end: index.ts started as its own Deno process on a free port,
// talking to the local stack's Postgres, driven over real HTTP.
import assert from "node:assert/strict";
import * as jose from "jose";
import {
  connect,
  createFixture,
  existingIds,
  insertSession,
  staleIds,
} from "../../../test_support/cleanup_fixture.ts";
import { functionDatabaseEnv } from "../../../test_support/local_stack.ts";

const JWT_SECRET = "cleanup-e2e-jwt-secret-with-at-least-32-characters";
const SERVICE_ROLE_KEY = "cleanup-e2e-service-role-key";
const SECRET_KEY = "sb_secret_cleanupE2eSecretKeyOfTheProject1";
const PUBLISHABLE_KEY = "sb_publishable_cleanupE2ePublishableKey01";
const ISSUER = "http://127.0.0.1:54321/auth/v1";

function sign(claims: jose.JWTPayload, expiresIn = "1h") {
  return new jose.SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(JWT_SECRET));
}

/** Starts index.ts with WEBSOCKET_PORT=0 and waits for the line that names its port. */
async function startCleanup() {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-sys", "index.ts"],
    cwd: new URL(".", import.meta.url).pathname,
    env: {
      WEBSOCKET_PORT: "0",
      ...functionDatabaseEnv("cleanup"),
      SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_KEY,
      // as hosted Supabase hands them to functions: names to keys
      SUPABASE_SECRET_KEYS: JSON.stringify({ default: SECRET_KEY }),
      SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: PUBLISHABLE_KEY }),
      JWT_SECRET,
      JWT_ISSUER: ISSUER,
      DENO_NO_UPDATE_CHECK: "1",
    },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines: Record<string, unknown>[] = [];
  let onListening!: (port: number) => void;
  const listening = new Promise<number>((resolve) => onListening = resolve);
  const reading = (async () => {
    let buffered = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = JSON.parse(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        if (line.event === "cleanup_listening") onListening(line.port);
        else lines.push(line);
      }
    }
  })();
  const timeout = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const port = await Promise.race([
    listening,
    child.status.then((status) => {
      throw new Error(`The cleanup function exited with code ${status.code} before listening`);
    }),
  ]);
  clearTimeout(timeout);
  return {
    url: `http://127.0.0.1:${port}/`,
    lines,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await reading;
    },
  };
}

Deno.test("cleanup function over HTTP", async (t) => {
  const sql = connect();
  const fixture = await createFixture(sql);
  const server = await startCleanup();
  const call = async (
    init: { method?: string; token?: string; apikey?: string; body?: string },
  ) => {
    const response = await fetch(server.url, {
      method: init.method ?? "POST",
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.apikey ? { apikey: init.apikey } : {}),
      },
      body: init.body,
    });
    return { status: response.status, body: await response.json() };
  };
  // a hosted legacy service_role key carries iss "supabase"
  const serviceJwt = await sign({ role: "service_role", iss: "supabase" });

  try {
    // Four stale sessions, one fresh, one complete and old with its document.
    const stale = [
      await insertSession(sql, {
        userId: fixture.owner,
        templateId: fixture.templateId,
        ageHours: 50,
        abandoned: true,
      }),
      await insertSession(sql, {
        userId: fixture.owner,
        templateId: fixture.templateId,
        ageHours: 70,
        abandoned: true,
      }),
      await insertSession(sql, {
        userId: fixture.owner,
        templateId: fixture.templateId,
        ageHours: 90,
        abandoned: true,
      }),
      await insertSession(sql, {
        userId: fixture.otherUser,
        templateId: fixture.templateId,
        ageHours: 30,
      }),
    ];
    const fresh = await insertSession(sql, {
      userId: fixture.owner,
      templateId: fixture.templateId,
      ageHours: 2,
    });
    const complete = await insertSession(sql, {
      userId: fixture.otherUser,
      templateId: fixture.templateId,
      ageHours: 240,
      complete: true,
    });
    await sql`insert into public.generated_documents (session_id, user_id, template_id, title, content)
      values (${complete}, ${fixture.otherUser}, ${fixture.templateId}, 'Kept', 'x')`;
    const mine = [...stale, fresh, complete];

    await t.step("refuses a request without credentials with 401", async () => {
      const response = await call({ body: "{}" });
      assert.equal(response.status, 401);
      assert.equal(response.body.code, "missing");
      const wrong = await call({ token: "not-the-key", body: "{}" });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error, "The bearer token is not valid");
      const expired = await call({
        token: await sign({ role: "service_role", iss: ISSUER }, "-1m"),
      });
      assert.deepEqual(expired, {
        status: 401,
        body: { error: "The bearer token has expired", code: "expired" },
      });
    });

    await t.step("refuses a service_role token of another issuer with 401", async () => {
      const foreign = await sign({
        role: "service_role",
        iss: "https://other.supabase.co/auth/v1",
      });
      assert.deepEqual(await call({ token: foreign, body: '{"dryRun":true}' }), {
        status: 401,
        body: { error: "The bearer token is not valid", code: "wrong_issuer" },
      });
    });

    await t.step("refuses a publishable key on apikey with 403", async () => {
      assert.deepEqual(await call({ apikey: PUBLISHABLE_KEY, body: '{"dryRun":true}' }), {
        status: 403,
        body: {
          error: "This function requires the service role: use a secret key, not a publishable one",
          code: "wrong_role",
        },
      });
    });

    await t.step("refuses a signed-in user's token with 403", async () => {
      const user = await sign({
        role: "authenticated",
        aud: "authenticated",
        sub: fixture.owner,
        iss: ISSUER,
      });
      assert.deepEqual(await call({ token: user, body: '{"dryRun":true}' }), {
        status: 403,
        body: { error: "This function requires the service role", code: "wrong_role" },
      });
    });

    await t.step("refuses other methods with 405", async () => {
      const response = await call({ method: "GET", token: SERVICE_ROLE_KEY });
      assert.deepEqual(response, {
        status: 405,
        body: { error: "Method GET is not allowed: use POST" },
      });
    });

    await t.step("refuses a bad body with 400 and a specific message", async () => {
      assert.deepEqual(await call({ token: SERVICE_ROLE_KEY, body: '{"maxAgeHours":0}' }), {
        status: 400,
        body: {
          error: 'Body field "maxAgeHours" is invalid: must be a number of hours from 1 to 8760',
        },
      });
      assert.deepEqual(await call({ token: SERVICE_ROLE_KEY, body: '{"dryrun":true}' }), {
        status: 400,
        body: {
          error: 'Body field "dryrun" is not allowed: use dryRun, maxAgeHours or batchSize',
        },
      });
      assert.deepEqual(await call({ token: SERVICE_ROLE_KEY, body: "dryRun=true" }), {
        status: 400,
        body: { error: "Body is not valid JSON" },
      });
    });

    await t.step("nothing was deleted by the refused requests", async () => {
      assert.deepEqual(await existingIds(sql, mine), new Set(mine));
    });

    await t.step("a dry run counts the stale sessions and deletes nothing", async () => {
      const expected = await staleIds(sql);
      const response = await call({ token: serviceJwt, body: '{"dryRun":true}' });
      const viaApikey = await call({ apikey: SECRET_KEY, body: '{"dryRun":true}' });
      assert.deepEqual(
        [viaApikey.status, viaApikey.body.stale],
        [200, response.body.stale],
        "the secret key on apikey counts the same",
      );
      assert.equal(response.status, 200);
      assert.equal(response.body.dryRun, true);
      assert.equal(response.body.deleted, 0);
      assert.equal(response.body.stale, expected.size);
      assert.ok(stale.every((id) => expected.has(id)));
      const cutoff = Date.parse(response.body.cutoff);
      assert.ok(Math.abs(cutoff - (Date.now() - 24 * 3_600_000)) < 60_000, response.body.cutoff);
      assert.deepEqual(await existingIds(sql, mine), new Set(mine));
    });

    await t.step("a run deletes exactly the stale sessions, in batches", async () => {
      const expected = await staleIds(sql);
      const response = await call({ token: SERVICE_ROLE_KEY, body: '{"batchSize":2}' });
      assert.equal(response.status, 200);
      assert.equal(response.body.deleted, expected.size);
      assert.equal(response.body.dryRun, false);
      assert.equal(response.body.complete, true);
      assert.equal(response.body.batches, Math.floor(expected.size / 2) + 1);
      assert.match(response.body.cutoff, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      assert.deepEqual(await existingIds(sql, expected), new Set());
      assert.deepEqual(await existingIds(sql, mine), new Set([fresh, complete]));
      const [documents] = await sql`select count(*)::int as n from public.generated_documents
        where session_id = ${complete}`;
      assert.equal(documents!.n, 1);
    });

    await t.step("a longer max age leaves younger stale sessions alone", async () => {
      const older = await insertSession(sql, {
        userId: fixture.owner,
        templateId: fixture.templateId,
        ageHours: 100,
        abandoned: true,
      });
      const younger = await insertSession(sql, {
        userId: fixture.owner,
        templateId: fixture.templateId,
        ageHours: 30,
        abandoned: true,
      });
      const response = await call({ token: SERVICE_ROLE_KEY, body: '{"maxAgeHours":72}' });
      assert.equal(response.status, 200);
      assert.equal(response.body.maxAgeHours, 72);
      assert.deepEqual(await existingIds(sql, [older, younger]), new Set([younger]));
    });

    await t.step("logs one JSON line per request", () => {
      // Besides the requests: the start's check of its login role, which has what it needs.
      const runs = server.lines.filter((line) => line.event !== "login_role_ready");
      assert.equal(server.lines.length - runs.length, 1);
      assert.equal(runs.length, 14);
      assert.ok(runs.every((line) => line.event === "cleanup_run"));
      assert.deepEqual(runs.map((line) => line.status), [
        401,
        401,
        401,
        401,
        403,
        403,
        405,
        400,
        400,
        400,
        200,
        200,
        200,
        200,
      ]);
      assert.deepEqual(runs.slice(10).map((line) => line.via), [
        "jwt",
        "secret_key",
        "secret_key",
        "secret_key",
      ]);
      const run = runs[12]!;
      assert.equal(typeof run.durationMs, "number");
      for (const key of [SERVICE_ROLE_KEY, SECRET_KEY, PUBLISHABLE_KEY]) {
        assert.ok(!JSON.stringify(server.lines).includes(key), "no key in the logs");
      }
    });
  } finally {
    await server.stop();
    await fixture.remove();
    await sql.end();
  }
});

Deno.test("without any way to prove the service role the function stops with one line", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-sys", "index.ts"],
    cwd: new URL(".", import.meta.url).pathname,
    env: {
      WEBSOCKET_PORT: "0",
      ...functionDatabaseEnv("cleanup"),
      DENO_NO_UPDATE_CHECK: "1",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 1);
  const stderr = new TextDecoder().decode(output.stderr).trim();
  assert.equal(stderr.split("\n").length, 1, stderr);
  assert.match(
    stderr,
    /^Environment variable SUPABASE_SECRET_KEYS is missing: expected the secret keys, SUPABASE_SERVICE_ROLE_KEY, or JWT_SECRET/,
  );
});
