import assert from "node:assert/strict";
import * as jose from "jose";
import { jwksOf, loadOrCreateSigningKey, readSigningKey } from "./local_signing_key.ts";

Deno.test("the local signing key", async (t) => {
  const folder = await Deno.makeTempDir();
  const path = `${folder}/nested/signing_keys.json`;
  try {
    await t.step("is made once, readable by its owner only, and kept", async () => {
      const first = await loadOrCreateSigningKey(path);
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      const again = await loadOrCreateSigningKey(path);
      assert.equal(again.kid, first.kid);
      const stored = JSON.parse(await Deno.readTextFile(path));
      assert.equal(stored.length, 1);
      assert.equal(stored[0].kid, first.kid);
      assert.equal(stored[0].alg, "ES256");
    });

    await t.step("starts racing each other keep one key", async () => {
      const racePath = `${folder}/race.json`;
      const keys = await Promise.all(
        Array.from({ length: 8 }, () => loadOrCreateSigningKey(racePath)),
      );
      assert.equal(new Set(keys.map((key) => key.kid)).size, 1);
    });

    await t.step("its JWKS verifies what it signs and holds no private part", async () => {
      const key = await readSigningKey(path);
      const jwks = jwksOf(key);
      assert.equal(jwks.keys[0]!.d, undefined);
      const token = await new jose.SignJWT({ sub: "x" })
        .setProtectedHeader({ alg: "ES256", kid: key.kid })
        .setExpirationTime("1m")
        .sign(key.privateKey);
      const { payload } = await jose.jwtVerify(token, jose.createLocalJWKSet(jwks));
      assert.equal(payload.sub, "x");
    });

    await t.step("a file that is not a key set is refused with what to do", async () => {
      const bad = `${folder}/bad.json`;
      await Deno.writeTextFile(bad, '[{"kty":"oct","k":"abc"}]');
      await assert.rejects(() => readSigningKey(bad), {
        name: "TypeError",
        message: `Cannot read the signing keys in "${bad}": expected a JSON array whose first ` +
          "entry is a private P-256 JWK with a kid (delete the file and the stack makes a new one)",
      });
      await Deno.writeTextFile(bad, "{");
      await assert.rejects(() => readSigningKey(bad), {
        message: `Cannot read the signing keys in "${bad}": not JSON`,
      });
    });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
