import assert from "node:assert/strict";
import { FONT_STYLES, fontStyle, loadFont } from "./font_data.ts";

Deno.test("bold and italic pick pdfmake's Roboto styles", () => {
  assert.equal(fontStyle(false, false), "regular");
  assert.equal(fontStyle(true, false), "bold");
  assert.equal(fontStyle(false, true), "italic");
  assert.equal(fontStyle(true, true), "boldItalic");
  assert.deepEqual(FONT_STYLES.map((style) => loadFont(style).name), [
    "Roboto-Regular",
    "Roboto-Medium",
    "Roboto-Italic",
    "Roboto-MediumItalic",
  ]);
});

Deno.test("each style is decoded once and its widths differ from the others", () => {
  assert.equal(loadFont("bold"), loadFont("bold"));
  const widthOfM = (style: typeof FONT_STYLES[number]) => {
    const { font } = loadFont(style);
    return font.advance(font.glyphId(0x4d));
  };
  assert.notEqual(widthOfM("regular"), widthOfM("bold"));
});
