import assert from "node:assert/strict";
import { escapeMarkdownText, unescapeMarkdown } from "./markdown_escape.ts";
import { escapeHtml, markdownToHtml } from "./markdown_html.ts";

const HOSTILE = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "**markdown** and *em* and __strong__ and _em_",
  "[link](javascript:alert(1)) ![img](http://example.test/x.png) <https://example.test>",
  "a | b | c",
  "`code` ``more`` ~~struck~~ ~single~",
  "&amp; &#38; &#x26; & Sons",
  "C:\\path\\to\\file \\*",
  "# not a heading",
  "## neither ##",
  "> not a quote",
  "- not a list",
  "+ nor this",
  "* nor this",
  "1. not ordered",
  "2) nor this",
  "===",
  "---",
  "-- -",
  "-",
  "-\tx",
  "#",
  "###### six",
  "1.",
  "1)",
  "123456789. nine digits",
  "=",
  "***",
  "    not code",
  "```",
  "~~~",
  "[ref]: https://example.test",
  "<!-- comment -->",
  "snake_case_name and jane_doe@example.com",
  'Acme http://127.0.0.1:9/x">x\\ <b>',
  "visit www.example.com or mail a@b.co",
  "HTTPS://EXAMPLE.TEST WWW.EXAMPLE.TEST ftp://x.test mailto:a@b.co xmpp:a@b.co",
  "xhttps://glued.test and (www.paren.test) and <https://angle.test>",
];

Deno.test("escapeMarkdownText", async (t) => {
  await t.step("every hostile line renders as exactly its text", () => {
    // Not a link either: GFM links bare URLs (http, https, www., e-mails) unless escaped.
    for (const text of HOSTILE) {
      assert.equal(
        markdownToHtml(escapeMarkdownText(text)),
        `<p>${escapeHtml(text.trim())}</p>\n`.replace(/&#39;/g, "'").replace(/&quot;/g, '"'),
        JSON.stringify(text),
      );
    }
  });

  await t.step("ordinary answers keep every character", () => {
    for (
      const text of [
        "Acme & Sons, Inc.",
        "jane_doe",
        "$1,500.50",
        "Non-solicit for 12 months (at most).",
        "Müller GmbH — “quoted” 中文 Привет",
        "2026-04-15",
        "-Acme",
        "--x and -- y",
        "#1 priority",
        "####### seven is no heading",
        "1.5 million",
        "+1 555 0100",
        "1234567890. ten digits is no list item",
      ]
    ) {
      assert.equal(escapeMarkdownText(text), text);
    }
  });

  await t.step("keeps line breaks and paragraphs, escaping each line's start", () => {
    assert.equal(
      escapeMarkdownText("First.\r\n\r\n- second\n  # third"),
      "First.\n\n\\- second\n\\# third",
    );
    assert.equal(
      markdownToHtml(escapeMarkdownText("One\n\n1. two")),
      "<p>One</p>\n<p>1. two</p>\n",
    );
  });

  await t.step("breaks an autolink with one escape, where it must hold a character", () => {
    assert.equal(
      escapeMarkdownText("see https://x.test, www.y.test or a@b.co"),
      "see https\\://x.test, www\\.y.test or a\\@b.co",
    );
  });

  await t.step("inside a table cell, a pipe stays in its cell", () => {
    const html = markdownToHtml(
      `| Term | Detail |\n| --- | --- |\n| Party | ${escapeMarkdownText("A | B")} |`,
    );
    assert.match(html, /<td>A \| B<\/td>/);
  });

  await t.step("unescapeMarkdown undoes it on one line", () => {
    for (const text of HOSTILE) {
      assert.equal(unescapeMarkdown(escapeMarkdownText(text)), text.trim(), text);
    }
  });
});
