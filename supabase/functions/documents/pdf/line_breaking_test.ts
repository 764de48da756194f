import assert from "node:assert/strict";
import { breakLines } from "./line_breaking.ts";
import { type ShapedText, shapeRuns } from "./shaped_text.ts";

/** Text where every character is one point wide, to read breaks off by count. */
function unitText(text: string): ShapedText {
  const shaped = shapeRuns([{ text, font: "regular" }], 10, new Set());
  shaped.widths.fill(1);
  return shaped;
}

function lineTexts(text: string, width: number): string[] {
  const shaped = unitText(text);
  return breakLines(shaped, width).map((line) =>
    String.fromCodePoint(...shaped.codePoints.subarray(line.start, line.end))
  );
}

Deno.test("greedy breaks at spaces, which are not drawn at a break", () => {
  assert.deepEqual(lineTexts("aaa bbb ccc dd", 7), ["aaa bbb", "ccc dd"]);
  assert.deepEqual(lineTexts("aaa   bbb", 9), ["aaa   bbb"]);
  assert.deepEqual(lineTexts("aaa   bbb", 8), ["aaa", "bbb"]);
  assert.deepEqual(lineTexts("a  ", 5), ["a"]);
});

Deno.test("a hard break always breaks; leading spaces after it stay when they fit", () => {
  assert.deepEqual(lineTexts("ab\n\n  cd\n", 10), ["ab", "", "  cd"]);
  assert.deepEqual(lineTexts("x\n    abcdefgh", 10), ["x", "abcdefgh"]);
});

Deno.test("a word wider than the line is cut by width", () => {
  assert.deepEqual(lineTexts("ab cdefghijkl mn", 5), ["ab", "cdefg", "hijkl", "mn"]);
  assert.deepEqual(lineTexts("abcdefghijk", 5), ["abcde", "fghij", "k"]);
  assert.deepEqual(lineTexts("abcdefghij x", 5), ["abcde", "fghij", "x"]);
  const widths = breakLines(unitText("abcdefghijk"), 5).map((line) => line.width);
  assert.deepEqual(widths, [5, 5, 1]);
});

Deno.test("a line breaks between two CJK characters, not between CJK and Latin", () => {
  assert.deepEqual(lineTexts("你好世界你好", 4), ["????", "??"]);
  assert.deepEqual(lineTexts("ab你好", 3), ["ab?", "?"]);
  assert.deepEqual(lineTexts("你ab", 2), ["?a", "b"]);
});

Deno.test("real widths: every line fits, and the lines hold the text in order", () => {
  const text = "Lorem ipsum dolor sit amet, ".repeat(40) + "x".repeat(300);
  const shaped = shapeRuns([{ text, font: "regular" }], 10.5, new Set());
  const lines = breakLines(shaped, 200);
  for (const line of lines) assert.ok(line.width <= 200 + 1e-6, `${line.width}`);
  let drawn = "";
  for (const line of lines) {
    drawn += String.fromCodePoint(...shaped.codePoints.subarray(line.start, line.end));
  }
  assert.equal(drawn.replace(/ /g, ""), text.replace(/ /g, ""));
});
