import assert from "node:assert/strict";
import { createEmbeddedFont, toUnicodeCMap } from "./embedded_font.ts";
import { createPdfWriter } from "./pdf_writer.ts";
import { pdfObjectText } from "../../../../test_support/pdf_objects.ts";

Deno.test("each distinct character gets the next CID, once", () => {
  const font = createEmbeddedFont("bold", 1);
  assert.equal(font.resource, "F2");
  assert.equal(font.used(), false);
  assert.deepEqual([0x41, 0x42, 0x41, 0x416].map(font.cidHex), ["0001", "0002", "0001", "0003"]);
  assert.equal(font.used(), true);
});

Deno.test("the ToUnicode CMap names every CID, 100 to a block, beyond the BMP as a pair", () => {
  const codePoints = [0, ...Array.from({ length: 149 }, (_, i) => 0x410 + i), 0x1f642];
  const cmap = toUnicodeCMap(codePoints);
  assert.deepEqual(cmap.match(/\d+ beginbfchar/g), ["100 beginbfchar", "50 beginbfchar"]);
  assert.equal(cmap.match(/endbfchar/g)?.length, 2);
  assert.match(cmap, /\n<0001> <0410>\n/);
  assert.match(cmap, /\n<0096> <D83DDE42>\n/);
  assert.match(cmap, /^\/CIDInit \/ProcSet findresource begin\n/);
});

Deno.test("the font objects: Type0 over CIDFontType2, Identity-H, widths of the CIDs used", () => {
  const font = createEmbeddedFont("regular", 0);
  font.cidHex(0x41); // A: 1336 units of 2048
  font.cidHex(0x20); // space: 508 units
  const writer = createPdfWriter();
  const id = font.write(writer);
  writer.object(writer.reserve(), "null");
  const bytes = writer.finish(id, id);
  // The dictionaries are in an object stream (pdf_writer.ts); pdfObjectText shows them.
  const file = pdfObjectText(bytes);
  assert.match(
    file,
    /\/Subtype \/Type0 \/BaseFont \/GDCAAA\+Roboto-Regular \/Encoding \/Identity-H/,
  );
  assert.match(file, /\/Subtype \/CIDFontType2 /);
  assert.match(file, /\/W \[1 \[652\.344 248\.047\]\]/);
  assert.match(file, /\/CIDToGIDMap \d+ 0 R/);
  assert.match(file, /\/FontFile2 \d+ 0 R/);
  assert.ok(bytes.length < 40_000, `a subset, not the whole 157 kB font: ${bytes.length} bytes`);
});
