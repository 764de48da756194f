// The PDF is tagged: read back by poppler (pdfinfo -struct-text), its structure tree holds every
// block in reading order with its text, decoration is not in it, and the catalog carries the
// language, MarkInfo and the XMP title.
import assert from "node:assert/strict";
import { readPdf, readPdfStructure } from "../../../../test_support/file_readers.ts";
import { pdfObjectText } from "../../../../test_support/pdf_objects.ts";
import { parseMarkdown } from "../../_shared/document/markdown.ts";
import { renderPdf } from "../pdf_file.ts";
import { StructureTree } from "./structure_tree.ts";

const MARKDOWN = [
  "# The title",
  "A paragraph with **bold** text.",
  "- deliverable A\n- deliverable B",
  "3. third\n4. fourth",
  "| Term | Detail |\n| --- | --- |\n| Law | New York |",
  "> A quote",
  "---",
  "Line one\\\nline two",
].join("\n\n");

async function rendered(markdown: string, title = "A title & <more>") {
  const { bytes } = await renderPdf(parseMarkdown(markdown), { title });
  return { bytes, raw: pdfObjectText(bytes) };
}

Deno.test("the structure tree holds every block in reading order, with its text", async () => {
  const { bytes } = await rendered(MARKDOWN);
  assert.equal(
    await readPdfStructure(bytes),
    [
      "Document",
      "  H1 (block)",
      '    "The title"',
      "  P (block)",
      '    "A paragraph with bold text."',
      "  L (block)",
      "    LI (block)",
      "      LBody (block)",
      "        P (block)",
      '          "deliverable A"',
      "    LI (block)",
      "      LBody (block)",
      "        P (block)",
      '          "deliverable B"',
      "  L (block)",
      "    LI (block)",
      "      Lbl (block)",
      '        "3."',
      "      LBody (block)",
      "        P (block)",
      '          "third"',
      "    LI (block)",
      "      Lbl (block)",
      '        "4."',
      "      LBody (block)",
      "        P (block)",
      '          "fourth"',
      "  Table (block)",
      "    TR",
      "      TH:",
      "         /Scope /Column",
      '        "Term"',
      "      TH:",
      "         /Scope /Column",
      '        "Detail"',
      "    TR",
      "      TD",
      '        "Law"',
      "      TD",
      '        "New York"',
      "  BlockQuote",
      "    P (block)",
      '      "A quote"',
      "  P (block)",
      '    "Line one"',
      '    "line two"',
      "",
    ].join("\n"),
  );
});

Deno.test("tagged, with language, title and XMP metadata", async () => {
  const { bytes, raw } = await rendered(MARKDOWN);
  const { info } = await readPdf(bytes);
  assert.equal(info.Tagged, "yes");
  assert.equal(info["Metadata Stream"], "yes");
  assert.equal(info.Title, "A title & <more>");
  assert.match(raw, /\/Lang <FEFF0065006E>/);
  assert.match(raw, /\/MarkInfo << \/Marked true >>/);
  assert.equal(
    raw.match(/\/S \/TH \/P \d+ 0 R \/Pg \d+ 0 R \/A << \/O \/Table \/Scope \/Column >>/g)?.length,
    2,
  );
  assert.match(raw, /\/ViewerPreferences << \/DisplayDocTitle true >>/);
  assert.match(raw, /<dc:title><rdf:Alt><rdf:li xml:lang="x-default">A title &amp; &lt;more&gt;</);
});

Deno.test("rules, bullets and a header repeated on a new page are artifacts", async () => {
  const rows = Array.from({ length: 120 }, (_, i) => `| row ${i} | value ${i} |`).join("\n");
  const { bytes } = await rendered(
    `- a bullet\n\n---\n\n| Term | Detail |\n| --- | --- |\n${rows}`,
  );
  const structure = await readPdfStructure(bytes);
  assert.equal(structure.match(/"Term"/g)?.length, 1, "the header row is in the tree once");
  assert.equal(structure.match(/^ {4}TR$/gm)?.length, 121);
  const { text, info } = await readPdf(bytes);
  assert.ok(Number(info.Pages) >= 2);
  assert.ok((text.match(/Term/g)?.length ?? 0) >= 2, "and drawn on every page");
});

Deno.test("StructureTree gives each page's marked content its own MCIDs", () => {
  const tree = new StructureTree();
  const flow = { pages: [[]] as unknown[], ops: [] as string[] };
  tree.within("P", () => {
    tree.mark(flow, tree.current, () => flow.ops.push("line one"));
    flow.pages.push([]);
    tree.mark(flow, tree.current, () => flow.ops.push("line two"));
  });
  assert.deepEqual(flow.ops, [
    "/P <</MCID 0>> BDC",
    "line one",
    "EMC",
    "/P <</MCID 0>> BDC",
    "line two",
    "EMC",
  ]);
  assert.deepEqual(tree.root.kids, [{
    type: "P",
    kids: [{ page: 0, mcid: 0 }, { page: 1, mcid: 0 }],
  }]);
  assert.equal(tree.pageParents.length, 2);
});

Deno.test("a paragraph across pages points at its content on each page", async () => {
  const { bytes, raw } = await rendered(`${"word ".repeat(9_000)}last-word`);
  const { info } = await readPdf(bytes);
  assert.ok(Number(info.Pages) >= 2);
  assert.match(raw, /\/S \/P \/P \d+ 0 R \/K \[<< \/Type \/MCR \/Pg \d+ 0 R \/MCID 0 >>/);
  const structure = await readPdfStructure(bytes);
  assert.match(structure, /^Document\n {2}P \(block\)\n/);
  assert.match(structure, /last-word"\n$/);
});
