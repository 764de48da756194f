import assert from "node:assert/strict";
import { answerBlocks, answerInline } from "./answer_markdown.ts";
import { markdownToHtml } from "./markdown_html.ts";

const html = (answer: string) => markdownToHtml(answerBlocks(answer));

Deno.test("answerBlocks", async (t) => {
  await t.step("a line break stays a line break, a blank line a new paragraph", () => {
    assert.equal(
      html("Line one\nline two\r\nline three"),
      "<p>Line one<br />line two<br />line three</p>\n",
    );
    assert.equal(html("First.\n\nSecond."), "<p>First.</p>\n<p>Second.</p>\n");
  });

  await t.step("simple lists become lists, of any marker, numbered from their start", () => {
    assert.equal(
      html("Deliverables:\n- deliverable A\n* deliverable B\n+ C\n• D"),
      "<p>Deliverables:</p>\n<ul>\n<li>deliverable A</li>\n<li>deliverable B</li>\n<li>C</li>\n<li>D</li>\n</ul>\n",
    );
    assert.equal(
      html("3. third\n4) fourth\nAfter the list."),
      '<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>\n<p>After the list.</p>\n',
    );
  });

  await t.step("items separated by blank lines are one tight list", () => {
    assert.equal(html("- a\n\n- b"), "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
  });

  await t.step("no other structure: headings, quotes, tables, code, links, HTML, nesting", () => {
    const hostile = [
      "# heading",
      "> quote",
      "| a | b |\n| --- | --- |\n| c | d |",
      "```\ncode\n```",
      "    indented",
      "[link](javascript:alert(1)) <b>bold</b> **strong** a@b.co https://x.test",
      "- - nested\n- # heading in an item\n- > quote in an item\n- 1. number in an item",
      "1. a\n   - indented bullet",
      "text\n===",
      "text\n---",
      "---",
    ];
    for (const answer of hostile) {
      const out = html(answer);
      assert.doesNotMatch(out, /<(?:h\d|blockquote|table|pre|code|a|b|strong|hr)\b/, answer);
      assert.doesNotMatch(out, /<ul>\s*<li>[^<]*<ul>|<li>\s*<ol/, answer);
    }
    assert.equal(
      html("- - nested\n- # heading"),
      "<ul>\n<li>- nested</li>\n<li># heading</li>\n</ul>\n",
    );
  });

  await t.step("an answer of only spaces is empty", () => {
    assert.equal(answerBlocks(" \n\t\n"), "");
  });
});

Deno.test("answerInline joins the lines with spaces, escaped", () => {
  assert.equal(answerInline("Line one\n\n- item | two\n"), "Line one - item \\| two");
  assert.equal(
    markdownToHtml(`| a | ${answerInline("x\n| y")} |\n| - | - |`).includes("x | y"),
    true,
  );
});
