import assert from "node:assert/strict";
import { bearerToken } from "./bearer_token.ts";

Deno.test("bearerToken", async (t) => {
  await t.step("gives the credential after the scheme, in any case", () => {
    assert.equal(bearerToken("Bearer abc.def-ghi"), "abc.def-ghi");
    assert.equal(bearerToken("bearer sb_secret_x"), "sb_secret_x");
    assert.equal(bearerToken("BEARER k"), "k");
  });

  await t.step("allows spaces and tabs around the credential", () => {
    assert.equal(bearerToken("Bearer  \tabc \t"), "abc");
  });

  await t.step("gives undefined for a missing or empty header", () => {
    assert.equal(bearerToken(null), undefined);
    assert.equal(bearerToken(undefined), undefined);
    assert.equal(bearerToken(""), undefined);
  });

  await t.step("gives undefined for a header of another shape", () => {
    for (
      const header of [
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearerabc",
        "Bearer a b",
        "Token abc",
        " Bearer abc",
        "Bearer\u00a0abc",
      ]
    ) {
      assert.equal(bearerToken(header), undefined, JSON.stringify(header));
    }
  });
});
