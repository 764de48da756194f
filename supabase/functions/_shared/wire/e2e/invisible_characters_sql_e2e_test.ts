/**
 * The TypeScript rule and the database's refuse exactly the same characters in the same places:
 * every code point Postgres can hold, between letters, and the joiners beside a sample of
 * neighbours (the context rule). Needs the local stack.
 */
import assert from "node:assert/strict";
import { adminSql } from "../../../../../test_support/local_stack.ts";
import { findInvisibleCharacter } from "../invisible_characters.ts";

const NEIGHBOURS = [
  "",
  "a",
  "Z",
  "1",
  " ",
  ".",
  "\t",
  "\u00A0",
  "\u3000",
  "ی",
  "्",
  "\uFE0F",
  "\u{1F468}",
  "—",
  "\u200C",
  "\u200D",
  "\u202E",
  "\x01",
];

Deno.test("the database refuses exactly what invisible_characters.ts refuses", async (t) => {
  const sql = adminSql();
  try {
    await t.step("every code point between two letters", async () => {
      const rows = await sql<{ cp: number }[]>`
        select cp from generate_series(1, 1114111) cp
        where (cp < 55296 or cp > 57343)
          and chat_internal.invisible_character_position('a' || chr(cp) || 'b') > 0`;
      const expected: number[] = [];
      for (let cp = 1; cp <= 0x10ffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        if (findInvisibleCharacter(`a${String.fromCodePoint(cp)}b`)) expected.push(cp);
      }
      assert.deepEqual(rows.map((row) => row.cp), expected);
    });

    await t.step("each joiner beside every pair of neighbours, at the same position", async () => {
      const texts = NEIGHBOURS.flatMap((before) =>
        NEIGHBOURS.flatMap((after) => ["\u200C", "\u200D"].map((j) => `x ${before}${j}${after}`))
      );
      const rows = await sql<{ position: number }[]>`
        select chat_internal.invisible_character_position(t) as position
        from unnest(${texts}::text[]) with ordinality u(t, n) order by n`;
      const expected = texts.map((text) => findInvisibleCharacter(text)?.position ?? 0);
      assert.deepEqual(rows.map((row) => row.position), expected);
      assert.ok(expected.some((p) => p === 0) && expected.some((p) => p > 0));
    });
  } finally {
    await sql.end();
  }
});
