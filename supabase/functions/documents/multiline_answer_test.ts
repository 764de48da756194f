// A long answer with line breaks and simple lists keeps them in every format a person sees: the
// review preview (documentToHtml, as the demo page renders it), the Markdown, HTML, DOCX (read
// back with mammoth) and PDF (pdftotext) downloads. The rest of its text stays text.
import assert from "node:assert/strict";
import { documentToHtml } from "../_shared/document/markdown_html.ts";
import { assembleDocument } from "../_shared/template/document_assembly.ts";
import { parseTemplate } from "../_shared/template/template.ts";
import { findInvisibleCharacter } from "../_shared/wire/invisible_characters.ts";
import { readDocx, readPdf } from "../../../test_support/file_readers.ts";
import { renderDownload } from "./download.ts";

const SERVICES = [
  "Line one of the services",
  "line two, mailed to a@b.co",
  "",
  "- deliverable A",
  "* deliverable B",
  "",
  "1. first step",
  "2. # second step",
].join("\n");

const template = parseTemplate({
  id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
  slug: "services",
  name: "Services",
  questions: [{ id: "services", text: "Which services?", type: "long_text" }],
  body: "# Services\n\nThe services are:\n\n{{services}}\n\nEnd of the services.\n",
});
const assembled = assembleDocument(template, new Map([["services", SERVICES]]));
const stored = { title: assembled.title, content: assembled.content, format: "markdown" as const };

async function download(format: "md" | "html" | "docx" | "pdf") {
  return (await renderDownload(stored, format)).body;
}

/** The HTML's list items and paragraphs in order, tags inside them kept. */
function blocks(html: string): string[] {
  return [...html.replace(/\n/g, "").matchAll(/<(p|li|h1)>(.*?)<\/\1>/g)].map((m) =>
    `${m[1]}: ${m[2]!.replace(/<br\s*\/?>/g, " | ")}`
  );
}

const EXPECTED_BLOCKS = [
  "h1: Services",
  "p: The services are:",
  "p: Line one of the services | line two, mailed to a@b.co",
  "li: deliverable A",
  "li: deliverable B",
  "li: first step",
  "li: # second step",
  "p: End of the services.",
];

Deno.test("the document adds no character the invisible-character rule refuses", () => {
  // The line breaks are "\\" + LF and the lists "- " / "1. ": what SQL (CH416) checks stays clean.
  assert.equal(findInvisibleCharacter(stored.content), undefined);
  assert.equal(findInvisibleCharacter(SERVICES), undefined);
});

Deno.test("the review preview shows the lines and the lists", () => {
  const html = documentToHtml(stored);
  assert.deepEqual(blocks(html), EXPECTED_BLOCKS);
  assert.match(html.replace(/\n/g, ""), /<ul><li>deliverable A<\/li><li>deliverable B<\/li><\/ul>/);
  assert.match(html.replace(/\n/g, ""), /<ol><li>first step<\/li><li># second step<\/li><\/ol>/);
});

Deno.test("Markdown: the lines and lists as typed, no escapes in them", async () => {
  const markdown = new TextDecoder().decode(await download("md"));
  assert.ok(
    markdown.includes(
      "Line one of the services\\\nline two, mailed to a@b.co\n\n" +
        "- deliverable A\n- deliverable B\n\n1. first step\n2. \\# second step\n",
    ),
    markdown,
  );
});

Deno.test("HTML: a line break and real lists", async () => {
  const html = new TextDecoder().decode(await download("html"));
  assert.deepEqual(blocks(html), EXPECTED_BLOCKS);
});

Deno.test("DOCX: a line break inside the paragraph, list items as Word lists", async () => {
  const { html, text } = await readDocx(await download("docx"));
  assert.deepEqual(blocks(html), EXPECTED_BLOCKS);
  assert.match(html, /<ul><li>deliverable A<\/li><li>deliverable B<\/li><\/ul>/);
  assert.match(html, /<ol><li>first step<\/li><li># second step<\/li><\/ol>/);
  // mammoth's raw text has no line breaks (its HTML above has the w:br), but a paragraph each.
  assert.match(text, /\ndeliverable A\n\ndeliverable B\n/);
});

Deno.test("PDF: each line and each item on a line of its own", async () => {
  const { text } = await readPdf(await download("pdf"));
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  const from = lines.indexOf("Line one of the services");
  assert.notEqual(from, -1, text);
  assert.deepEqual(lines.slice(from, from + 6), [
    "Line one of the services",
    "line two, mailed to a@b.co",
    // The bullets are drawn, not text (block_layout.ts), so pdftotext shows the items alone.
    "deliverable A",
    "deliverable B",
    "1. first step",
    "2. # second step",
  ]);
});
