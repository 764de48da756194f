import assert from "node:assert/strict";
import * as jose from "jose";
import {
  createTokenVerifier,
  issuerOf,
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

Deno.test("createTokenVerifier checks the issuer when it knows one", async (t) => {
  const ISSUER = "https://abc.supabase.co/auth/v1";
  const verifier = createTokenVerifier({
    secret: SECRET,
    audience: "authenticated",
    issuer: ISSUER,
  });
  const service = (iss: string | undefined) =>
    sign({ role: "service_role", sub: undefined, aud: undefined, iss });

  await t.step("accepts a user token of that issuer", async () => {
    assert.equal((await verifier.verify(await sign({ iss: ISSUER }))).userId, USER);
  });

  await t.step("refuses a user token of another issuer or none", async () => {
    for (const iss of ["https://other.supabase.co/auth/v1", `${ISSUER}/`, "supabase", undefined]) {
      assert.equal(await refusal(verifier.verify(await sign({ iss }))), "wrong_issuer", iss);
    }
    await assert.rejects(
      verifier.verify(await sign({ iss: "https://evil.example/auth/v1" })),
      new TokenError(
        "wrong_issuer",
        'Token issuer "https://evil.example/auth/v1" is not "https://abc.supabase.co/auth/v1"',
      ),
    );
    await assert.rejects(
      verifier.verify(await sign({})),
      new TokenError(
        "wrong_issuer",
        'Token has no issuer: expected "https://abc.supabase.co/auth/v1"',
      ),
    );
  });

  await t.step("a service-role token may carry the legacy keys' issuer too", async () => {
    for (const iss of [ISSUER, "supabase"]) {
      const verified = await verifier.verify(await service(iss), { role: "service_role" });
      assert.equal(verified.role, "service_role");
    }
    for (const iss of ["supabase-demo", "https://other.supabase.co/auth/v1", undefined]) {
      assert.equal(
        await refusal(verifier.verify(await service(iss), { role: "service_role" })),
        "wrong_issuer",
        iss,
      );
    }
  });

  await t.step("the role is checked before the issuer", async () => {
    const anonKey = await sign({ role: "anon", iss: "supabase" });
    assert.equal(await refusal(verifier.verify(anonKey, { role: "service_role" })), "wrong_role");
  });

  await t.step("without an issuer, iss is not checked", async () => {
    const open = createTokenVerifier({ secret: SECRET, audience: "authenticated" });
    assert.equal((await open.verify(await sign({ iss: "anything" }))).userId, USER);
  });
});

Deno.test("issuerOf derives Supabase Auth's issuer from SUPABASE_URL", () => {
  assert.equal(issuerOf("https://abc.supabase.co"), "https://abc.supabase.co/auth/v1");
  assert.equal(issuerOf("http://127.0.0.1:54321/"), "http://127.0.0.1:54321/auth/v1");
  assert.equal(issuerOf("https://gateway.example/sb//"), "https://gateway.example/sb/auth/v1");
});

Deno.test("tokenVerifierFor picks the environment's keys and issuer, or none", async (t) => {
  assert.equal(tokenVerifierFor({}), undefined);
  const secret = "s".repeat(40);
  const sub = crypto.randomUUID();
  const token = (iss?: string) =>
    new jose.SignJWT({ role: "authenticated", aud: "authenticated", ...(iss ? { iss } : {}) })
      .setProtectedHeader({ alg: "HS256" }).setSubject(sub).setExpirationTime("5m")
      .sign(new TextEncoder().encode(secret));

  await t.step("the secret and the URL together; the issuer comes from the URL", async () => {
    const verifier = tokenVerifierFor({ JWT_SECRET: secret, SUPABASE_URL: "http://127.0.0.1:1" });
    assert.equal((await verifier!.verify(await token("http://127.0.0.1:1/auth/v1"))).userId, sub);
    assert.equal(await refusal(verifier!.verify(await token())), "wrong_issuer");
  });

  await t.step("JWT_ISSUER wins over the derived issuer", async () => {
    const verifier = tokenVerifierFor({
      JWT_SECRET: secret,
      SUPABASE_URL: "http://127.0.0.1:1",
      JWT_ISSUER: "https://auth.example.test",
    });
    assert.equal((await verifier!.verify(await token("https://auth.example.test"))).userId, sub);
    assert.equal(
      await refusal(verifier!.verify(await token("http://127.0.0.1:1/auth/v1"))),
      "wrong_issuer",
    );
  });

  await t.step("without SUPABASE_URL or JWT_ISSUER, no issuer is checked", async () => {
    const verifier = tokenVerifierFor({ JWT_SECRET: secret });
    assert.equal((await verifier!.verify(await token())).userId, sub);
  });
});
