/**
 * A TrueType font cut down to the glyphs a PDF draws, for embedding (FontFile2). Glyph ids stay
 * as they are, so the PDF's widths and its CID-to-glyph map use the font's own ids: an unused
 * glyph keeps its slot but its outline is emptied, and loca is rewritten (32-bit offsets). The
 * components of a composite glyph are kept with it. The small tables stay as they are (cmap,
 * names, metrics, the hinting programs), so the file is still a whole font to any reader; only
 * the layout tables (GDEF, GPOS, GSUB), which a PDF never uses, are dropped. Linear in the
 * font's size.
 */
import type { TrueTypeFont } from "./truetype.ts";

const KEPT_TABLES = [
  "OS/2",
  "cmap",
  "cvt ",
  "fpgm",
  "gasp",
  "glyf",
  "head",
  "hhea",
  "hmtx",
  "loca",
  "maxp",
  "name",
  "post",
  "prep",
];

// Composite glyph component flags (the glyf table's specification).
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** The font with only `glyphIds` (and .notdef, and their components) drawn. */
export function subsetTrueType(font: TrueTypeFont, glyphIds: Iterable<number>): Uint8Array {
  const { bytes } = font;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const record = (tag: string) => {
    const found = font.tables.get(tag);
    if (!found) throw new Error(`Cannot subset the font: it has no "${tag}" table`);
    return found;
  };
  const glyf = record("glyf").offset;
  const loca = record("loca").offset;
  const glyphStart = (id: number) =>
    font.indexToLocFormat === 0 ? 2 * view.getUint16(loca + 2 * id) : view.getUint32(loca + 4 * id);

  const kept = new Uint8Array(font.numGlyphs);
  const pending: number[] = [0];
  for (const id of glyphIds) if (id >= 0 && id < font.numGlyphs) pending.push(id);
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (kept[id]) continue;
    kept[id] = 1;
    const start = glyphStart(id);
    if (glyphStart(id + 1) === start || view.getInt16(glyf + start) >= 0) continue;
    let at = glyf + start + 10; // a composite: its components follow the header
    for (;;) {
      const flags = view.getUint16(at);
      const component = view.getUint16(at + 2);
      if (component < font.numGlyphs && !kept[component]) pending.push(component);
      at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
      if (flags & WE_HAVE_A_SCALE) at += 2;
      else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
      else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
      if (!(flags & MORE_COMPONENTS)) break;
    }
  }

  let glyfLength = 0;
  for (let id = 0; id < font.numGlyphs; id++) {
    if (kept[id]) glyfLength += pad4(glyphStart(id + 1) - glyphStart(id));
  }
  const newGlyf = new Uint8Array(glyfLength);
  const newLoca = new Uint8Array(4 * (font.numGlyphs + 1));
  const locaView = new DataView(newLoca.buffer);
  let offset = 0;
  for (let id = 0; id < font.numGlyphs; id++) {
    locaView.setUint32(4 * id, offset);
    if (!kept[id]) continue;
    const start = glyphStart(id);
    const length = glyphStart(id + 1) - start;
    newGlyf.set(bytes.subarray(glyf + start, glyf + start + length), offset);
    offset += pad4(length);
  }
  locaView.setUint32(4 * font.numGlyphs, offset);

  const head = bytes.slice(record("head").offset, record("head").offset + record("head").length);
  const headView = new DataView(head.buffer);
  headView.setUint32(8, 0); // checkSumAdjustment, set once the file is whole
  headView.setInt16(50, 1); // indexToLocFormat: 32-bit offsets

  const tables = new Map<string, Uint8Array>();
  for (const tag of KEPT_TABLES) {
    const found = font.tables.get(tag);
    if (tag === "glyf") tables.set(tag, newGlyf);
    else if (tag === "loca") tables.set(tag, newLoca);
    else if (tag === "head") tables.set(tag, head);
    else if (found) tables.set(tag, bytes.subarray(found.offset, found.offset + found.length));
  }
  return writeFontFile(tables);
}

/** A font file of `tables`, with the directory sorted by tag and every checksum set. */
function writeFontFile(tables: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const tags = [...tables.keys()].sort();
  const headerLength = 12 + 16 * tags.length;
  let total = headerLength;
  for (const tag of tags) total += pad4(tables.get(tag)!.length);
  const file = new Uint8Array(total);
  const view = new DataView(file.buffer);
  const entrySelector = Math.floor(Math.log2(tags.length));
  view.setUint32(0, 0x00010000);
  view.setUint16(4, tags.length);
  view.setUint16(6, 16 * 2 ** entrySelector);
  view.setUint16(8, entrySelector);
  view.setUint16(10, 16 * tags.length - 16 * 2 ** entrySelector);
  let offset = headerLength;
  let headOffset = 0;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    file.set(data, offset);
    const entry = 12 + 16 * i;
    for (let c = 0; c < 4; c++) file[entry + c] = tag.charCodeAt(c);
    view.setUint32(entry + 4, checksum(file, offset, data.length));
    view.setUint32(entry + 8, offset);
    view.setUint32(entry + 12, data.length);
    if (tag === "head") headOffset = offset;
    offset += pad4(data.length);
  });
  if (tables.has("head")) {
    view.setUint32(headOffset + 8, (0xb1b0afba - checksum(file, 0, file.length)) >>> 0);
  }
  return file;
}

/** The sum of a table's 32-bit big-endian words, modulo 2^32 (zero-padded to a whole word). */
export function checksum(bytes: Uint8Array, offset: number, length: number): number {
  let sum = 0;
  const end = offset + length;
  for (let at = offset; at < end; at += 4) {
    const word = ((bytes[at] ?? 0) << 24 | (at + 1 < end ? bytes[at + 1]! : 0) << 16 |
      (at + 2 < end ? bytes[at + 2]! : 0) << 8 | (at + 3 < end ? bytes[at + 3]! : 0)) >>> 0;
    sum = (sum + word) >>> 0;
  }
  return sum;
}

function pad4(length: number): number {
  return (length + 3) & ~3;
}
