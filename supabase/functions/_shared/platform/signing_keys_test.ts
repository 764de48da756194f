// Key selection per token, through the verifier: both kinds of token during a rotation, `oct`
// keys in a JWKS, unknown key ids, and the remote JWKS fetched again on a miss.
import assert from "node:assert/strict";
import * as jose from "jose";
import { createTokenVerifier, TokenError, type TokenRefusal } from "./token_verifier.ts";

const SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
const USER = "4f1c6c2e-8d8a-4a53-9d3c-2b8f3b9b5e11";
const CLAIMS = { role: "authenticated", aud: "authenticated", sub: USER };

function sign(alg: string, key: CryptoKey | Uint8Array, kid?: string) {
  return new jose.SignJWT(CLAIMS).setProtectedHeader({ alg, typ: "JWT", ...(kid ? { kid } : {}) })
    .setExpirationTime("1h").sign(key);
}

async function keyPair(alg: "ES256" | "RS256" | "EdDSA", kid: string) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  return { privateKey, jwk: { ...(await jose.exportJWK(publicKey)), kid, alg, use: "sig" } };
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

const secretBytes = new TextEncoder().encode(SECRET);

Deno.test("during a rotation both the legacy secret and the asymmetric keys verify", async (t) => {
  const es = await keyPair("ES256", "es-1");
  const rs = await keyPair("RS256", "rs-1");
  const ed = await keyPair("EdDSA", "ed-1");
  const verifier = createTokenVerifier({
    secret: SECRET,
    jwks: { keys: [es.jwk, rs.jwk, ed.jwk] },
    audience: "authenticated",
  });

  await t.step("accepts HS256, ES256, RS256 and EdDSA tokens side by side", async () => {
    for (
      const token of [
        await sign("HS256", secretBytes),
        await sign("HS256", secretBytes, "legacy-kid-the-function-never-saw"),
        await sign("ES256", es.privateKey, "es-1"),
        await sign("RS256", rs.privateKey, "rs-1"),
        await sign("EdDSA", ed.privateKey, "ed-1"),
        await sign("ES256", es.privateKey),
      ]
    ) {
      assert.equal((await verifier.verify(token)).userId, USER);
    }
  });

  await t.step("never checks a token against a key of the other kind", async () => {
    const publicBytes = new TextEncoder().encode(JSON.stringify(es.jwk));
    assert.equal(
      await refusal(verifier.verify(await sign("HS256", publicBytes, "es-1"))),
      "bad_signature",
      "an HS256 token naming a public key's kid is checked against the secret only",
    );
    const other = await keyPair("ES256", "es-1");
    assert.equal(
      await refusal(verifier.verify(await sign("ES256", other.privateKey, "es-1"))),
      "bad_signature",
    );
    assert.equal(
      await refusal(verifier.verify(await sign("RS256", rs.privateKey, "es-1"))),
      "unknown_key",
      "an RS256 token naming an EC key's kid",
    );
    assert.equal(
      await refusal(verifier.verify(await sign("HS512", secretBytes))),
      "algorithm_not_allowed",
    );
    const unsigned = new jose.UnsecuredJWT(CLAIMS).setExpirationTime("1h").encode();
    assert.equal(await refusal(verifier.verify(unsigned)), "algorithm_not_allowed");
  });

  await t.step("refuses an unknown kid with a reason that names it", async () => {
    await assert.rejects(
      verifier.verify(await sign("ES256", es.privateKey, "es-2")),
      new TokenError(
        "unknown_key",
        'Token key id "es-2" is not one of this project\'s "ES256" signing keys',
      ),
    );
  });

  await t.step("with only the secret, asymmetric tokens are not allowed", async () => {
    const legacy = createTokenVerifier({ secret: SECRET });
    assert.equal(
      await refusal(legacy.verify(await sign("ES256", es.privateKey, "es-1"))),
      "algorithm_not_allowed",
    );
  });
});

