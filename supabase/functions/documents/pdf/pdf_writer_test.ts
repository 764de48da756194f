import assert from "node:assert/strict";
import { unzlibSync } from "fflate";
import { createPdfWriter, pdfNumber, pdfTextString } from "./pdf_writer.ts";

/** Bytes as a string of the same char codes (TextDecoder's "latin1" is windows-1252). */
const binary = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join("");

/** The Flate-compressed data of the stream whose dictionary starts at `at`. */
function streamData(file: string, at: number): Uint8Array {
  const head = /<<([^]*?)>>\nstream\n/.exec(file.slice(at))!;
  const length = Number(/\/Length (\d+)/.exec(head[1]!)![1]);
  const start = at + head.index + head[0].length;
  return unzlibSync(Uint8Array.from(file.slice(start, start + length), (c) => c.charCodeAt(0)));
}

Deno.test("streams as they are; other objects in an object stream; a cross-reference stream", () => {
  const writer = createPdfWriter();
  const catalog = writer.reserve();
  const info = writer.reserve();
  const content = writer.reserve();
  const metadata = writer.reserve();
  writer.stream(content, "BT ET");
  writer.stream(metadata, "<x/>", "/Type /Metadata ", { compress: false });
  writer.object(catalog, "<< /Type /Catalog >>");
  writer.object(info, "<< /Producer (test) >>");
  const file = binary(writer.finish(catalog, info));

  assert.match(file, /^%PDF-1\.7\n%\xe2\xe3\xcf\xd3\n/);
  assert.ok(file.includes("4 0 obj\n<< /Length 4 /Type /Metadata >>\nstream\n<x/>\nendstream"));
  assert.ok(!file.includes("/Type /Catalog"), "the catalog is compressed");
  const xrefAt = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(file)![1]);
  // Objects 1-4, the object stream (5) and the cross-reference stream (6).
  assert.ok(
    file.startsWith("6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Info 2 0 R", xrefAt),
  );
  const table = streamData(file, xrefAt);
  const entry = (id: number) => {
    const row = table.subarray(id * 7, id * 7 + 7);
    return [
      row[0]!,
      (row[1]! << 24) | (row[2]! << 16) | (row[3]! << 8) | row[4]!,
      (row[5]! << 8) | row[6]!,
    ];
  };
  assert.equal(table.length, 7 * 7);
  assert.deepEqual(entry(0), [0, 0, 65535]);
  for (const id of [3, 4, 5, 6]) {
    const [type, offset] = entry(id);
    assert.equal(type, 1);
    assert.ok(file.startsWith(`${id} 0 obj\n`, offset), `object ${id} at ${offset}`);
  }
  assert.deepEqual(entry(1), [2, 5, 0], "the catalog is the first object of stream 5");
  assert.deepEqual(entry(2), [2, 5, 1]);

  const [, objstmAt] = entry(5);
  assert.match(
    file.slice(objstmAt!),
    /^5 0 obj\n<< \/Length \d+ \/Filter \/FlateDecode \/Type \/ObjStm \/N 2 \/First 9 >>/,
  );
  const objects = new TextDecoder().decode(streamData(file, objstmAt!));
  assert.equal(objects, "1 0 2 21\n<< /Type /Catalog >>\n<< /Producer (test) >>\n");
  assert.equal(new TextDecoder().decode(streamData(file, entry(3)[1]!)), "BT ET");
});

Deno.test("a hundred objects to an object stream", () => {
  const writer = createPdfWriter();
  const ids = Array.from({ length: 250 }, () => writer.reserve());
  for (const id of ids) writer.object(id, "null");
  const file = binary(writer.finish(ids[0]!, ids[1]!));
  assert.deepEqual([...file.matchAll(/\/Type \/ObjStm \/N (\d+)/g)].map((m) => Number(m[1])), [
    100,
    100,
    50,
  ]);
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
