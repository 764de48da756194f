// The downloads of real documents, read back with independent readers: mammoth for DOCX,
// poppler's pdftotext and pdfinfo for PDF. The documents come from the interview engine on the
// seeded mutual NDA (supabase/templates) and on a schedule template with lists, answered with
// text that tries to become markup, non-Latin text and long unbroken strings.
import assert from "node:assert/strict";
import { nextStep } from "../_shared/template/interview_engine.ts";
import { parseTemplate, type Template } from "../_shared/template/template.ts";
import type { Turn } from "../_shared/wire/interview_turn.ts";
import { readDocx, readPdf, squash } from "../../../test_support/file_readers.ts";
import { renderDownload } from "./download.ts";
import { readerMarkdown } from "./markdown_file.ts";
import { HOSTILE_NDA_ANSWERS, UNBROKEN } from "../../../test_support/stored_interviews.ts";

const TEMPLATES = new URL("../../templates/", import.meta.url);

async function seededTemplate(slug: string): Promise<Template> {
  const json = JSON.parse(await Deno.readTextFile(new URL(`${slug}.json`, TEMPLATES)));
  return parseTemplate({
    ...json,
    body: await Deno.readTextFile(new URL(`${slug}.md`, TEMPLATES)),
  });
}

/** The engine's document for `answers`, one answer per question asked. */
function assemble(template: Template, answers: Readonly<Record<string, string>>) {
  const history: Turn[] = [];
  for (let i = 0; i <= template.questions.length; i++) {
    const step = nextStep(template, history);
    if (step.status === "complete") return step.document;
    const { id, text } = step.nextQuestion;
    const at = new Date().toISOString();
    history.push({ role: "assistant", content: text, questionId: id, at });
    history.push({ role: "user", content: answers[id] ?? "", questionId: id, at });
  }
  throw new Error("the interview did not end");
}

const SCHEDULE = parseTemplate({
  id: "3f0f4c2e-2b0a-4d51-9a55-7d4bb2a0c001",
  slug: "test-schedule",
  name: "Schedule",
  questions: [
    { id: "first", text: "First?", type: "short_text" },
    { id: "second", text: "Second?", type: "short_text" },
    { id: "nested", text: "Nested?", type: "short_text" },
  ],
  body:
    "# Schedule for {{first}}\n\n## Deliverables\n\n3. Deliver {{first}}\n4. Review {{second}}\n" +
    "   - Nested {{nested}}\n   - Another nested item\n\n## Duties\n\n- Bullet {{second}}\n" +
    "- Bullet two\n\n> Quoted {{nested}}\n\n---\n\n| Item | Owner |\n| --- | --- |\n" +
    "| {{first}} | {{second}} |\n",
});
const SCHEDULE_ANSWERS = {
  first: "<i>First</i> & Co",
  second: "Second *star* [x](javascript:alert(1))",
  nested: "Вложенный | пункт",
};

/** The characters the PDF's font (Roboto) has no glyph for, among the answers. */
const UNDRAWABLE = [..."你好世界مرحبا🙂"];
const NDA_HEADINGS = [
  "Mutual Non-Disclosure Agreement",
  "Key Terms",
  "1. Purpose",
  "2. Confidential Information",
  "8. Non-Solicitation",
  "9. General",
  "10. Additional Terms",
];
const KEY_TERMS = [
  "Term",
  "Detail",
  "First Party",
  "Second Party",
  "Effective Date",
  "Confidentiality Period",
  "Governing Law",
  "Non-Solicitation of Employees",
];

/** Markup that would run or load something: a tag an answer held, a handler, a script URL. */
const ACTIVE_MARKUP = /<(script|img|b|i|iframe)\b|<[^>]*\son\w+=|href="javascript/i;

