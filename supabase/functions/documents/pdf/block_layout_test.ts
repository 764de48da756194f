// The blocks, read back from the PDF with poppler's pdftotext (test_support/file_readers.ts).
import assert from "node:assert/strict";
import { readPdf, squash } from "../../../../test_support/file_readers.ts";
import { parseMarkdown } from "../../_shared/document/markdown.ts";
import { renderPdf } from "../pdf_file.ts";

async function pdfText(markdown: string): Promise<string> {
  const { bytes } = await renderPdf(parseMarkdown(markdown), { title: "Blocks" });
  return (await readPdf(bytes)).text;
}

/** pdftotext's lines, trimmed, without the blank ones. */
const lines = (text: string) => text.split("\n").map((line) => line.trim()).filter(Boolean);

Deno.test("headings, paragraphs, quotes, code, rules and raw HTML, in order", async () => {
  const text = await pdfText(
    "# Title\n\n###### Small\n\nA *b* **c** ~~d~~ `e` [f](https://x.example).\n\n> Quoted\n\n" +
      "```\n  indented\nnext\n```\n\n---\n\n<div>raw</div>\n",
  );
  assert.deepEqual(lines(text), [
    "Title",
    "Small",
    "A b c d e f.",
    "Quoted",
    "indented",
    "next",
    "<div>raw</div>",
  ]);
});

Deno.test("numbered lists count from their start; bullets nest", async () => {
  const text = await pdfText("7. seven\n8. eight\n   - inner\n     - deeper\n9. nine\n\n- top\n");
  assert.deepEqual(lines(text), ["7. seven", "8. eight", "inner", "deeper", "9. nine", "top"]);
});

Deno.test("non-Latin text comes back exactly, the missing characters as ? with the note", async () => {
  const text = await pdfText("Ελληνικά Кириллица Tiếng Việt “quoted” — ½ €\n\n中文 and 🙂\n");
  assert.ok(text.includes("Ελληνικά Кириллица Tiếng Việt “quoted” — ½ €"), text);
  assert.ok(text.includes("?? and ?"), text);
  assert.ok(
    squash(text).includes(
      squash("cannot draw 3 of the document's characters (U+4E2D, U+6587, U+1F642)"),
    ),
    text,
  );
});

Deno.test("a paragraph longer than a page continues on the next", async () => {
  const { bytes } = await renderPdf(parseMarkdown("lorem ipsum ".repeat(5000)), { title: "Long" });
  const pdf = await readPdf(bytes);
  assert.ok(Number(pdf.info.Pages) >= 5, pdf.info.Pages);
  assert.equal(squash(pdf.text), squash("lorem ipsum ".repeat(5000)));
});

Deno.test("CJK text breaks between characters and stays inside the page", async () => {
  const cjk = "你好世界".repeat(500);
  const text = await pdfText(cjk);
  const drawn = lines(text).filter((line) => line.startsWith("?"));
  assert.ok(drawn.length > 10, `${drawn.length} lines`);
  for (const line of drawn.slice(0, -1)) assert.ok(line.length > 40 && line.length < 130, line);
});

Deno.test("a link is underlined text that opens its destination; unsafe ones are text only", async () => {
  const { bytes } = await renderPdf(
    parseMarkdown(
      "See [the site](https://example.com/ü?q=1), [mail](mailto:a@b.example) " +
        "and [bad](javascript:alert(1)).",
    ),
    { title: "Links" },
  );
  const file = await Deno.makeTempFile({ suffix: ".pdf" });
  try {
    await Deno.writeFile(file, bytes);
    const output = await new Deno.Command("pdfinfo", { args: ["-url", file] }).output();
    const urls = new TextDecoder().decode(output.stdout).split("\n").slice(1)
      .map((line) => line.trim().split(/\s+/)[2]).filter(Boolean);
    assert.deepEqual(urls, ["https://example.com/%C3%BC?q=1", "mailto:a@b.example"]);
  } finally {
    await Deno.remove(file);
  }
  assert.equal(lines((await readPdf(bytes)).text)[0], "See the site, mail and bad.");
});
