/**
 * The parts of a TrueType font a PDF writer needs: which glyph draws a code point (cmap formats 4
 * and 12), how wide each glyph is (hmtx), the font's units per em, ascent, descent and bounding
 * box, and the table directory that subsetting (truetype_subset.ts) rewrites. One pass over the
 * tables it reads; the cmap becomes a Map once, so each lookup after that is constant time.
 */

export interface TableRecord {
  offset: number;
  length: number;
}

export interface TrueTypeFont {
  /** The font file as given. */
  bytes: Uint8Array;
  tables: ReadonlyMap<string, TableRecord>;
  unitsPerEm: number;
  /** hhea's ascender and descender, in font units (descent is negative). */
  ascent: number;
  descent: number;
  /** head's xMin, yMin, xMax, yMax, in font units. */
  bbox: [number, number, number, number];
  /** post's italic angle in degrees (0 when the font has no post table). */
  italicAngle: number;
  numGlyphs: number;
  /** head's indexToLocFormat: 0 for 16-bit loca offsets (halved), 1 for 32-bit. */
  indexToLocFormat: number;
  /** The glyph id for a code point, 0 (.notdef) when the font has none. */
  glyphId(codePoint: number): number;
  /** A glyph's advance width in font units. */
  advance(glyphId: number): number;
}

/** Parses a TrueType (glyf-outline) font file. */
export function parseTrueType(bytes: Uint8Array): TrueTypeFont {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12) throw new Error(`Cannot read a font of ${bytes.byteLength} bytes`);
  const version = view.getUint32(0);
  if (version !== 0x00010000 && version !== 0x74727565) {
    throw new Error(`Cannot read font version "0x${version.toString(16)}": not TrueType`);
  }
  const tables = new Map<string, TableRecord>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const at = 12 + 16 * i;
    const tag = String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
    tables.set(tag, { offset: view.getUint32(at + 8), length: view.getUint32(at + 12) });
  }
  const table = (tag: string): number => {
    const record = tables.get(tag);
    if (!record) throw new Error(`Cannot read the font: it has no "${tag}" table`);
    return record.offset;
  };

  const head = table("head");
  const hhea = table("hhea");
  const numberOfHMetrics = view.getUint16(hhea + 34);
  const hmtx = table("hmtx");
  const numGlyphs = view.getUint16(table("maxp") + 4);
  const post = tables.get("post");
  const advances = new Uint16Array(numGlyphs);
  for (let glyph = 0; glyph < numGlyphs; glyph++) {
    // Glyphs past numberOfHMetrics share the last advance (monospaced tails).
    advances[glyph] = view.getUint16(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));
  }
  const cmap = readCmap(view, table("cmap"));

  return {
    bytes,
    tables,
    unitsPerEm: view.getUint16(head + 18),
    ascent: view.getInt16(hhea + 4),
    descent: view.getInt16(hhea + 6),
    bbox: [
      view.getInt16(head + 36),
      view.getInt16(head + 38),
      view.getInt16(head + 40),
      view.getInt16(head + 42),
    ],
    italicAngle: post ? view.getInt32(post.offset + 4) / 65536 : 0,
    numGlyphs,
    indexToLocFormat: view.getInt16(head + 50),
    glyphId: (codePoint) => cmap.get(codePoint) ?? 0,
    advance: (glyphId) => advances[glyphId] ?? 0,
  };
}

/**
 * The code point to glyph map of the best Unicode subtable: format 12 (full Unicode) when the
 * font has one, else format 4 (the Basic Multilingual Plane).
 */
function readCmap(view: DataView, cmap: number): Map<number, number> {
  let format4: number | undefined;
  let format12: number | undefined;
  const count = view.getUint16(cmap + 2);
  for (let i = 0; i < count; i++) {
    const platform = view.getUint16(cmap + 4 + 8 * i);
    const encoding = view.getUint16(cmap + 6 + 8 * i);
    const subtable = cmap + view.getUint32(cmap + 8 + 8 * i);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = view.getUint16(subtable);
    if (format === 12) format12 ??= subtable;
    else if (format === 4) format4 ??= subtable;
  }
  if (format12 !== undefined) return readFormat12(view, format12);
  if (format4 !== undefined) return readFormat4(view, format4);
  throw new Error("Cannot read the font: its cmap has no Unicode subtable of format 4 or 12");
}

function readFormat4(view: DataView, at: number): Map<number, number> {
  const map = new Map<number, number>();
  const segments = view.getUint16(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + 2 * segments + 2; // after the reserved pad
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  for (let s = 0; s < segments; s++) {
    const end = view.getUint16(ends + 2 * s);
    const start = view.getUint16(starts + 2 * s);
    const delta = view.getUint16(deltas + 2 * s);
    const rangeOffsetAt = rangeOffsets + 2 * s;
    const rangeOffset = view.getUint16(rangeOffsetAt);
    for (let code = start; code <= end && code !== 0xffff; code++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (code + delta) & 0xffff;
      else {
        // The offset is relative to where it is stored, into glyphIdArray.
        const glyphAt = rangeOffsetAt + rangeOffset + 2 * (code - start);
        glyph = view.getUint16(glyphAt);
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph !== 0) map.set(code, glyph);
    }
  }
  return map;
}

function readFormat12(view: DataView, at: number): Map<number, number> {
  const map = new Map<number, number>();
  const groups = view.getUint32(at + 12);
  for (let g = 0; g < groups; g++) {
    const group = at + 16 + 12 * g;
    const start = view.getUint32(group);
    const end = view.getUint32(group + 4);
    const glyph = view.getUint32(group + 8);
    for (let code = start; code <= end; code++) {
      if (glyph + code - start !== 0) map.set(code, glyph + code - start);
    }
  }
  return map;
}
