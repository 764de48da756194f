/**
 * The parts of a Word file zipped into one, with fflate (deflate; [Content_Types].xml first, as
 * Word and most readers expect). Synchronous: the whole file is in memory anyway, and the
 * asynchronous zip would only spread the same CPU time over worker threads the Edge Runtime
 * does not have.
 */
import { type Zippable, zipSync } from "fflate";
import { type PartName, PARTS } from "./package_index.ts";

export type DocxParts = Record<PartName, string>;

export function zipDocx(parts: DocxParts, modified: Date): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const files: Zippable = {};
  // Object keys keep their insertion order, which becomes the order in the zip.
  for (const { name } of Object.values(PARTS)) files[name] = encoder.encode(parts[name]);
  const zipped = zipSync(files, { level: 6, mtime: modified });
  return new Uint8Array(zipped.buffer as ArrayBuffer, zipped.byteOffset, zipped.byteLength);
}