Deno.test("oct keys of a JWKS verify HS256 tokens, matched by kid", async (t) => {
  const octA = { kty: "oct", kid: "hs-a", k: jose.base64url.encode("a".repeat(40)) };
  const octB = { kty: "oct", kid: "hs-b", alg: "HS256", k: jose.base64url.encode("b".repeat(40)) };
  const keyA = new TextEncoder().encode("a".repeat(40));
  const keyB = new TextEncoder().encode("b".repeat(40));
  const verifier = createTokenVerifier({ jwks: { keys: [octA, octB] } });

  await t.step("a token naming a key is checked against that key", async () => {
    assert.equal((await verifier.verify(await sign("HS256", keyA, "hs-a"))).userId, USER);
    assert.equal((await verifier.verify(await sign("HS256", keyB, "hs-b"))).userId, USER);
    assert.equal(
      await refusal(verifier.verify(await sign("HS256", keyA, "hs-b"))),
      "bad_signature",
    );
  });

  await t.step("a token without a kid is checked against each of them", async () => {
    assert.equal((await verifier.verify(await sign("HS256", keyB))).userId, USER);
  });

  await t.step("without the legacy secret, an unknown kid is refused", async () => {
    assert.equal(
      await refusal(verifier.verify(await sign("HS256", secretBytes, "hs-c"))),
      "unknown_key",
    );
  });

  await t.step("an oct key without k stops the verifier from being built", () => {
    assert.throws(
      () => createTokenVerifier({ jwks: { keys: [{ kty: "oct", kid: "x" }] } }),
      new TypeError('Cannot use the JWKS: "oct" key "x" has no "k"'),
    );
  });
});

/** A JWKS endpoint whose keys the test changes, counting the fetches. */
function serveJwks(keys: Record<string, unknown>[], status = 200) {
  const served = { keys, fetches: 0 };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => {
    served.fetches += 1;
    return Response.json({ keys: served.keys }, { status });
  });
  const url = new URL(`http://127.0.0.1:${server.addr.port}/auth/v1/.well-known/jwks.json`);
  return { served, url, close: () => server.shutdown() };
}

Deno.test("the remote JWKS is fetched again when a token names a key it lacks", async (t) => {
  const first = await keyPair("ES256", "k1");
  const second = await keyPair("ES256", "k2");
  const remote = serveJwks([first.jwk]);
  try {
    const verifier = createTokenVerifier({ jwksUrl: remote.url, jwksCooldownMs: 0 });

    await t.step("a key published after the first fetch is found", async () => {
      assert.equal(
        (await verifier.verify(await sign("ES256", first.privateKey, "k1"))).userId,
        USER,
      );
      assert.equal(remote.served.fetches, 1);
      remote.served.keys = [first.jwk, second.jwk];
      assert.equal(
        (await verifier.verify(await sign("ES256", second.privateKey, "k2"))).userId,
        USER,
      );
      assert.equal(remote.served.fetches, 2);
    });

    await t.step("a kid still missing after one more fetch is refused", async () => {
      assert.equal(
        await refusal(verifier.verify(await sign("ES256", second.privateKey, "k3"))),
        "unknown_key",
      );
      assert.equal(remote.served.fetches, 3);
    });

    await t.step("a local JWKS is asked first, the URL on a miss", async () => {
      const both = createTokenVerifier({ jwks: { keys: [first.jwk] }, jwksUrl: remote.url });
      const before = remote.served.fetches;
      assert.equal((await both.verify(await sign("ES256", first.privateKey, "k1"))).userId, USER);
      assert.equal(remote.served.fetches, before, "no fetch for a key held locally");
      assert.equal((await both.verify(await sign("ES256", second.privateKey, "k2"))).userId, USER);
      assert.equal(remote.served.fetches, before + 1);
    });
  } finally {
    await remote.close();
  }
});

Deno.test("keys that cannot be loaded are keys_unavailable", async () => {
  const key = await keyPair("ES256", "k1");
  const token = await sign("ES256", key.privateKey, "k1");
  const failing = serveJwks([], 500);
  try {
    const answering500 = createTokenVerifier({ jwksUrl: failing.url });
    assert.equal(await refusal(answering500.verify(token)), "keys_unavailable");
  } finally {
    await failing.close();
  }
  const unreachable = createTokenVerifier({ jwksUrl: new URL("http://127.0.0.1:1/jwks.json") });
  assert.equal(await refusal(unreachable.verify(token)), "keys_unavailable");
  const withSecret = createTokenVerifier({
    secret: SECRET,
    jwksUrl: new URL("http://127.0.0.1:1/jwks.json"),
  });
  assert.equal(
    (await withSecret.verify(await sign("HS256", secretBytes))).userId,
    USER,
    "HS256 tokens still verify while the URL is down",
  );
});
