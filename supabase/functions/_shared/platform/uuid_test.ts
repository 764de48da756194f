import assert from "node:assert/strict";
import { isUuid } from "./uuid.ts";

Deno.test("isUuid", async (t) => {
  await t.step("takes a UUID in either case, of any version", () => {
    assert.ok(isUuid(crypto.randomUUID()));
    assert.ok(isUuid(crypto.randomUUID().toUpperCase()));
    assert.ok(isUuid("00000000-0000-0000-0000-000000000000"));
    assert.ok(isUuid("12345678-1234-1234-1234-123456789abc"));
  });

  await t.step("refuses what is not one", () => {
    for (
      const value of [
        "",
        "nda",
        "s-1",
        `${crypto.randomUUID()}x`,
        ` ${crypto.randomUUID()}`,
        `{${crypto.randomUUID()}}`,
        crypto.randomUUID().replaceAll("-", ""),
        "g2345678-1234-1234-1234-123456789abc",
        "1' or '1'='1",
      ]
    ) {
      assert.equal(isUuid(value), false, JSON.stringify(value));
    }
  });

  await t.step("refuses what is not a string", () => {
    for (const value of [undefined, null, 7, {}, [crypto.randomUUID()]]) {
      assert.equal(isUuid(value), false, String(value));
    }
  });
});
