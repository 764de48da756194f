import assert from "node:assert/strict";
import { createLogger } from "../_shared/platform/logger.ts";
import { type CleanupHandlerOptions, createCleanupHandler } from "./handler.ts";
import { createServiceRoleAuth, type ServiceRoleCheck } from "./service_role_auth.ts";
import type { StaleSessionPurge } from "./stale_session_purge.ts";

const CUTOFF = "2026-11-25T12:00:00.123456Z";

/** A purge over a backlog of `stale` rows; each batch advances the fake clock by `batchMs`. */
function fakePurge(stale: number, clock: { now: number }, batchMs = 10) {
  const calls: string[] = [];
  const purge: StaleSessionPurge = {
    cutoff: (hours) => {
      calls.push(`cutoff ${hours}`);
      return Promise.resolve(CUTOFF);
    },
    countStale: (cutoff) => {
      calls.push(`count ${cutoff}`);
      return Promise.resolve(stale);
    },
    purgeBatch: (cutoff, size) => {
      calls.push(`batch ${cutoff} ${size}`);
      clock.now += batchMs;
      const removed = Math.min(stale, size);
      stale -= removed;
      return Promise.resolve(removed);
    },
  };
  return { purge, calls, left: () => stale };
}

function setUp(stale: number, overrides: Partial<CleanupHandlerOptions> = {}) {
  const clock = { now: Date.parse("2026-11-26T12:00:00Z") };
  const fake = fakePurge(stale, clock);
  const lines: Record<string, unknown>[] = [];
  const handler = createCleanupHandler({
    authorize: (headers) =>
      Promise.resolve<ServiceRoleCheck>(
        headers.get("authorization") === "Bearer service"
          ? { ok: true, via: "secret_key" }
          : headers.get("authorization") === "Bearer user"
          ? { ok: false, status: 403, reason: "wrong_role", message: "Requires the service role" }
          : { ok: false, status: 401, reason: "missing", message: "Bearer token required" },
      ),
    purge: fake.purge,
    batchSize: 100,
    timeBudgetMs: 1000,
    log: createLogger({ write: (line) => lines.push(JSON.parse(line)) }),
    now: () => clock.now,
    ...overrides,
  });
  return { handler, lines, clock, ...fake };
}

function post(body?: string, token = "service") {
  return new Request("http://localhost/cleanup", {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body,
  });
}

Deno.test("cleanup handler", async (t) => {
  await t.step("refuses other methods with 405 and Allow: POST", async () => {
    const { handler, lines, calls } = setUp(5);
    const response = await handler(new Request("http://localhost/cleanup"));
    assert.equal(response.status, 405);
    assert.equal(response.headers.get("allow"), "POST");
    assert.deepEqual(await response.json(), { error: "Method GET is not allowed: use POST" });
    assert.equal(lines.length, 1);
    assert.deepEqual(calls, []);
  });

  await t.step("passes the authorizer's refusal on as JSON", async () => {
    const { handler, lines, calls } = setUp(5);
    const missing = await handler(post("{}", "nothing"));
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get("www-authenticate") ?? "", /^Bearer/);
    assert.deepEqual(await missing.json(), { error: "Bearer token required", code: "missing" });
    const user = await handler(post("{}", "user"));
    assert.equal(user.status, 403);
    assert.equal((await user.json()).code, "wrong_role");
    assert.deepEqual(lines.map((line) => [line.status, line.reason]), [
      [401, "missing"],
      [403, "wrong_role"],
    ]);
    assert.deepEqual(calls, []);
  });

  await t.step("with the real check, a secret key on apikey runs the purge", async () => {
    const secretKey = "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";
    const publishableKey = "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH";
    const { handler, calls, lines } = setUp(5, {
      authorize: createServiceRoleAuth({
        secretKeys: [secretKey],
        publishableKeys: [publishableKey],
      }),
    });
    const withKey = (apikey: string) =>
      handler(new Request("http://localhost/cleanup", { method: "POST", headers: { apikey } }));
    const refused = await withKey(publishableKey);
    assert.equal(refused.status, 403);
    assert.equal((await refused.json()).code, "wrong_role");
    assert.deepEqual(calls, [], "a publishable key purges nothing");
    const response = await withKey(secretKey);
    assert.equal(response.status, 200);
    assert.equal((await response.json()).deleted, 5);
    assert.deepEqual(lines.map((line) => [line.status, line.via]), [
      [403, undefined],
      [200, "secret_key"],
    ]);
    assert.ok(!JSON.stringify(lines).includes(secretKey), "no key in the logs");
  });

  await t.step("refuses a bad body with 400 and touches nothing", async () => {
    const { handler, calls } = setUp(5);
    const response = await handler(post('{"maxAgeHours":0}'));
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      error: 'Body field "maxAgeHours" is invalid: must be a number of hours from 1 to 8760',
    });
    const large = await handler(post(JSON.stringify({ dryRun: true, pad: "x".repeat(5000) })));
    assert.equal(large.status, 413);
    assert.deepEqual(calls, []);
  });

  await t.step("a dry run counts and deletes nothing", async () => {
    const { handler, calls, left, lines } = setUp(250);
    const response = await handler(post('{"dryRun":true,"maxAgeHours":48}'));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.deepEqual(await response.json(), {
      deleted: 0,
      stale: 250,
      cutoff: CUTOFF,
      dryRun: true,
      maxAgeHours: 48,
    });
    assert.deepEqual(calls, ["cutoff 48", `count ${CUTOFF}`]);
    assert.equal(left(), 250);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.event, "cleanup_run");
    assert.equal(lines[0]!.stale, 250);
  });

  await t.step("a run purges in batches until a batch comes back short", async () => {
    const { handler, calls, left, lines } = setUp(250);
    const response = await handler(post(""));
    assert.deepEqual(await response.json(), {
      deleted: 250,
      cutoff: CUTOFF,
      dryRun: false,
      maxAgeHours: 24,
      batches: 3,
      complete: true,
    });
    assert.deepEqual(calls.slice(1), Array(3).fill(`batch ${CUTOFF} 100`));
    assert.equal(left(), 0);
    assert.equal(lines.length, 1);
    assert.deepEqual(
      [lines[0]!.deleted, lines[0]!.batches, lines[0]!.via, lines[0]!.level],
      [250, 3, "secret_key", "info"],
    );
  });

  await t.step("an exact multiple of the batch size takes one empty batch more", async () => {
    const { handler } = setUp(200);
    const body = await (await handler(post('{"batchSize":50}'))).json();
    assert.equal(body.deleted, 200);
    assert.equal(body.batches, 5);
    assert.equal(body.complete, true);
  });

  await t.step("stops at the time budget and says the run is not complete", async () => {
    const { handler, left } = setUp(10_000, { timeBudgetMs: 35 });
    const body = await (await handler(post('{"batchSize":10}'))).json();
    assert.equal(body.batches, 4);
    assert.equal(body.deleted, 40);
    assert.equal(body.complete, false);
    assert.equal(left(), 9_960);
  });

  await t.step("a failing batch answers 500 with what was already deleted", async () => {
    const { handler, purge, lines } = setUp(300);
    let batches = 0;
    const real = purge.purgeBatch;
    purge.purgeBatch = (cutoff, size) =>
      ++batches === 2 ? Promise.reject(new Error("connection lost")) : real(cutoff, size);
    const response = await handler(post("{}"));
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), {
      error: "The purge failed; see the function's logs",
      deleted: 100,
    });
    assert.equal(lines[0]!.level, "error");
    assert.equal(lines[0]!.error, "Error: connection lost");
  });
});
