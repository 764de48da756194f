/**
 * PDF file structure: numbered objects, streams compressed with Flate (fflate's zlib), the
 * cross-reference table and the trailer. Objects are kept as byte chunks and joined once at
 * the end, so writing is linear in the file's size.
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

export function createPdfWriter(): PdfWriter {
  const chunks: Uint8Array[] = [];
  const offsets: number[] = [0]; // object 0 is the head of the free list
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
  const begin = (id: number) => {
    if (offsets[id] !== undefined) throw new Error(`Cannot write PDF object "${id}" twice`);
    offsets[id] = length;
    write(`${id} 0 obj\n`);
  };
  return {
    reserve: () => next++,
    object(id, body) {
      begin(id);
      write(`${body}\nendobj\n`);
    },
    stream(id, data, dictionary = "", { compress = true } = {}) {
      const raw = typeof data === "string" ? encoder.encode(data) : data;
      const bytes = compress ? zlibSync(raw, { level: 6 }) : raw;
      const filter = compress ? "/Filter /FlateDecode " : "";
      begin(id);
      write(`<< /Length ${bytes.length} ${filter}${dictionary}>>\nstream\n`);
      write(bytes);
      write("\nendstream\nendobj\n");
    },
    finish(root, info) {
      const count = next;
      const xref = length;
      const rows = [`xref\n0 ${count}\n`, "0000000000 65535 f \n"];
      for (let id = 1; id < count; id++) {
        const offset = offsets[id];
        if (offset === undefined) {
          throw new Error(`Cannot finish the PDF: object "${id}" is unwritten`);
        }
        rows.push(`${String(offset).padStart(10, "0")} 00000 n \n`);
      }
      write(rows.join(""));
      write(
        `trailer\n<< /Size ${count} /Root ${root} 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
      );
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
