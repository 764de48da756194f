/**
 * PDF file structure: numbered objects, streams compressed with Flate (fflate's zlib), and a
 * cross-reference stream (PDF 1.5). Objects that are not streams go into compressed object
 * streams, a hundred to a stream: a tagged PDF has an object per structure element (a table
 * cell, a list item), tens of thousands at the maximum, and written plainly they made the file
 * of a 50-column table 5 MB instead of 0.7. Chunks are joined once at the end, so writing is
 * linear in the file's size.
 */
import { zlibSync } from "fflate";

export interface PdfWriter {
  /** A new object number, to refer to before the object is written. */
  reserve(): number;
  /** Writes object `id` as a dictionary, array or other value written as PDF syntax. */
  object(id: number, body: string): void;
  /**
   * Writes object `id` as a stream, Flate-compressed unless `compress` is false, with
   * `dictionary` entries besides.
   */
  stream(
    id: number,
    data: Uint8Array | string,
    dictionary?: string,
    options?: { compress?: boolean },
  ): void;
  /** The whole file, with `root` as the catalog and `info` as the document information. */
  finish(root: number, info: number): Uint8Array<ArrayBuffer>;
}

const encoder = new TextEncoder();
/** Objects per object stream: small enough to decompress quickly, large enough to compress. */
const OBJECTS_PER_STREAM = 100;
/** Any character outside ASCII (one byte each in UTF-8). */
const NON_ASCII = /[^\p{ASCII}]/u;

/** Where an object is: at a byte offset of the file, or the `index`-th of object stream `stream`. */
type Location = { offset: number } | { stream: number; index: number };

export function createPdfWriter(): PdfWriter {
  const chunks: Uint8Array[] = [];
  const locations: (Location | undefined)[] = [];
  let length = 0;
  const write = (chunk: Uint8Array | string) => {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    chunks.push(bytes);
    length += bytes.length;
  };
  write("%PDF-1.7\n");
  // A comment of bytes above 127 tells transfer tools that the file is binary.
  write(new Uint8Array([0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]));
  let next = 1;
  let pending: { id: number; body: string }[] = [];
  const claim = (id: number, location: Location) => {
    if (locations[id] !== undefined) throw new Error(`Cannot write PDF object "${id}" twice`);
    locations[id] = location;
  };
  const writeStream = (
    id: number,
    raw: Uint8Array,
    dictionary: string,
    compress: boolean,
    level: 1 | 6 = 6,
  ) => {
    const bytes = compress ? zlibSync(raw, { level }) : raw;
    const filter = compress ? "/Filter /FlateDecode " : "";
    claim(id, { offset: length });
    write(`${id} 0 obj\n<< /Length ${bytes.length} ${filter}${dictionary}>>\nstream\n`);
    write(bytes);
    write("\nendstream\nendobj\n");
  };
  const flush = () => {
    if (pending.length === 0) return;
    const id = next++;
    const offsets: string[] = [];
    let at = 0;
    pending.forEach((object, index) => {
      locations[object.id] = { stream: id, index };
      offsets.push(`${object.id} ${at}`);
      // Offsets are in bytes: a body is nearly always ASCII, where a character is a byte.
      at +=
        (!NON_ASCII.test(object.body) ? object.body.length : encoder.encode(object.body).length) +
        1;
    });
    const header = offsets.join(" ") + "\n";
    const data = encoder.encode(header + pending.map((object) => `${object.body}\n`).join(""));
    // Level 1: the structure's objects repeat a few keys, which the fastest level already finds;
    // level 6 spent more CPU on them than on the page contents, for a few percent of size.
    writeStream(id, data, `/Type /ObjStm /N ${pending.length} /First ${header.length} `, true, 1);
    pending = [];
  };
  return {
    reserve: () => next++,
    object(id, body) {
      // Claimed now, for the duplicate check; flush gives its place in the stream.
      claim(id, { stream: 0, index: 0 });
      pending.push({ id, body });
      if (pending.length >= OBJECTS_PER_STREAM) flush();
    },
    stream(id, data, dictionary = "", { compress = true } = {}) {
      writeStream(id, typeof data === "string" ? encoder.encode(data) : data, dictionary, compress);
    },
    finish(root, info) {
      flush();
      const xref = next++;
      const count = next;
      const xrefOffset = length;
      locations[xref] = { offset: xrefOffset };
      // Each entry: type (1 byte), offset or object stream (4), generation or index (2).
      const table = new Uint8Array(count * 7);
      table.set([0, 0, 0, 0, 0, 0xff, 0xff], 0); // object 0: the head of the free list
      for (let id = 1; id < count; id++) {
        const location = locations[id];
        if (location === undefined) {
          throw new Error(`Cannot finish the PDF: object "${id}" is unwritten`);
        }
        const [type, field, second] = "offset" in location
          ? [1, location.offset, 0]
          : [2, location.stream, location.index];
        table.set([
          type,
          (field >>> 24) & 0xff,
          (field >>> 16) & 0xff,
          (field >>> 8) & 0xff,
          field & 0xff,
          (second >>> 8) & 0xff,
          second & 0xff,
        ], id * 7);
      }
      const compressed = zlibSync(table, { level: 6 });
      write(
        `${xref} 0 obj\n<< /Type /XRef /Size ${count} /W [1 4 2] /Root ${root} 0 R ` +
          `/Info ${info} 0 R /Length ${compressed.length} /Filter /FlateDecode >>\nstream\n`,
      );
      write(compressed);
      write(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`);
      const file = new Uint8Array(length);
      let at = 0;
      for (const chunk of chunks) {
        file.set(chunk, at);
        at += chunk.length;
      }
      return file;
    },
  };
}

/** A text string for the document information (UTF-16BE with its byte order mark, in hex). */
export function pdfTextString(text: string): string {
  const units = Array.from(
    { length: text.length },
    (_, i) => text.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0"),
  );
  return `<FEFF${units.join("")}>`;
}

/** A number as PDF writes it: at most three decimals, no exponent. */
export function pdfNumber(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}
