/**
 * The PDF's four Roboto styles, as pdfmake paired them: Regular, Medium as bold, Italic and
 * Medium Italic. The files are TypeScript modules of base64 (fonts/, see its README), so the
 * hosted Edge Runtime bundles them with the function and nothing is read from disk. Each style
 * is decoded and parsed on first use, once per process.
 */
import regular from "./fonts/roboto_regular.ts";
import medium from "./fonts/roboto_medium.ts";
import italic from "./fonts/roboto_italic.ts";
import mediumItalic from "./fonts/roboto_medium_italic.ts";
import { parseTrueType, type TrueTypeFont } from "./truetype.ts";

export const FONT_STYLES = ["regular", "bold", "italic", "boldItalic"] as const;
export type FontStyle = typeof FONT_STYLES[number];

const SOURCES: Record<FontStyle, { name: string; base64: string }> = {
  regular: { name: "Roboto-Regular", base64: regular },
  bold: { name: "Roboto-Medium", base64: medium },
  italic: { name: "Roboto-Italic", base64: italic },
  boldItalic: { name: "Roboto-MediumItalic", base64: mediumItalic },
};

export interface LoadedFont {
  /** The PostScript-style name the PDF gives the font. */
  name: string;
  font: TrueTypeFont;
}

const loaded = new Map<FontStyle, LoadedFont>();

/** The font of a style, decoded on first use. */
export function loadFont(style: FontStyle): LoadedFont {
  let font = loaded.get(style);
  if (!font) {
    const { name, base64 } = SOURCES[style];
    font = { name, font: parseTrueType(decodeBase64(base64)) };
    loaded.set(style, font);
  }
  return font;
}

/** The style for a run's bold and italic flags. */
export function fontStyle(bold: boolean, italic: boolean): FontStyle {
  return bold ? (italic ? "boldItalic" : "bold") : (italic ? "italic" : "regular");
}

function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
