import assert from "node:assert/strict";
import * as jose from "jose";
import {
  createTokenVerifier,
  jwksUrlOf,
  TokenError,
  type TokenRefusal,
  tokenVerifierFor,
} from "./token_verifier.ts";

const SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
const USER = "4f1c6c2e-8d8a-4a53-9d3c-2b8f3b9b5e11";
const secretKey = new TextEncoder().encode(SECRET);

function sign(claims: jose.JWTPayload, options: { key?: Uint8Array; expiresIn?: string } = {}) {
  return new jose.SignJWT({ role: "authenticated", aud: "authenticated", sub: USER, ...claims })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "1h")
    .sign(options.key ?? secretKey);
}

async function refusal(promise: Promise<unknown>): Promise<TokenRefusal> {
  try {
    await promise;
  } catch (error: unknown) {
    assert.ok(error instanceof TokenError, `expected a TokenError, got ${String(error)}`);
    return error.reason;
  }
  assert.fail("the token was accepted");
}

Deno.test("createTokenVerifier with an HS256 secret", async (t) => {
  const verifier = createTokenVerifier({ secret: SECRET, audience: "authenticated" });

  await t.step("accepts a valid user token", async () => {
    const verified = await verifier.verify(await sign({}));
    assert.equal(verified.userId, USER);
    assert.equal(verified.role, "authenticated");
    assert.ok(verified.expiresAt > Date.now());
  });

  await t.step("refuses each kind of bad token with its reason", async () => {
    assert.equal(await refusal(verifier.verify("")), "missing");
    assert.equal(await refusal(verifier.verify("not.a.jwt")), "malformed");
    assert.equal(await refusal(verifier.verify(await sign({}, { expiresIn: "-1m" }))), "expired");
    const otherKey = new TextEncoder().encode("another-secret-that-is-also-32-characters!");
    assert.equal(
      await refusal(verifier.verify(await sign({}, { key: otherKey }))),
      "bad_signature",
    );
    assert.equal(await refusal(verifier.verify(await sign({ role: "anon" }))), "wrong_role");
    assert.equal(await refusal(verifier.verify(await sign({ aud: "other" }))), "wrong_audience");
    assert.equal(await refusal(verifier.verify(await sign({ sub: "alice" }))), "bad_subject");
    const future = await sign({ nbf: Math.floor(Date.now() / 1000) + 3600 });
    assert.equal(await refusal(verifier.verify(future)), "not_yet_valid");
  });

  await t.step("refuses alg none", async () => {
    const unsigned = new jose.UnsecuredJWT({
      role: "authenticated",
      aud: "authenticated",
      sub: USER,
    })
      .setExpirationTime("1h").encode();
    assert.equal(await refusal(verifier.verify(unsigned)), "algorithm_not_allowed");
  });

  await t.step("checks the service role when asked", async () => {
    const serviceToken = await sign({ role: "service_role", sub: undefined, aud: undefined });
    const verified = await verifier.verify(serviceToken, { role: "service_role" });
    assert.equal(verified.role, "service_role");
    assert.equal(
      await refusal(verifier.verify(await sign({}), { role: "service_role" })),
      "wrong_role",
    );
  });
});

Deno.test("createTokenVerifier with a JWKS", async (t) => {
  const { publicKey, privateKey } = await jose.generateKeyPair("ES256", { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: "k1", alg: "ES256" };
  const verifier = createTokenVerifier({ jwks: { keys: [jwk] }, audience: "authenticated" });
  const signEs256 = (claims: jose.JWTPayload) =>
    new jose.SignJWT({ role: "authenticated", aud: "authenticated", sub: USER, ...claims })
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .setExpirationTime("1h")
      .sign(privateKey);

  await t.step("accepts a token signed by the set's key", async () => {
    assert.equal((await verifier.verify(await signEs256({}))).userId, USER);
  });

  await t.step("refuses an HS256 token (key confusion)", async () => {
    assert.equal(await refusal(verifier.verify(await sign({}))), "algorithm_not_allowed");
  });
});

Deno.test("jwksUrlOf keeps a path in SUPABASE_URL and tolerates a trailing slash", () => {
  assert.equal(
    jwksUrlOf("https://abc.supabase.co").href,
    "https://abc.supabase.co/auth/v1/.well-known/jwks.json",
  );
  assert.equal(
    jwksUrlOf("https://abc.supabase.co/").href,
    "https://abc.supabase.co/auth/v1/.well-known/jwks.json",
  );
  assert.equal(
    jwksUrlOf("https://gateway.example/supabase//").href,
    "https://gateway.example/supabase/auth/v1/.well-known/jwks.json",
  );
});

Deno.test("tokenVerifierFor picks the environment's keys, or none", async () => {
  assert.equal(tokenVerifierFor({}), undefined);
  const secret = "s".repeat(40);
  const verifier = tokenVerifierFor({ JWT_SECRET: secret, SUPABASE_URL: "http://127.0.0.1:1" });
  const sub = crypto.randomUUID();
  const token = await new jose.SignJWT({ role: "authenticated", aud: "authenticated" })
    .setProtectedHeader({ alg: "HS256" }).setSubject(sub).setExpirationTime("5m")
    .sign(new TextEncoder().encode(secret));
  assert.equal((await verifier!.verify(token)).userId, sub, "the secret wins over the URL");
});
