import assert from "node:assert/strict";
import { tokenExpiresAt, tokenSubject } from "./jwt.ts";

function encode(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

function token(payload: unknown): string {
  return `${encode({ alg: "HS256", typ: "JWT" })}.${encode(payload)}.signature`;
}

Deno.test("tokenExpiresAt", async (t) => {
  await t.step("reads exp in seconds and returns milliseconds", () => {
    assert.equal(tokenExpiresAt(token({ sub: "u", exp: 1_700_000_000 })), 1_700_000_000_000);
  });

  await t.step("decodes base64url payloads with non-ASCII text and no padding", () => {
    const value = token({ exp: 2_000_000_000, email: "zoë+?>>@example.test", n: "ü~~~" });
    assert.match(value.split(".")[1]!, /[-_]/, "the payload uses the URL-safe alphabet");
    assert.equal(tokenExpiresAt(value), 2_000_000_000_000);
  });

  await t.step("returns null when there is no usable exp", () => {
    assert.equal(tokenExpiresAt(token({ sub: "u" })), null);
    assert.equal(tokenExpiresAt(token({ exp: "soon" })), null);
    assert.equal(tokenExpiresAt(token(null)), null);
    assert.equal(tokenExpiresAt("not-a-jwt"), null);
    assert.equal(tokenExpiresAt("a.%%%.c"), null);
    assert.equal(tokenExpiresAt(""), null);
  });
});

Deno.test("tokenSubject reads sub, and null when there is none", () => {
  assert.equal(tokenSubject(token({ sub: "8d0f-user" })), "8d0f-user");
  for (const payload of [{}, { sub: "" }, { sub: 42 }]) {
    assert.equal(tokenSubject(token(payload)), null);
  }
  assert.equal(tokenSubject("not a token"), null);
});
