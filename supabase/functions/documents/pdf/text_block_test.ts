import assert from "node:assert/strict";
import { createEmbeddedFont } from "./embedded_font.ts";
import { FONT_STYLES } from "./font_data.ts";
import { breakLines } from "./line_breaking.ts";
import { createFlow, TEXT_HEIGHT, TEXT_WIDTH } from "./page_flow.ts";
import { drawTextBlock, type LayoutContext, lineHeight, shapeInline } from "./text_block.ts";
import type { FontSet } from "./text_drawing.ts";

function context(): LayoutContext {
  const fonts = Object.fromEntries(
    FONT_STYLES.map((style, i) => [style, createEmbeddedFont(style, i)]),
  ) as unknown as FontSet;
  return {
    flow: createFlow(),
    fonts,
    missing: new Set(),
    x: 0,
    width: TEXT_WIDTH,
    italic: false,
    listDepth: 0,
    marker: {},
  };
}

Deno.test("runs get their fonts and decorations; a quote makes everything italic", () => {
  const plain = context();
  const styled = shapeInline(plain, [
    { text: "a", bold: true },
    { text: "b", italic: true, link: "https://example.com" },
    { text: "c", code: true, strike: true },
  ], { size: 10 });
  assert.deepEqual(styled.styles.map((style) => style.font), ["bold", "italic", "regular"]);
  assert.equal(styled.styles[1]!.underline, true);
  assert.ok(styled.styles[1]!.color);
  assert.equal(styled.styles[2]!.strike, true);
  assert.ok(styled.styles[2]!.background);
  const quoted = shapeInline(
    { ...plain, italic: true },
    [{ text: "a", bold: true }, { text: "b" }],
    {
      size: 10,
    },
  );
  assert.deepEqual(quoted.styles.map((style) => style.font), ["boldItalic", "italic"]);
});

Deno.test("a long paragraph flows across pages, line by line", () => {
  const layout = context();
  const words = "word ".repeat(12_000);
  drawTextBlock(layout, [{ text: words }], { size: 10.5, marginBottom: 6 });
  const perPage = Math.floor(TEXT_HEIGHT / lineHeight(10.5));
  // Each line is its own marked content: BDC, the line, EMC (structure_tree.ts).
  const drawn = (ops: string[]) => ops.filter((op) => !/ BDC$|^EMC$/.test(op)).length;
  const lines = layout.flow.pages.reduce((sum, ops) => sum + drawn(ops), 0);
  assert.ok(layout.flow.pages.length >= 2);
  assert.equal(drawn(layout.flow.pages[0]!), perPage, "the first page is full");
  assert.equal(layout.flow.pages[0]!.length, 3 * perPage, "each line marked");
  assert.ok(layout.flow.y <= TEXT_HEIGHT);
  const expected = breakLines(
    shapeInline(context(), [{ text: words }], { size: 10.5 }).text,
    TEXT_WIDTH,
  );
  assert.equal(lines, expected.length, "every line drawn once");
});

Deno.test("a list marker is drawn once, with the first line", () => {
  const layout = context();
  const baselines: number[] = [];
  layout.marker.draw = (baseline) => baselines.push(baseline);
  drawTextBlock(layout, [{ text: "one\ntwo\nthree" }], { size: 10 });
  assert.equal(baselines.length, 1);
  assert.ok(baselines[0]! > 0 && baselines[0]! < lineHeight(10));
  assert.equal(layout.marker.draw, undefined);
});
