/**
 * One font style as the PDF embeds it: a Type0 font, Identity-H encoding, over a CIDFontType2
 * whose program is the TrueType font subset to the glyphs drawn. Each distinct character drawn
 * gets its own CID (1, 2, 3 ... in order of first use) and the CID-to-glyph map points it at the
 * font's glyph, so the ToUnicode CMap names every character exactly, even where two characters
 * share a glyph, and pdftotext reads back the text as written.
 */
import { type FontStyle, loadFont } from "./font_data.ts";
import { pdfNumber, type PdfWriter } from "./pdf_writer.ts";
import { subsetTrueType } from "./truetype_subset.ts";

export interface EmbeddedFont {
  style: FontStyle;
  /** The resource name pages use for it: /F1 ... */
  resource: string;
  /** The CID for a drawable code point, assigned on first use, as four hex digits. */
  cidHex(codePoint: number): string;
  /** Whether anything was drawn in it. */
  used(): boolean;
  /** Writes its objects and returns the number of its Type0 font dictionary. */
  write(writer: PdfWriter): number;
}

function hex4(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, "0");
}

export function createEmbeddedFont(style: FontStyle, index: number): EmbeddedFont {
  const { name, font } = loadFont(style);
  const cids = new Map<number, string>();
  const codePoints: number[] = [0]; // by CID; CID 0 is .notdef
  return {
    style,
    resource: `F${index + 1}`,
    cidHex(codePoint) {
      let hex = cids.get(codePoint);
      if (hex === undefined) {
        hex = hex4(codePoints.length);
        cids.set(codePoint, hex);
        codePoints.push(codePoint);
      }
      return hex;
    },
    used: () => codePoints.length > 1,
    write(writer) {
      const glyphs = codePoints.map((code, cid) => cid === 0 ? 0 : font.glyphId(code));
      const scale = 1000 / font.unitsPerEm;
      const baseFont = `${subsetTag(index)}+${name}`;
      const [type0, cidFont, descriptor, file, cidToGid, toUnicode] = Array.from(
        { length: 6 },
        () => writer.reserve(),
      ) as [number, number, number, number, number, number];

      const cidToGidMap = new Uint8Array(2 * glyphs.length);
      glyphs.forEach((glyph, cid) => {
        cidToGidMap[2 * cid] = glyph >> 8;
        cidToGidMap[2 * cid + 1] = glyph & 0xff;
      });
      const widths = glyphs.slice(1).map((glyph) => pdfNumber(font.advance(glyph) * scale));

      writer.object(
        type0,
        `<< /Type /Font /Subtype /Type0 /BaseFont /${baseFont} /Encoding /Identity-H ` +
          `/DescendantFonts [${cidFont} 0 R] /ToUnicode ${toUnicode} 0 R >>`,
      );
      writer.object(
        cidFont,
        `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${baseFont} ` +
          `/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> ` +
          `/FontDescriptor ${descriptor} 0 R /DW 0 /W [1 [${widths.join(" ")}]] ` +
          `/CIDToGIDMap ${cidToGid} 0 R >>`,
      );
      const [xMin, yMin, xMax, yMax] = font.bbox.map((value) => pdfNumber(value * scale));
      writer.object(
        descriptor,
        `<< /Type /FontDescriptor /FontName /${baseFont} /Flags ${font.italicAngle ? 68 : 4} ` +
          `/FontBBox [${xMin} ${yMin} ${xMax} ${yMax}] /ItalicAngle ${font.italicAngle} ` +
          `/Ascent ${pdfNumber(font.ascent * scale)} /Descent ${pdfNumber(font.descent * scale)} ` +
          `/CapHeight ${pdfNumber(font.ascent * scale)} /StemV 80 /FontFile2 ${file} 0 R >>`,
      );
      writer.stream(file, subsetTrueType(font, glyphs));
      writer.stream(cidToGid, cidToGidMap);
      writer.stream(toUnicode, toUnicodeCMap(codePoints));
      return type0;
    },
  };
}

/** Six capital letters, distinct per font of the document (the PDF's subset-font naming). */
function subsetTag(index: number): string {
  return `GDCAA${String.fromCharCode(65 + index)}`;
}

/** The CMap from CID to Unicode (UTF-16BE) for CIDs 1..n, at most 100 per block as specified. */
export function toUnicodeCMap(codePoints: readonly number[]): string {
  const entries: string[] = [];
  for (let cid = 1; cid < codePoints.length; cid++) {
    if (cid % 100 === 1) {
      if (cid > 1) entries.push("endbfchar");
      entries.push(`${Math.min(100, codePoints.length - cid)} beginbfchar`);
    }
    entries.push(`<${hex4(cid)}> <${utf16Hex(codePoints[cid]!)}>`);
  }
  if (codePoints.length > 1) entries.push("endbfchar");
  return [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    "/CMapName /Adobe-Identity-UCS def",
    "/CMapType 2 def",
    "1 begincodespacerange",
    "<0000> <FFFF>",
    "endcodespacerange",
    ...entries,
    "endcmap",
    "CMapName currentdict /CMapResource defineresource pop",
    "end",
    "end",
  ].join("\n");
}

function utf16Hex(codePoint: number): string {
  if (codePoint < 0x10000) return hex4(codePoint);
  const offset = codePoint - 0x10000;
  return hex4(0xd800 + (offset >> 10)) + hex4(0xdc00 + (offset & 0x3ff));
}
