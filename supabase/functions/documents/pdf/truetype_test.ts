import assert from "node:assert/strict";
import { loadFont } from "./font_data.ts";
import { parseTrueType } from "./truetype.ts";

/** A minimal font file of the given tables (no checksums: the reader does not check them). */
function fontFile(tables: Record<string, Uint8Array>): Uint8Array {
  const tags = Object.keys(tables).sort();
  let offset = 12 + 16 * tags.length;
  const parts: Uint8Array[] = [];
  const header = new DataView(new ArrayBuffer(offset));
  header.setUint32(0, 0x00010000);
  header.setUint16(4, tags.length);
  tags.forEach((tag, i) => {
    for (let c = 0; c < 4; c++) header.setUint8(12 + 16 * i + c, tag.charCodeAt(c));
    header.setUint32(12 + 16 * i + 8, offset);
    header.setUint32(12 + 16 * i + 12, tables[tag]!.length);
    parts.push(tables[tag]!);
    offset += tables[tag]!.length;
  });
  const file = new Uint8Array(offset);
  file.set(new Uint8Array(header.buffer));
  let at = header.byteLength;
  for (const part of parts) {
    file.set(part, at);
    at += part.length;
  }
  return file;
}

/** Big-endian 16-bit words as bytes. */
function words(...values: number[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(2 * values.length));
  values.forEach((value, i) => view.setUint16(2 * i, value & 0xffff));
  return new Uint8Array(view.buffer);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** head, hhea, maxp and hmtx: `glyphs` glyphs, two metrics, the glyphs after them as wide as the second. */
function metricTables(glyphs: number, first: number, second: number) {
  const head = new Uint8Array(54);
  new DataView(head.buffer).setUint16(18, 1000);
  const hhea = new Uint8Array(36);
  const hheaView = new DataView(hhea.buffer);
  hheaView.setInt16(4, 800);
  hheaView.setInt16(6, -200);
  hheaView.setUint16(34, 2);
  const maxp = words(0, 0x5000, glyphs);
  const hmtx = concat(words(first, 0, second, 0), words(...Array(glyphs - 2).fill(0)));
  return { head, hhea, maxp, hmtx };
}

Deno.test("Roboto's metrics and cmap", () => {
  const { font } = loadFont("regular");
  assert.equal(font.unitsPerEm, 2048);
  assert.equal(font.ascent, 1900);
  assert.equal(font.descent, -500);
  assert.equal(font.glyphId(0x41), 37);
  assert.equal(font.advance(37), 1336);
  assert.notEqual(font.glyphId(0x416), 0, "Cyrillic Ж");
  assert.notEqual(font.glyphId(0x1ebf), 0, "Vietnamese ế");
  assert.equal(font.glyphId(0x4f60), 0, "no CJK");
  assert.equal(font.glyphId(0x1f642), 0, "no emoji");
  assert.equal(loadFont("italic").font.italicAngle, -12);
  assert.equal(loadFont("regular"), loadFont("regular"), "parsed once");
});

Deno.test("cmap format 4: delta and glyph-array segments", () => {
  // Segments: 0x41-0x43 by delta (glyphs 1-3), 0x61-0x62 through the glyph array, then 0xFFFF.
  const segments = 3;
  const cmapHeader = words(0, 1, 3, 1, 0, 12);
  const format4 = concat(
    words(4, 0, 0, 2 * segments, 0, 0, 0),
    words(0x43, 0x62, 0xffff), // ends
    words(0), // reserved pad
    words(0x41, 0x61, 0xffff), // starts
    words(1 - 0x41, 0, 1), // deltas
    words(0, 4, 0), // range offsets: the second points past itself and the third to the array
    words(4, 5), // glyph array
  );
  const font = parseTrueType(
    fontFile({ ...metricTables(6, 500, 600), cmap: concat(cmapHeader, format4) }),
  );
  assert.deepEqual([0x41, 0x42, 0x43, 0x61, 0x62, 0x44].map(font.glyphId), [1, 2, 3, 4, 5, 0]);
  assert.deepEqual([0, 1, 2, 5].map(font.advance), [500, 600, 600, 600]);
  assert.equal(font.unitsPerEm, 1000);
});

Deno.test("cmap format 12 reaches past the Basic Multilingual Plane", () => {
  const cmapHeader = words(0, 1, 3, 10, 0, 12);
  const format12 = concat(words(12, 0, 0, 28, 0, 0, 0, 1), words(0x1, 0xf600, 0x1, 0xf601, 0, 2));
  const font = parseTrueType(
    fontFile({ ...metricTables(4, 500, 600), cmap: concat(cmapHeader, format12) }),
  );
  assert.deepEqual([0x1f600, 0x1f601, 0x1f602, 0xf600].map(font.glyphId), [2, 3, 0, 0]);
});

Deno.test("a file that is not TrueType is refused by name", () => {
  assert.throws(() => parseTrueType(new TextEncoder().encode("OTTO and more bytes")), {
    message: 'Cannot read font version "0x4f54544f": not TrueType',
  });
  const { cmap: _, ...noCmap } = { ...metricTables(2, 1, 2), cmap: 0 };
  assert.throws(() => parseTrueType(fontFile(noCmap)), {
    message: 'Cannot read the font: it has no "cmap" table',
  });
});
