// Types for the part of fontkit (2.0) that pdf_file.ts uses. @types/fontkit references Node's
// types, which replace some of Deno's global ones (see docx.d.ts).
export interface Font {
  hasGlyphForCodePoint(codePoint: number): boolean;
}
export function create(data: Uint8Array): Font;