/** The text of an HTML fragment: tags dropped, the five escapes undone. */
function textOf(html: string): string {
  return html.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

/** The elements `tag` of an HTML string, as text. */
function elements(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([^]*?)</${tag}>`, "g"))]
    .map((match) => textOf(match[1]!).trim());
}

const nda = assemble(await seededTemplate("mutual-nda"), HOSTILE_NDA_ANSWERS);
const schedule = assemble(SCHEDULE, SCHEDULE_ANSWERS);

Deno.test("the engine's documents hold the hostile answers escaped", () => {
  // Titled by the template's rule from the parties' names, markup and all, as typed.
  assert.equal(
    nda.title,
    `NDA: ${HOSTILE_NDA_ANSWERS.party_a_name} and ${HOSTILE_NDA_ANSWERS.party_b_name}`,
  );
  assert.match(nda.content, /Acme \\<script>alert\('pwned'\)\\<\/script> Ltd/);
  assert.equal(schedule.title, "Schedule for <i>First</i> & Co");
});

Deno.test("DOCX, read back with mammoth", async (t) => {
  const file = await renderDownload({ ...nda, format: "markdown" }, "docx");
  const docx = await readDocx(file.body);
  const list = await readDocx(
    (await renderDownload({ ...schedule, format: "markdown" }, "docx")).body,
  );

  await t.step("every answer is there as typed, none became markup", () => {
    for (const [id, answer] of Object.entries(HOSTILE_NDA_ANSWERS)) {
      assert.ok(squash(docx.text).includes(squash(answer)), `answer ${id}: ${answer}`);
    }
    assert.doesNotMatch(docx.html, ACTIVE_MARKUP);
    assert.ok(docx.text.includes(UNBROKEN));
  });

  await t.step("headings are Word headings", () => {
    assert.deepEqual(elements(docx.html, "h1"), [NDA_HEADINGS[0]]);
    const h2 = elements(docx.html, "h2");
    for (const heading of NDA_HEADINGS.slice(1)) assert.ok(h2.includes(heading), heading);
  });

  await t.step("the key-terms table is a table with every term and its answer", () => {
    const [table] = elements(docx.html, "table");
    assert.ok(table, docx.html.slice(0, 500));
    const cells = [...elements(docx.html, "th"), ...elements(docx.html, "td")];
    for (const term of KEY_TERMS) assert.ok(cells.includes(term), term);
    assert.ok(
      cells.includes(`${HOSTILE_NDA_ANSWERS.party_a_name}, notices to legal@acme.example`),
      cells.join(" | "),
    );
    assert.ok(cells.includes("April 15, 2026"));
    assert.ok(cells.includes("Yes, for 12 months after the Agreement ends"));
  });

  await t.step("numbered and bullet lists, nested, with their items", () => {
    assert.deepEqual(elements(list.html, "h1"), ["Schedule for <i>First</i> & Co"]);
    assert.match(list.html, /<ol><li>Deliver &lt;i&gt;First&lt;\/i&gt; &amp; Co<\/li><li>Review /);
    assert.match(
      list.html,
      /<ul><li>Nested Вложенный \| пункт<\/li><li>Another nested item<\/li><\/ul>/,
    );
    const items = elements(list.html, "li");
    for (
      const item of [
        "Bullet Second *star* [x](javascript:alert(1))",
        "Bullet two",
        "Another nested item",
      ]
    ) {
      assert.ok(items.includes(item), `${item} in ${items.join(" | ")}`);
    }
    assert.deepEqual([...elements(list.html, "th"), ...elements(list.html, "td")], [
      "Item",
      "Owner",
      "<i>First</i> & Co",
      SCHEDULE_ANSWERS.second,
    ]);
    assert.ok(list.text.includes("Quoted Вложенный | пункт"));
  });
});

Deno.test("PDF, read back with pdftotext", async (t) => {
  const file = await renderDownload({ ...nda, format: "markdown" }, "pdf");
  const pdf = await readPdf(file.body);
  const text = squash(pdf.text);
  const drawn = (answer: string) =>
    [...answer].map((char) => UNDRAWABLE.includes(char) ? "?" : char).join("");

  await t.step("an A4 PDF titled after the document", () => {
    assert.equal(pdf.info.Title, nda.title);
    assert.match(pdf.info["Page size"] ?? "", /^595\.2\d x 841\.8\d pts \(A4\)/);
    assert.ok(Number(pdf.info.Pages) >= 2);
  });

  await t.step("every answer is there as typed; characters the font lacks are ?", () => {
    for (const [id, answer] of Object.entries(HOSTILE_NDA_ANSWERS)) {
      assert.ok(text.includes(squash(drawn(answer))), `answer ${id}: ${drawn(answer)}`);
    }
    assert.ok(pdf.text.includes("Здравствуйте, Ελληνικά, Tiếng Việt — “quoted”"));
  });

  await t.step("a note names the characters that could not be drawn", () => {
    assert.ok(
      text.includes(squash("Note: this PDF's font cannot draw 10 of the document's characters")),
      pdf.text.slice(-600),
    );
    assert.ok(text.includes("(U+4F60,U+597D,U+4E16,U+754C,U+0645"), pdf.text.slice(-600));
    assert.ok(text.includes(squash("The DOCX, HTML and Markdown downloads hold the full text.")));
  });

  await t.step("a long unbroken string wraps inside the page", () => {
    assert.ok(text.includes(UNBROKEN));
    assert.ok(!pdf.text.includes(UNBROKEN), "it is broken across lines");
    const longest = Math.max(...pdf.text.split("\n").map((line) => line.length));
    assert.ok(longest < 130, `a line of ${longest} characters`);
  });

  await t.step("headings, the key-terms table and list items", async () => {
    for (const heading of NDA_HEADINGS) assert.ok(text.includes(squash(heading)), heading);
    for (const term of KEY_TERMS) assert.ok(text.includes(squash(term)), term);
    const list = await readPdf(
      (await renderDownload({ ...schedule, format: "markdown" }, "pdf")).body,
    );
    const listText = squash(list.text);
    for (
      const item of [
        "Schedule for <i>First</i> & Co",
        "3.Deliver <i>First</i> & Co",
        "4.Review Second *star* [x](javascript:alert(1))",
        "Nested Вложенный | пункт",
        "Another nested item",
        "Bullet two",
        "Quoted Вложенный | пункт",
        "Item",
        "Owner",
      ]
    ) {
      assert.ok(listText.includes(squash(item)), `${item} in ${list.text}`);
    }
  });
});

Deno.test("HTML and Markdown downloads", async (t) => {
  await t.step(
    "the HTML file is a page with the answers as text and no markup from them",
    async () => {
      const file = await renderDownload({ ...nda, format: "markdown" }, "html");
      const html = new TextDecoder().decode(file.body);
      assert.match(html, /^<!doctype html>\n<html lang="en">/);
      // The title holds the parties' names, markup included: escaped, as every answer is.
      assert.match(html, /<title>NDA: Acme &lt;script&gt;alert\(.*End<\/title>/);
      assert.doesNotMatch(html, ACTIVE_MARKUP);
      for (const [id, answer] of Object.entries(HOSTILE_NDA_ANSWERS)) {
        assert.ok(squash(textOf(html)).includes(squash(answer)), `answer ${id}`);
      }
      assert.deepEqual(elements(html, "h2").slice(0, 2), ["Key Terms", "1. Purpose"]);
      const [keyTerms] = elements(html, "table");
      for (const term of KEY_TERMS) assert.ok(keyTerms?.includes(term), term);
    },
  );

  await t.step(
    "the Markdown file is the document's Markdown, e-mails without escapes",
    async () => {
      const file = await renderDownload({ ...nda, format: "markdown" }, "md");
      const markdown = new TextDecoder().decode(file.body);
      assert.equal(markdown, readerMarkdown(nda.content));
      assert.match(nda.content, /legal\\@acme\.example/);
      assert.match(markdown, /First Party \| .* Ltd, notices to legal@acme\.example \|/);
      assert.equal(file.contentType, "text/markdown; charset=utf-8");
    },
  );

  await t.step("a plain-text document comes out as its text in every format", async () => {
    const document = {
      title: "Note",
      format: "text" as const,
      content: "# one **two**\n\n<b>x</b>",
    };
    const md = new TextDecoder().decode((await renderDownload(document, "md")).body);
    assert.equal(md, "\\# one \\*\\*two\\*\\*\n\n\\<b>x\\</b>");
    const docx = await readDocx((await renderDownload(document, "docx")).body);
    assert.equal(docx.text.trim(), "# one **two**\n\n<b>x</b>");
    const pdf = await readPdf((await renderDownload(document, "pdf")).body);
    assert.equal(squash(pdf.text), squash("# one **two** <b>x</b>"));
  });
});
