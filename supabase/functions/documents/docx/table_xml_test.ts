import assert from "node:assert/strict";
import { findAll, parseXml, textContent } from "../../../../test_support/xml_tree.ts";
import { parseMarkdown, type Tokens } from "../../_shared/document/markdown.ts";
import { cellMargin, columnWidths, pushTable } from "./table_xml.ts";

function table(markdown: string) {
  const [token] = parseMarkdown(markdown);
  assert.equal(token?.type, "table");
  const out: string[] = [];
  pushTable(out, token as Tokens.Table, (url) => `id:${url}`);
  return parseXml(out.join(""));
}

Deno.test("column widths fill the text width exactly", () => {
  for (const columns of [1, 2, 3, 7, 50, 9026]) {
    const widths = columnWidths(columns);
    assert.equal(widths.length, columns);
    assert.equal(widths.reduce((a, b) => a + b, 0), 9026, `${columns} columns`);
    assert.ok(Math.max(...widths) - Math.min(...widths) <= 1);
  }
});

Deno.test("a fixed-layout table with borders, a repeating bold header and aligned cells", () => {
  const root = table("| Term | Detail | N |\n| --- | :---: | --: |\n| a | **b** | 1 |\n| c |\n");
  assert.equal(findAll(root, "w:tblLayout")[0]?.attributes["w:type"], "fixed");
  assert.equal(findAll(root, "w:tblW")[0]?.attributes["w:w"], "9026");
  const borders = findAll(root, "w:tblBorders")[0]!;
  for (const side of ["top", "left", "bottom", "right", "insideH", "insideV"]) {
    assert.equal(findAll(borders, `w:${side}`)[0]?.attributes["w:val"], "single", side);
  }
  assert.deepEqual(
    findAll(root, "w:gridCol").map((col) => col.attributes["w:w"]),
    ["3009", "3009", "3008"],
  );
  const rows = findAll(root, "w:tr");
  assert.equal(rows.length, 3);
  assert.equal(findAll(rows[0]!, "w:tblHeader").length, 1);
  assert.equal(findAll(rows[1]!, "w:tblHeader").length, 0);
  assert.equal(findAll(rows[0]!, "w:b").length, 3, "every header cell is bold");
  assert.deepEqual(
    rows.map((row) => findAll(row, "w:tc").map(textContent)),
    [["Term", "Detail", "N"], ["a", "b", "1"], ["c", "", ""]],
  );
  assert.deepEqual(
    findAll(rows[1]!, "w:tc").map((cell) => findAll(cell, "w:jc")[0]?.attributes["w:val"]),
    [undefined, "center", "right"],
  );
  for (const cell of findAll(root, "w:tc")) {
    assert.equal(findAll(cell, "w:p").length, 1, "each cell holds a paragraph, empty ones too");
  }
});

Deno.test("links in cells are hyperlinks", () => {
  const root = table("| a |\n| - |\n| [x](https://e.com) |\n");
  assert.equal(findAll(root, "w:hyperlink")[0]?.attributes["r:id"], "id:https://e.com");
});

Deno.test("narrow columns get narrow cell margins, leaving their text room", () => {
  assert.equal(cellMargin(3008), 108);
  assert.equal(cellMargin(180), 18);
  const wide = table(`|${" h |".repeat(50)}\n|${" - |".repeat(50)}\n|${" v |".repeat(50)}\n`);
  const margins = findAll(wide, "w:tblCellMar")[0]!;
  assert.equal(findAll(margins, "w:left")[0]?.attributes["w:w"], "18");
  assert.equal(findAll(margins, "w:right")[0]?.attributes["w:w"], "18");
  assert.equal(findAll(table("| a | b |\n| - | - |\n"), "w:tblCellMar").length, 0);
});
