/**
 * Styled runs as a flat sequence of drawn characters with their widths, ready for line breaking:
 * one pass over the text, each character measured once. A tab is four spaces, other control
 * characters are dropped, "\n" is a hard line break, and a character the font cannot draw becomes
 * "?" (recorded in `missing`). Whether a character is CJK is kept from the character as written,
 * so a line may still break between two CJK characters drawn as "?".
 */
import { type FontStyle, loadFont } from "./font_data.ts";

export const REPLACEMENT = "?";
const REPLACEMENT_CODE = 0x3f;

/** Flags per character. */
export const SPACE = 1;
export const NEWLINE = 2;
export const CJK = 4;

export interface ShapedText {
  length: number;
  /** The code point drawn. */
  codePoints: Uint32Array;
  /** Its advance, in points. */
  widths: Float64Array;
  /** The index of the run it came from. */
  runs: Uint32Array;
  flags: Uint8Array;
}

export interface ShapeRun {
  text: string;
  font: FontStyle;
}

/**
 * Shapes `runs` at `size` points. `missing` collects the characters drawn as "?", in order of
 * first appearance.
 */
export function shapeRuns(
  runs: readonly ShapeRun[],
  size: number,
  missing: Set<string>,
): ShapedText {
  let capacity = 0;
  for (const run of runs) {
    capacity += run.text.length;
    for (let at = run.text.indexOf("\t"); at !== -1; at = run.text.indexOf("\t", at + 1)) {
      capacity += 3; // a tab becomes four spaces
    }
  }
  const codePoints = new Uint32Array(capacity);
  const widths = new Float64Array(capacity);
  const runIndex = new Uint32Array(capacity);
  const flags = new Uint8Array(capacity);
  const drawable = loadFont("regular").font; // every style covers the same characters
  let length = 0;
  runs.forEach((run, r) => {
    const { font } = loadFont(run.font);
    const scale = size / font.unitsPerEm;
    const push = (code: number, flag: number) => {
      codePoints[length] = code;
      widths[length] = flag & NEWLINE ? 0 : font.advance(font.glyphId(code)) * scale;
      runIndex[length] = r;
      flags[length] = flag;
      length++;
    };
    for (const char of run.text) {
      const code = char.codePointAt(0)!;
      if (code === 0x0a) push(code, NEWLINE);
      else if (code === 0x09) { for (let i = 0; i < 4; i++) push(0x20, SPACE); }
      else if (code < 0x20 || code === 0x7f) continue;
      else if (code === 0x20) push(code, SPACE);
      else if (drawable.glyphId(code) !== 0) push(code, isCjk(code) ? CJK : 0);
      else {
        missing.add(char);
        push(REPLACEMENT_CODE, isCjk(code) ? CJK : 0);
      }
    }
  });
  return {
    length,
    codePoints: codePoints.subarray(0, length),
    widths: widths.subarray(0, length),
    runs: runIndex.subarray(0, length),
    flags: flags.subarray(0, length),
  };
}

/**
 * Whether a line may break before or after the character when its neighbour is CJK too:
 * Han ideographs, kana, Hangul, and the CJK symbols and full-width forms.
 */
export function isCjk(code: number): boolean {
  return (code >= 0x2e80 && code <= 0x9fff) || (code >= 0xa960 && code <= 0xa97f) ||
    (code >= 0xac00 && code <= 0xd7ff) || (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xffef) ||
    (code >= 0x20000 && code <= 0x3ffff);
}
