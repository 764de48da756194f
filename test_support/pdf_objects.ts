// A PDF's objects as text, for tests that look at its dictionaries: the file itself (latin1) and,
// after it, the decompressed content of each object stream (/Type /ObjStm), where the writer puts
// every object that is not a stream (documents/pdf/pdf_writer.ts).
import { unzlibSync } from "fflate";

export function pdfObjectText(bytes: Uint8Array): string {
  const file = new TextDecoder("latin1").decode(bytes);
  const streams = /<< \/Length (\d+) \/Filter \/FlateDecode \/Type \/ObjStm [^>]*>>\nstream\n/g;
  const parts = [file];
  for (const match of file.matchAll(streams)) {
    const start = match.index + match[0].length;
    const data = bytes.subarray(start, start + Number(match[1]));
    parts.push(new TextDecoder().decode(unzlibSync(data)));
  }
  return parts.join("\n");
}
