import assert from "node:assert/strict";
import { loadFont } from "./font_data.ts";
import { parseTrueType, type TrueTypeFont } from "./truetype.ts";
import { checksum, subsetTrueType } from "./truetype_subset.ts";

/** The length of each glyph's outline, from the font's loca. */
function glyphLengths(font: TrueTypeFont): number[] {
  const view = new DataView(font.bytes.buffer, font.bytes.byteOffset, font.bytes.byteLength);
  const loca = font.tables.get("loca")!.offset;
  const at = (id: number) =>
    font.indexToLocFormat === 0 ? 2 * view.getUint16(loca + 2 * id) : view.getUint32(loca + 4 * id);
  return Array.from({ length: font.numGlyphs }, (_, id) => at(id + 1) - at(id));
}

const { font } = loadFont("regular");
const A = font.glyphId(0x41);
const aAcute = font.glyphId(0xc1); // Á: a composite of A and the acute accent

Deno.test("a subset keeps the glyph ids and draws only the glyphs asked for", () => {
  const subset = parseTrueType(subsetTrueType(font, [font.glyphId(0x42)]));
  const lengths = glyphLengths(subset);
  const original = glyphLengths(font);
  assert.equal(subset.numGlyphs, font.numGlyphs);
  assert.equal(subset.indexToLocFormat, 1);
  assert.equal(subset.glyphId(0x42), font.glyphId(0x42), "the cmap is kept");
  assert.equal(subset.advance(A), font.advance(A), "every advance is kept");
  const drawn = lengths.flatMap((length, id) => length > 0 ? [id] : []);
  assert.deepEqual(drawn, [0, font.glyphId(0x42)].sort((a, b) => a - b));
  assert.equal(lengths[font.glyphId(0x42)], original[font.glyphId(0x42)]);
  assert.ok(subset.bytes.length < font.bytes.length / 3, `${subset.bytes.length} bytes`);
  assert.equal(subset.tables.has("GPOS"), false);
});

Deno.test("a composite glyph brings its components", () => {
  const original = glyphLengths(font);
  assert.ok(original[aAcute]! > 0);
  const lengths = glyphLengths(parseTrueType(subsetTrueType(font, [aAcute])));
  const drawn = lengths.flatMap((length, id) => length > 0 ? [id] : []);
  assert.ok(drawn.includes(aAcute));
  assert.ok(drawn.includes(A), `A (${A}) among ${drawn}`);
  assert.ok(drawn.length >= 4, `.notdef, Á, A and the accent: ${drawn}`);
});

Deno.test("the subset's checksums hold", () => {
  const bytes = subsetTrueType(font, [A]);
  const subset = parseTrueType(bytes);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < subset.tables.size; i++) {
    const entry = 12 + 16 * i;
    if (view.getUint32(entry) === 0x68656164) continue; // head: its adjustment changes its sum
    assert.equal(
      view.getUint32(entry + 4),
      checksum(bytes, view.getUint32(entry + 8), view.getUint32(entry + 12)),
    );
  }
  assert.equal(checksum(bytes, 0, bytes.length), 0xb1b0afba);
});
