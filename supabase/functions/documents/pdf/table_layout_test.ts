import assert from "node:assert/strict";
import { readPdf, squash } from "../../../../test_support/file_readers.ts";
import { parseMarkdown, type Tokens } from "../../_shared/document/markdown.ts";
import { renderPdf } from "../pdf_file.ts";
import { TEXT_WIDTH } from "./page_flow.ts";
import { columnWidths } from "./table_layout.ts";

function table(markdown: string): Tokens.Table {
  const [token] = parseMarkdown(markdown);
  assert.equal(token?.type, "table");
  return token as Tokens.Table;
}

Deno.test("column widths fill the text width by how much each column holds", () => {
  const widths = columnWidths(
    table("| Term | Detail |\n| --- | --- |\n| a | " + "x".repeat(60) + " |"),
    2,
    TEXT_WIDTH,
  );
  const total = widths.reduce((sum, width) => sum + width, 0);
  assert.ok(total <= TEXT_WIDTH - 20 && total > TEXT_WIDTH - 22, `${total}`);
  assert.ok(widths[1]! > widths[0]! * 5, `${widths}`);
  const narrow = columnWidths(
    table("| a | b |\n| - | - |\n| x | " + "y".repeat(500) + " |"),
    2,
    TEXT_WIDTH,
  );
  // By weight (1 against 80) it would get 6 pt; the floor keeps it near a sixth of its share.
  assert.ok(narrow[0]! > 30, `${narrow}`);
});

Deno.test("a long table repeats its header row on every page", async () => {
  const rows = Array.from({ length: 200 }, (_, i) => `| Term ${i} | Value ${i} |`).join("\n");
  const { bytes } = await renderPdf(parseMarkdown(`| Name | Amount |\n| --- | ---: |\n${rows}`), {
    title: "Table",
  });
  const pdf = await readPdf(bytes);
  const pages = pdf.text.split("\f").filter((page) => page.trim() !== "");
  assert.ok(pages.length >= 3, `${pages.length} pages`);
  for (const page of pages) assert.match(page.trimStart(), /^Name\s+Amount/);
  for (let i = 0; i < 200; i++) {
    assert.ok(squash(pdf.text).includes(`Term${i}Value${i}`), `row ${i}`);
  }
});

Deno.test("a cell's long unbroken string wraps inside its column", async () => {
  const long = "Z".repeat(300);
  const { bytes } = await renderPdf(parseMarkdown(`| a | b |\n| - | - |\n| ${long} | short |`), {
    title: "Wrap",
  });
  const pdf = await readPdf(bytes);
  assert.ok(squash(pdf.text).includes(long));
  assert.ok(Math.max(...pdf.text.split("\n").map((line) => line.length)) < 130);
});

Deno.test("beyond eight columns each row is drawn as header: value lines", async () => {
  const header = `| ${Array.from({ length: 12 }, (_, i) => `H${i}`).join(" | ")} |`;
  const rule = `|${" - |".repeat(12)}`;
  const row = (r: number) =>
    `| ${Array.from({ length: 12 }, (_, c) => `v${r}.${c}`).join(" | ")} |`;
  const { bytes } = await renderPdf(parseMarkdown(`${header}\n${rule}\n${row(1)}\n${row(2)}`), {
    title: "Wide",
  });
  const lines = (await readPdf(bytes)).text.split("\n").map((line) => line.trim()).filter(Boolean);
  assert.deepEqual(lines.slice(0, 3), ["H0: v1.0", "H1: v1.1", "H2: v1.2"]);
  assert.equal(lines[12], "H0: v2.0");
  assert.equal(lines.length, 24);
});
