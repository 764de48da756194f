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

  await t.step("keep a leap day and the first and last microsecond of a day", () => {
    for (const createdAt of ["2028-02-29T00:00:00.000000Z", "2026-12-31T23:59:59.999999Z"]) {
      assert.deepEqual(decodeCursor(encodeCursor({ ...cursor, createdAt })).createdAt, createdAt);
    }
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
        // the right shape, but no such instant: Postgres would refuse them
        btoa('["2026-13-45T25:61:61.000000Z","0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90"]'),
        btoa('["2026-02-30T10:00:00.000000Z","0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90"]'),
        btoa('["0000-01-01T00:00:00.000000Z","0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90"]'),
      ]
    ) {
      assert.throws(() => decodeCursor(text), RangeError, JSON.stringify(text));
    }
  });
});
