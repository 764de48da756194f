import assert from "node:assert/strict";
import * as jose from "jose";
import { createEs256SigningKey, JWT_SECRET, signToken } from "../../test_support/local_stack.ts";
import { createJwtGate } from "./jwt_gate.ts";

const USER = "7b0c6c9e-3f0a-4f57-9a53-0d7cf1c0b1aa";

Deno.test("the verify_jwt gate", async (t) => {
  const signingKey = await createEs256SigningKey();
  const gate = createJwtGate({ secret: JWT_SECRET, jwks: { keys: [signingKey.publicJwk] } });

  await t.step(
    "lets an HS256 token of the secret and an ES256 token of the JWKS through",
    async () => {
      assert.equal(await gate(`Bearer ${await signToken(USER)}`), undefined);
      assert.equal(await gate(`Bearer ${await signToken(USER, { signingKey })}`), undefined);
      assert.equal(await gate(`bearer ${await signToken(USER, { signingKey })}`), undefined);
    },
  );

  await t.step("lets the anon key's role through, as the platform does", async () => {
    assert.equal(await gate(`Bearer ${await signToken(USER, { role: "anon" })}`), undefined);
  });

  await t.step("refuses a request without the header", async () => {
    assert.deepEqual(await gate(null), {
      message: "Missing authorization header",
      reason: 'Send "Authorization: Bearer <access token>"',
    });
  });

  await t.step("refuses a header that is not Bearer and a token", async () => {
    for (const header of ["Basic abc", "Bearer", "Bearer a b"]) {
      assert.equal((await gate(header))?.message, "Auth header is not 'Bearer {token}'", header);
    }
  });

  await t.step("refuses expired tokens, other keys and garbage as Invalid JWT", async () => {
    const cases: [string, string][] = [
      [
        await signToken(USER, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
        "The token has expired",
      ],
      [
        await signToken(USER, { secret: "another-secret-of-at-least-32-characters!" }),
        "The token's signature does not match this project's keys",
      ],
      [
        await signToken(USER, { signingKey: await createEs256SigningKey(signingKey.kid) }),
        "The token's signature does not match this project's keys",
      ],
      [
        await signToken(USER, { signingKey: await createEs256SigningKey("other-kid") }),
        'Token key id "other-kid" is not one of this project\'s "ES256" signing keys',
      ],
      ["not-a-jwt", "The token is not a well-formed JWT"],
    ];
    for (const [token, reason] of cases) {
      assert.deepEqual(await gate(`Bearer ${token}`), { message: "Invalid JWT", reason });
    }
  });

  await t.step("refuses alg none", async () => {
    const unsigned = new jose.UnsecuredJWT({ sub: USER, role: "authenticated" })
      .setExpirationTime("1h").encode();
    assert.equal((await gate(`Bearer ${unsigned}`))?.message, "Invalid JWT");
  });
});
