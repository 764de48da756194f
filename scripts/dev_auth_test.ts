// Development tokens against the local stack's database: signed as a new hosted project's Auth
// signs them (ES256 with a kid), or with the legacy secret.
import assert from "node:assert/strict";
import * as jose from "jose";
import { adminSql, JWT_SECRET, LOCAL_ISSUER } from "../test_support/local_stack.ts";
import { createTokenVerifier } from "../supabase/functions/_shared/platform/token_verifier.ts";
import { devTokenAlgorithm, issueDevToken } from "./dev_auth.ts";
import { jwksOf, loadOrCreateSigningKey } from "./local_signing_key.ts";

Deno.test("dev tokens", async (t) => {
  const sql = adminSql();
  const folder = await Deno.makeTempDir();
  const email = `dev-auth-${crypto.randomUUID().slice(0, 8)}@example.test`;
  try {
    const signingKey = await loadOrCreateSigningKey(`${folder}/signing_keys.json`);
    const verifier = createTokenVerifier({
      secret: JWT_SECRET,
      jwks: jwksOf(signingKey),
      issuer: LOCAL_ISSUER,
      audience: "authenticated",
    });

    await t.step("with the signing key: ES256, its kid, and the functions accept it", async () => {
      const { userId, token } = await issueDevToken(sql, {
        signingKey,
        issuer: LOCAL_ISSUER,
        email,
      });
      assert.deepEqual(jose.decodeProtectedHeader(token), {
        alg: "ES256",
        typ: "JWT",
        kid: signingKey.kid,
      });
      assert.equal((await verifier.verify(token)).userId, userId);
    });

    await t.step("with only the secret: HS256, for the same user", async () => {
      const { userId, token } = await issueDevToken(sql, {
        secret: JWT_SECRET,
        issuer: LOCAL_ISSUER,
        email,
      });
      assert.equal(jose.decodeProtectedHeader(token).alg, "HS256");
      assert.equal((await verifier.verify(token)).userId, userId);
    });

    await t.step("with neither, a clear refusal", async () => {
      await assert.rejects(() => issueDevToken(sql, { issuer: LOCAL_ISSUER, email }), {
        message: "Cannot sign a dev token: give the local signing key or JWT_SECRET",
      });
    });

    await t.step("DEV_TOKEN_ALG: ES256 by default, HS256 on request, nothing else", () => {
      assert.equal(devTokenAlgorithm(undefined), "ES256");
      assert.equal(devTokenAlgorithm(""), "ES256");
      assert.equal(devTokenAlgorithm("HS256"), "HS256");
      assert.throws(() => devTokenAlgorithm("RS256"), {
        message: 'Environment variable DEV_TOKEN_ALG is "RS256": expected ES256 (the local ' +
          "signing key) or HS256 (JWT_SECRET)",
      });
    });
  } finally {
    await sql`delete from auth.users where email = ${email}`;
    await sql.end();
    await Deno.remove(folder, { recursive: true });
  }
});
