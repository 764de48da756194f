import assert from "node:assert/strict";
import * as jose from "jose";
import { createTokenVerifier } from "../_shared/platform/token_verifier.ts";
import { createServiceRoleAuth } from "./service_role_auth.ts";

const SECRET = "a-test-jwt-secret-with-at-least-32-characters";
const KEY = "a-local-service-role-key-for-tests";
const SECRET_KEY = "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";
const ROTATED_KEY = "sb_secret_2nd0neForTheRotationOfKeysXyz1";
const PUBLISHABLE_KEY = "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH";
const ISSUER = "https://abc.supabase.co/auth/v1";

function sign(claims: jose.JWTPayload, secret = SECRET, expiresIn = "1h") {
  return new jose.SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}

const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });
const apikey = (key: string) => new Headers({ apikey: key });

Deno.test("createServiceRoleAuth", async (t) => {
  const authorize = createServiceRoleAuth({
    secretKeys: [SECRET_KEY, ROTATED_KEY, KEY],
    publishableKeys: [PUBLISHABLE_KEY],
    verifier: createTokenVerifier({ secret: SECRET, audience: "authenticated", issuer: ISSUER }),
  });

  await t.step("accepts every secret key on apikey, and as a bearer token", async () => {
    for (const key of [SECRET_KEY, ROTATED_KEY, KEY]) {
      assert.deepEqual(await authorize(apikey(key)), { ok: true, via: "secret_key" });
      assert.deepEqual(await authorize(bearer(key)), { ok: true, via: "secret_key" });
    }
    const spaced = new Headers({ authorization: `bearer  ${KEY} `, apikey: ` ${SECRET_KEY} ` });
    assert.deepEqual(await authorize(spaced), { ok: true, via: "secret_key" });
  });

  await t.step("accepts a signed service_role JWT of the project or a legacy key", async () => {
    for (const iss of [ISSUER, "supabase"]) {
      const token = await sign({ role: "service_role", iss });
      assert.deepEqual(await authorize(bearer(token)), { ok: true, via: "jwt" });
      assert.deepEqual(await authorize(apikey(token)), { ok: true, via: "jwt" });
    }
  });

  await t.step("refuses a request without either header with 401", async () => {
    for (const header of [null, "", "Bearer", "Basic abc", KEY]) {
      const headers = new Headers(header === null ? {} : { authorization: header });
      const check = await authorize(headers);
      assert.equal(check.ok, false);
      assert.equal(!check.ok && check.status, 401, String(header));
      assert.equal(!check.ok && check.reason, "missing");
    }
  });

  await t.step("refuses a near-miss key, a forged, expired or foreign token with 401", async () => {
    const refusals: [Headers, string, string][] = [
      [bearer(`${KEY}x`), "malformed", "The bearer token is not valid"],
      [apikey(`${SECRET_KEY}x`), "invalid", "The apikey is not valid"],
      [bearer(`${SECRET_KEY.slice(0, -1)}`), "invalid", "The bearer token is not valid"],
      [
        bearer(await sign({ role: "service_role" }, "another-secret-of-at-least-32-characters")),
        "bad_signature",
        "The bearer token is not valid",
      ],
      [
        bearer(await sign({ role: "service_role", iss: ISSUER }, SECRET, "-1m")),
        "expired",
        "The bearer token has expired",
      ],
      [
        apikey(await sign({ role: "service_role", iss: "https://other.supabase.co/auth/v1" })),
        "wrong_issuer",
        "The apikey is not valid",
      ],
    ];
    for (const [headers, reason, message] of refusals) {
      assert.deepEqual(await authorize(headers), { ok: false, status: 401, reason, message });
    }
  });

  await t.step("forbids a publishable key and a valid token of another role with 403", async () => {
    assert.deepEqual(await authorize(apikey(PUBLISHABLE_KEY)), {
      ok: false,
      status: 403,
      reason: "wrong_role",
      message: "This function requires the service role: use a secret key, not a publishable one",
    });
    const user = await sign({
      role: "authenticated",
      aud: "authenticated",
      sub: crypto.randomUUID(),
      iss: ISSUER,
    });
    const anon = await sign({ role: "anon", iss: "supabase" });
    for (const token of [user, anon]) {
      assert.deepEqual(await authorize(bearer(token)), {
        ok: false,
        status: 403,
        reason: "wrong_role",
        message: "This function requires the service role",
      });
    }
  });

  await t.step("the bearer token, when there is one, says who the call acts as", async () => {
    const user = await sign({ role: "authenticated", aud: "authenticated", iss: ISSUER });
    const headers = new Headers({ apikey: SECRET_KEY, authorization: `Bearer ${user}` });
    const check = await authorize(headers);
    assert.equal(!check.ok && check.status, 403, "a user's call with the secret key");
    const withKey = new Headers({ apikey: PUBLISHABLE_KEY, authorization: `Bearer ${SECRET_KEY}` });
    assert.deepEqual(await authorize(withKey), { ok: true, via: "secret_key" });
  });

  await t.step("a publishable key it was not told of is 401", async () => {
    const unaware = createServiceRoleAuth({ secretKeys: [SECRET_KEY] });
    assert.deepEqual(await unaware(apikey(PUBLISHABLE_KEY)), {
      ok: false,
      status: 401,
      reason: "invalid",
      message: "The apikey is not valid",
    });
  });

  await t.step("without a verifier only the keys are accepted", async () => {
    const keyOnly = createServiceRoleAuth({ secretKeys: [KEY] });
    const token = await sign({ role: "service_role" });
    const check = await keyOnly(bearer(token));
    assert.equal(!check.ok && check.status, 401);
    assert.equal((await keyOnly(bearer(KEY))).ok, true);
  });

  await t.step("without keys or a verifier it cannot be built", () => {
    assert.throws(
      () => createServiceRoleAuth({ secretKeys: [] }),
      new TypeError("Cannot check the service role: give a secret key or a token verifier"),
    );
  });
});
