import assert from "node:assert/strict";
import { unzlibSync } from "fflate";
import { createPdfWriter, pdfNumber, pdfTextString } from "./pdf_writer.ts";

/** Bytes as a string of the same char codes (TextDecoder's "latin1" is windows-1252). */
const binary = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join("");

Deno.test("objects, a compressed stream, and an xref whose offsets point at each object", () => {
  const writer = createPdfWriter();
  const catalog = writer.reserve();
  const info = writer.reserve();
  const content = writer.reserve();
  writer.stream(content, "BT ET");
  writer.object(catalog, "<< /Type /Catalog >>");
  writer.object(info, "<< /Producer (test) >>");
  const file = binary(writer.finish(catalog, info));

  assert.match(file, /^%PDF-1\.7\n%\xe2\xe3\xcf\xd3\n/);
  const xrefAt = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(file)![1]);
  const rows = file.slice(xrefAt).split("\n");
  assert.equal(rows[0], "xref");
  assert.equal(rows[1], "0 4");
  assert.equal(rows[2], "0000000000 65535 f ");
  for (const id of [1, 2, 3]) {
    const offset = Number(rows[2 + id]!.slice(0, 10));
    assert.ok(file.startsWith(`${id} 0 obj\n`, offset), `object ${id} at ${offset}`);
  }
  assert.match(file, /trailer\n<< \/Size 4 \/Root 1 0 R \/Info 2 0 R >>/);

  const stream = /3 0 obj\n<< \/Length (\d+) \/Filter \/FlateDecode >>\nstream\n/.exec(file)!;
  const start = stream.index + stream[0].length;
  const data = Uint8Array.from(
    file.slice(start, start + Number(stream[1])),
    (c) => c.charCodeAt(0),
  );
  assert.equal(new TextDecoder().decode(unzlibSync(data)), "BT ET");
});

Deno.test("an object written twice, or never, is refused by number", () => {
  const writer = createPdfWriter();
  const id = writer.reserve();
  writer.object(id, "null");
  assert.throws(() => writer.object(id, "null"), { message: 'Cannot write PDF object "1" twice' });
  const missing = writer.reserve();
  assert.throws(() => writer.finish(id, id), {
    message: `Cannot finish the PDF: object "${missing}" is unwritten`,
  });
});

Deno.test("text strings are UTF-16BE with a byte order mark; numbers have three decimals", () => {
  assert.equal(pdfTextString("Aé Ж"), "<FEFF004100E900200416>");
  assert.equal(pdfTextString("🙂"), "<FEFFD83DDE42>");
  assert.equal(pdfNumber(1.23456), "1.235");
  assert.equal(pdfNumber(-0.0001), "0");
  assert.equal(pdfNumber(595.28), "595.28");
});
