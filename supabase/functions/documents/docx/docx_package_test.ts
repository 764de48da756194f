import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import { type DocxParts, zipDocx } from "./docx_package.ts";
import { PARTS } from "./package_index.ts";

function parts(): DocxParts {
  const entries = Object.values(PARTS).map(({ name }) => [name, `<x>${name} é 你好</x>`]);
  return Object.fromEntries(entries) as DocxParts;
}

Deno.test("every part is in the zip as UTF-8, [Content_Types].xml first", () => {
  const zip = zipDocx(parts(), new Date("2026-12-07T10:00:00Z"));
  const files = unzipSync(zip);
  assert.deepEqual(Object.keys(files), Object.values(PARTS).map((part) => part.name));
  assert.deepEqual(Object.keys(files)[0], "[Content_Types].xml");
  for (const [name, text] of Object.entries(parts())) {
    assert.equal(new TextDecoder().decode(files[name]), text);
  }
});

Deno.test("the parts are deflated", () => {
  const big = parts();
  big["word/document.xml"] = "<w:p/>".repeat(100_000);
  const zip = zipDocx(big, new Date());
  assert.ok(zip.length < 20_000, `${zip.length} bytes for 600 kB of XML`);
  // Local file header of the first entry: compression method 8 is deflate.
  assert.equal(new DataView(zip.buffer).getUint16(8, true), 8);
});
