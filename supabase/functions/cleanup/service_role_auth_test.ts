import assert from "node:assert/strict";
import * as jose from "jose";
import { createTokenVerifier } from "../_shared/platform/token_verifier.ts";
import { createServiceRoleAuth } from "./service_role_auth.ts";

const SECRET = "a-test-jwt-secret-with-at-least-32-characters";
const KEY = "a-local-service-role-key-for-tests";

function sign(claims: jose.JWTPayload, secret = SECRET, expiresIn = "1h") {
  return new jose.SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}

Deno.test("createServiceRoleAuth", async (t) => {
  const authorize = createServiceRoleAuth({
    serviceRoleKey: KEY,
    verifier: createTokenVerifier({ secret: SECRET, audience: "authenticated" }),
  });

  await t.step("accepts the service role key itself", async () => {
    assert.deepEqual(await authorize(`Bearer ${KEY}`), { ok: true, via: "secret_key" });
    assert.deepEqual(await authorize(`bearer  ${KEY} `), { ok: true, via: "secret_key" });
  });

  await t.step("accepts a signed service_role JWT", async () => {
    const token = await sign({ role: "service_role", iss: "supabase-demo" });
    assert.deepEqual(await authorize(`Bearer ${token}`), { ok: true, via: "jwt" });
  });

  await t.step("refuses a missing or malformed header with 401", async () => {
    for (const header of [null, "", "Bearer", "Basic abc", KEY]) {
      const check = await authorize(header);
      assert.equal(check.ok, false);
      assert.equal(!check.ok && check.status, 401, String(header));
      assert.equal(!check.ok && check.reason, "missing");
    }
  });

  await t.step("refuses a near-miss key, a forged or expired token with 401", async () => {
    const refusals = [
      [`Bearer ${KEY}x`, "malformed"],
      [
        `Bearer ${await sign(
          { role: "service_role" },
          "another-secret-of-at-least-32-characters",
        )}`,
        "bad_signature",
      ],
      [`Bearer ${await sign({ role: "service_role" }, SECRET, "-1m")}`, "expired"],
    ];
    for (const [header, reason] of refusals) {
      assert.deepEqual(await authorize(header!), {
        ok: false,
        status: 401,
        reason,
        message: reason === "expired"
          ? "The bearer token has expired"
          : "The bearer token is not valid",
      });
    }
  });

  await t.step("forbids a valid token of another role with 403", async () => {
    const user = await sign({
      role: "authenticated",
      aud: "authenticated",
      sub: crypto.randomUUID(),
    });
    const anon = await sign({ role: "anon" });
    for (const token of [user, anon]) {
      assert.deepEqual(await authorize(`Bearer ${token}`), {
        ok: false,
        status: 403,
        reason: "wrong_role",
        message: "This function requires the service role",
      });
    }
  });

  await t.step("without a verifier only the key is accepted", async () => {
    const keyOnly = createServiceRoleAuth({ serviceRoleKey: KEY });
    const token = await sign({ role: "service_role" });
    const check = await keyOnly(`Bearer ${token}`);
    assert.equal(!check.ok && check.status, 401);
    assert.equal((await keyOnly(`Bearer ${KEY}`)).ok, true);
  });
});
