import assert from "node:assert/strict";
import { loadFont } from "./font_data.ts";
import { CJK, isCjk, NEWLINE, shapeRuns, SPACE } from "./shaped_text.ts";

const text = (codes: Uint32Array) => String.fromCodePoint(...codes);

Deno.test("tabs become four spaces, control characters go, \\n is a break", () => {
  const shaped = shapeRuns([{ text: "a\tb\u0007\nc", font: "regular" }], 10, new Set());
  assert.equal(text(shaped.codePoints), "a    b\nc");
  assert.deepEqual([...shaped.flags], [0, SPACE, SPACE, SPACE, SPACE, 0, NEWLINE, 0]);
});

Deno.test("a character the font lacks is drawn as ?, and recorded once, in order", () => {
  const missing = new Set<string>();
  const shaped = shapeRuns(
    [
      { text: "Ж你🙂", font: "regular" },
      { text: "你好", font: "bold" },
    ],
    10,
    missing,
  );
  assert.equal(text(shaped.codePoints), "Ж????");
  assert.deepEqual([...missing], ["你", "🙂", "好"]);
  assert.deepEqual([...shaped.flags], [0, CJK, 0, CJK, CJK]);
  assert.deepEqual([...shaped.runs], [0, 0, 0, 1, 1]);
});

Deno.test("each character is measured in its run's font at the size", () => {
  const shaped = shapeRuns(
    [{ text: "M", font: "regular" }, { text: "M", font: "bold" }],
    12,
    new Set(),
  );
  for (const [i, style] of (["regular", "bold"] as const).entries()) {
    const { font } = loadFont(style);
    assert.equal(shaped.widths[i], font.advance(font.glyphId(0x4d)) * 12 / font.unitsPerEm);
  }
  assert.notEqual(shaped.widths[0], shaped.widths[1]);
});

Deno.test("CJK: Han, kana, Hangul and full-width forms; not Latin, Cyrillic or emoji", () => {
  for (const char of "你カ한Ａ") assert.ok(isCjk(char.codePointAt(0)!), char);
  for (const char of "aЖ🙂—") assert.ok(!isCjk(char.codePointAt(0)!), char);
});
