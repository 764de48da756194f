// An answer is text in every download, never a link: a URL, a www. address or an e-mail address
// typed into an answer shows as typed, each character once, with no stray backslash, in the
// Markdown, HTML, DOCX (read back with mammoth) and PDF (pdftotext) downloads. Only the
// template's own link stays a link (the Markdown file leaves bare addresses to a viewer's
// autolinks, which show their own text).
import assert from "node:assert/strict";
import { assembleDocument } from "../_shared/template/document_assembly.ts";
import { parseTemplate } from "../_shared/template/template.ts";
import { readDocx, readPdf, squash } from "../../../test_support/file_readers.ts";
import { pdfObjectText } from "../../../test_support/pdf_objects.ts";
import { renderDownload } from "./download.ts";

const ANSWERS = {
  party: 'Acme http://127.0.0.1:9/x">x\\ <b>',
  contact: "visit www.example.com or mail a@b.co",
  other: "HTTPS://LOUD.TEST ftp://f.test mailto:m@n.test xhttps://glued.test (www.paren.test)",
};

const template = parseTemplate({
  id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
  slug: "links",
  name: "Links",
  questions: Object.keys(ANSWERS).map((id) => ({ id, text: `${id}?`, type: "short_text" })),
  body: "# Agreement\n\nParty: {{party}}\n\nContact: {{contact}}\n\nOther: {{other}}\n\n" +
    "See [the terms](https://terms.example/t).\n",
});
const document = { ...assembleDocument(template, new Map(Object.entries(ANSWERS))) };
const stored = { title: document.title, content: document.content, format: "markdown" as const };

async function download(format: "md" | "html" | "docx" | "pdf") {
  return (await renderDownload(stored, format)).body;
}

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** The HTML text of an element's content: tags dropped, the five escapes resolved. */
function htmlText(html: string): string {
  return html.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

Deno.test("Markdown: each answer as typed, no link syntax but the template's", async () => {
  // The download drops the escapes that only break autolinks (readerMarkdown): a viewer that
  // autolinks "a@b.co" shows exactly that text. Every other escape stays.
  const markdown = new TextDecoder().decode(await download("md"));
  assert.match(markdown, /Contact: visit www\.example\.com or mail a@b\.co\n/);
  assert.ok(markdown.includes(`Other: ${ANSWERS.other}\n`), markdown);
  assert.ok(markdown.includes('Party: Acme http://127.0.0.1:9/x">x\\\\ \\<b>\n'), markdown);
  assert.deepEqual(markdown.match(/\]\(/g), ["]("]);
  assert.match(markdown, /\[the terms\]\(https:\/\/terms\.example\/t\)/);
});

Deno.test("HTML: each answer is its text, no link but the template's", async () => {
  const html = new TextDecoder().decode(await download("html"));
  assert.deepEqual(html.match(/<a [^>]*>/g)?.map((a) => /href="([^"]*)"/.exec(a)?.[1]), [
    "https://terms.example/t",
  ]);
  for (const [label, answer] of [["Party", ANSWERS.party], ["Contact", ANSWERS.contact]]) {
    const paragraph = new RegExp(`<p>${label}: (.*?)</p>`).exec(html)?.[1] ?? "";
    assert.equal(htmlText(paragraph), answer);
  }
  assert.equal(htmlText(/<p>Other: (.*?)<\/p>/.exec(html)?.[1] ?? ""), ANSWERS.other);
});

Deno.test("DOCX: each answer is its text, once, no link but the template's", async () => {
  const { html, text } = await readDocx(await download("docx"));
  assert.deepEqual(html.match(/<a [^>]*>/g), ['<a href="https://terms.example/t">']);
  for (const answer of Object.values(ANSWERS)) assert.equal(occurrences(text, answer), 1, answer);
  assert.equal(occurrences(text, "\\"), 1, "the one backslash the party typed");
});

Deno.test("PDF: each answer is its text, once, one link annotation for the template's", async () => {
  const bytes = await download("pdf");
  const { text } = await readPdf(bytes);
  for (const answer of Object.values(ANSWERS)) {
    assert.equal(occurrences(squash(text), squash(answer)), 1, answer);
  }
  assert.equal(occurrences(text, "\\"), 1, "the one backslash the party typed");
  const raw = pdfObjectText(bytes);
  assert.equal(occurrences(raw, "/Subtype /Link"), 1);
});
