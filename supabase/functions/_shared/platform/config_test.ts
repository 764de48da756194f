import assert from "node:assert/strict";
import { z } from "zod";
import { apiKeys, bindAddress, ConfigError, jwks, JWKS_FORMS, parseEnv } from "./config.ts";

const schema = z.object({
  SUPABASE_JWKS: jwks.optional().describe(JWKS_FORMS),
  SUPABASE_SECRET_KEYS: apiKeys("sb_secret_").optional().describe("the secret keys"),
});
const parse = (env: Record<string, string>) => parseEnv(schema, env);
const SECRET_KEY = "sb_secret_0123456789abcdefghijklmn";
const EC_KEY = { kty: "EC", crv: "P-256", x: "x", y: "y", kid: "k1" };

Deno.test("SUPABASE_JWKS as a key set or a bare array", () => {
  for (const text of [JSON.stringify({ keys: [EC_KEY] }), JSON.stringify([EC_KEY])]) {
    assert.deepEqual(parse({ SUPABASE_JWKS: text }).SUPABASE_JWKS, { keys: [EC_KEY] });
  }
  const oct = { kty: "oct", k: "c2VjcmV0" };
  assert.deepEqual(parse({ SUPABASE_JWKS: JSON.stringify([oct]) }).SUPABASE_JWKS, {
    keys: [oct],
  });
});

Deno.test("SUPABASE_JWKS that is no key set stops the boot with one line", () => {
  for (
    const text of [
      "{nope",
      "[]",
      '{"keys":[]}',
      '{"kty":"EC"}',
      "[1]",
      '[{"kid":"no kty"}]',
      JSON.stringify([{ ...EC_KEY, d: "a private key" }]),
      JSON.stringify([{ kty: "oct", kid: "no secret" }]),
    ]
  ) {
    assert.throws(
      () => parse({ SUPABASE_JWKS: text }),
      new ConfigError(`Environment variable SUPABASE_JWKS is malformed: expected ${JWKS_FORMS}`),
      text,
    );
  }
});

Deno.test("SUPABASE_SECRET_KEYS as names to keys, an array, or one bare key", () => {
  const other = "sb_secret_zyxwvutsrqponmlkjihgfedc";
  const cases: [string, string[]][] = [
    [JSON.stringify({ default: SECRET_KEY }), [SECRET_KEY]],
    [JSON.stringify({ default: SECRET_KEY, ci: other }), [SECRET_KEY, other]],
    [JSON.stringify([SECRET_KEY, other]), [SECRET_KEY, other]],
    [SECRET_KEY, [SECRET_KEY]],
    [` ${SECRET_KEY}\n`, [SECRET_KEY]],
    [JSON.stringify(SECRET_KEY), [SECRET_KEY]],
  ];
  for (const [text, keys] of cases) {
    assert.deepEqual(parse({ SUPABASE_SECRET_KEYS: text }).SUPABASE_SECRET_KEYS, keys, text);
  }
});

Deno.test("SUPABASE_SECRET_KEYS that holds no usable key is refused", () => {
  for (const text of ["{}", "[]", '{"default":42}', '{"default":"short"}', "short", "{broken"]) {
    assert.throws(
      () => parse({ SUPABASE_SECRET_KEYS: text }),
      new ConfigError(
        "Environment variable SUPABASE_SECRET_KEYS is malformed: expected the secret keys",
      ),
      text,
    );
  }
});

Deno.test("BIND_ADDRESS is loopback by default, an IP address or localhost when set", () => {
  const bind = z.object({ BIND_ADDRESS: bindAddress });
  assert.equal(parseEnv(bind, {}).BIND_ADDRESS, "127.0.0.1");
  assert.equal(parseEnv(bind, { BIND_ADDRESS: "" }).BIND_ADDRESS, "127.0.0.1"); // empty is unset
  for (const address of ["0.0.0.0", "::", "::1", "192.0.2.10", "localhost"]) {
    assert.equal(parseEnv(bind, { BIND_ADDRESS: address }).BIND_ADDRESS, address);
  }
  for (const address of ["0.0.0.0:8080", "example.com", "300.1.1.1"]) {
    assert.throws(() => parseEnv(bind, { BIND_ADDRESS: address }), ConfigError, address);
  }
});
