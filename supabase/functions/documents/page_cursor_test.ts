import assert from "node:assert/strict";
import { decodeCursor, encodeCursor } from "./page_cursor.ts";

Deno.test("page cursors", async (t) => {
  const cursor = {
    createdAt: "2026-11-26T10:00:00.123456Z",
    id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
  };

  await t.step("round-trip as URL-safe text", () => {
    const text = encodeCursor(cursor);
    assert.match(text, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(text), cursor);
  });

  await t.step("refuse anything else with a RangeError", () => {
    for (
      const text of [
        "",
        "abc",
        btoa("[]"),
        btoa('["2026-11-26T10:00:00Z","0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90"]'),
        btoa('["2026-11-26T10:00:00.123456Z","not-a-uuid"]'),
        btoa("not json"),
      ]
    ) {
      assert.throws(() => decodeCursor(text), RangeError, JSON.stringify(text));
    }
  });
});
