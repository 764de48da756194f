import assert from "node:assert/strict";
import { parseMarkdown, type Token } from "./markdown.ts";
import { boundInline, boundNesting, MARKDOWN_BOUNDS } from "./markdown_bounds.ts";
import { markdownToHtml } from "./markdown_html.ts";

/** Every token type in a token tree, depth first. */
function types(tokens: readonly Token[]): string[] {
  return tokens.flatMap((token) => {
    const children = "tokens" in token && Array.isArray(token.tokens) ? token.tokens : [];
    const items = token.type === "list" ? (token.items as Token[]) : [];
    const rows = token.type === "table"
      ? [...token.header, ...token.rows.flat()].flatMap((cell) => cell.tokens as Token[])
      : [];
    return [token.type, ...types(children), ...types(items), ...types(rows)];
  });
}

/** The text a reader sees in HTML: tags dropped, the five escapes undone. */
function visibleText(html: string): string {
  return html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

const max = MARKDOWN_BOUNDS.maxInlineDelimiters;

Deno.test("a paragraph with delimiters up to the bound keeps its emphasis", () => {
  const paragraph = `${"**bold** and *it* ".repeat(10)}**x**`;
  assert.equal(paragraph.match(/[*]/g)?.length, max);
  const found = types(parseMarkdown(paragraph));
  assert.ok(found.includes("strong") && found.includes("em"));
});

Deno.test("past the bound, a paragraph is plain text showing every character as typed", () => {
  const paragraph = "*_**__a ".repeat(max);
  const found = types(parseMarkdown(paragraph));
  assert.deepEqual([...new Set(found)], ["paragraph", "escape", "text"]);
  assert.equal(visibleText(markdownToHtml(paragraph)).trim(), paragraph.trim());
});

Deno.test("a paragraph past the bound keeps its backslash escapes and shows markup as text", () => {
  const paragraph = `\\*kept\\* <b>not bold</b> [a](https://x.test) ${"[*a ".repeat(max)}`;
  const html = markdownToHtml(paragraph);
  assert.doesNotMatch(html, /<(?:b|a|em|strong)[ >]/);
  assert.ok(visibleText(html).startsWith("*kept* <b>not bold</b> [a](https://x.test) [*a [*a"));
});

Deno.test("the bound is per inline text: one table cell past it, the table and the others stay", () => {
  const cell = "*_".repeat(max);
  const table = `| a | b |\n| --- | --- |\n| **x** | ${cell} |\n| **y** | z |`;
  const [token] = parseMarkdown(table);
  assert.equal(token?.type, "table");
  const found = types([token!]);
  assert.equal(found.filter((type) => type === "strong").length, 2);
  assert.equal(found.includes("em"), false);
});

Deno.test("boundInline leaves text within the bound exactly as it is", () => {
  const text = "a_b ".repeat(max);
  assert.equal(boundInline(text), text);
  assert.equal(boundInline(`${text}_`), `${"a\\_b ".repeat(max)}\\_`);
});

Deno.test("blockquotes nested up to the bound stay blockquotes", () => {
  // The bound is in columns: 63 markers and the space before the text.
  const depth = MARKDOWN_BOUNDS.maxContainerColumns - 1;
  const found = types(parseMarkdown(`${">".repeat(depth)} deep`));
  assert.equal(found.filter((type) => type === "blockquote").length, depth);
});

Deno.test("a line nested past the bound is plain text; 200,000 levels parse without a crash", () => {
  const depth = MARKDOWN_BOUNDS.maxContainerColumns;
  assert.equal(types(parseMarkdown(`${">".repeat(depth)} deep`)).includes("blockquote"), false);
  const html = markdownToHtml(`${">".repeat(200_000)} deepest`);
  assert.equal(visibleText(html).trim(), `${">".repeat(200_000)} deepest`);
});

Deno.test("a list nested past the bound keeps its shallow items; the deep ones read as text", () => {
  const lines = Array.from({ length: 100 }, (_, level) => `${"  ".repeat(level)}- item ${level}`);
  const html = markdownToHtml(lines.join("\n"));
  const lists = html.match(/<ul>/g)?.length ?? 0;
  assert.ok(lists >= 2 && lists <= MARKDOWN_BOUNDS.maxContainerColumns / 2 + 1, `${lists}`);
  assert.match(visibleText(html), /item 99/);
});

Deno.test("lines of a fenced code block are code, however deep they look", () => {
  const deep = `${" ".repeat(100)}> > > x`;
  const markdown = `\`\`\`\n${deep}\n\`\`\`\n\n${deep}`;
  const bounded = boundNesting(markdown);
  assert.equal(bounded.split("\n")[1], deep, "inside the fence: as it was");
  assert.equal(bounded.split("\n")[4], "\\> > > x", "outside: text, its nesting dropped");
  assert.equal(boundNesting("a\n> b"), "a\n> b");
});
