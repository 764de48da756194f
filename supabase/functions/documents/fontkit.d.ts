// Types for the part of fontkit (2.0) that pdf_file.ts uses. @types/fontkit references Node's
// types (`/// <reference types="node" />`), which replace some of Deno's global ones (Event,
// CryptoKey) in every module type-checked with them.
export interface Font {
  hasGlyphForCodePoint(codePoint: number): boolean;
}
export function create(data: Uint8Array): Font;
