import assert from "node:assert/strict";
import { parseMarkdown, type Token, type Tokens } from "../_shared/document/markdown.ts";
import { inlineRuns } from "./inline_runs.ts";

function inline(markdown: string): Token[] {
  const [paragraph] = parseMarkdown(markdown);
  assert.equal(paragraph?.type, "paragraph");
  return (paragraph as Tokens.Paragraph).tokens;
}

Deno.test("nested styles add up; a link keeps only a safe destination", () => {
  assert.deepEqual(
    inlineRuns(inline("a **b *c* ~~d~~** `e` [f](https://e.com) [g](javascript:x)")),
    [
      { text: "a " },
      { bold: true, text: "b " },
      { bold: true, italic: true, text: "c" },
      { bold: true, text: " " },
      { bold: true, strike: true, text: "d" },
      { text: " " },
      { code: true, text: "e" },
      { text: " " },
      { link: "https://e.com", text: "f" },
      { text: " g" }, // an unsafe link is its text, one run with the space before it
    ],
  );
});

Deno.test("a hard break is a newline, a soft one a space, references resolved", () => {
  const runs = inlineRuns(inline("one  \ntwo\nthree &amp; &copy; &#169;"));
  assert.equal(runs.map((run) => run.text).join(""), "one\ntwo three & © ©");
});

Deno.test("a span holding 150,000 styled words does not overflow the stack", () => {
  // Built as tokens: the lexer now shows so many delimiters as plain text (markdown_bounds.ts),
  // but the renderer must not depend on that to survive a wide tree.
  const word: Token = {
    type: "em",
    raw: "_w_",
    text: "w",
    tokens: [{ type: "text", raw: "w", text: "w" }],
  };
  const space: Token = { type: "text", raw: " ", text: " " };
  const children = Array.from({ length: 150_000 }, (_, i) => i === 0 ? [word] : [space, word])
    .flat();
  const runs = inlineRuns([{ type: "strong", raw: "", text: "", tokens: children }]);
  assert.equal(runs.filter((run) => run.italic && run.text === "w").length, 150_000);
  assert.ok(runs.every((run) => run.bold));
});

Deno.test("adjacent text of one style is one run, escapes included", () => {
  assert.deepEqual(inlineRuns(inline("a \\* b \\_ c **d \\* e** f")), [
    { text: "a * b _ c " },
    { text: "d * e", bold: true },
    { text: " f" },
  ]);
});
