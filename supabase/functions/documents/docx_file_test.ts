// The whole Word file: every part there and well-formed, every name a part uses defined in the
// part it points to, and a document with every block kind read back by mammoth.
import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import { readDocx } from "../../../test_support/file_readers.ts";
import { findAll, parseXml, textContent, type XmlElement } from "../../../test_support/xml_tree.ts";
import { parseMarkdown } from "../_shared/document/markdown.ts";
import { renderDocx } from "./docx_file.ts";

const EVERY_BLOCK = [
  "# Title of the test",
  "Some **bold**, *italic*, ~~struck~~, `code` and a [link](https://example.com/a?b=1&c=2).",
  "A hard break  \nand a\ttab, [bad](javascript:alert(1)) link, <b>raw</b> HTML.",
  "## Lists",
  "3. third\n4. fourth\n   - nested bullet\n     1. deep number\n",
  "- bullet one\n- bullet two\n",
  "### Quote and code",
  "> quoted text\n>\n> > nested quote",
  "```\n  two spaces\nline two\n```",
  "---",
  "| Term | Detail |\n| --- | ---: |\n| First | [x](mailto:a@b.example) |\n| Second |  |",
  "#### Four\n\n##### Five\n\n###### Six",
].join("\n\n");

async function unzipped(markdown: string, title = "A title") {
  const bytes = await renderDocx(parseMarkdown(markdown), { title });
  const files = unzipSync(bytes);
  const text = (name: string) => {
    const file = files[name];
    assert.ok(file, `${name} is in the package`);
    return new TextDecoder("utf-8", { fatal: true }).decode(file);
  };
  return { bytes, names: Object.keys(files), xml: (name: string) => parseXml(text(name)) };
}

function values(element: XmlElement, name: string, attribute: string): Set<string> {
  return new Set(findAll(element, name).map((e) => e.attributes[attribute]!));
}

Deno.test("every part is there, well-formed, and typed in [Content_Types].xml", async () => {
  const { names, xml } = await unzipped(EVERY_BLOCK);
  assert.deepEqual(names, [
    "[Content_Types].xml",
    "_rels/.rels",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/numbering.xml",
    "word/settings.xml",
    "docProps/core.xml",
    "docProps/app.xml",
  ]);
  for (const name of names) xml(name);
  const typed = values(xml("[Content_Types].xml"), "Override", "PartName");
  for (const name of names.filter((n) => !n.endsWith(".rels") && !n.startsWith("["))) {
    assert.ok(typed.has(`/${name}`), name);
  }
});

Deno.test("every style, list and relationship the body names is defined", async () => {
  const { xml, names } = await unzipped(EVERY_BLOCK);
  const body = xml("word/document.xml");
  const styles = values(xml("word/styles.xml"), "w:style", "w:styleId");
  for (const id of values(body, "w:pStyle", "w:val")) assert.ok(styles.has(id), id);
  for (const id of values(body, "w:rStyle", "w:val")) assert.ok(styles.has(id), id);
  const nums = values(xml("word/numbering.xml"), "w:num", "w:numId");
  const used = values(body, "w:numId", "w:val");
  assert.ok(used.size >= 3);
  for (const id of used) assert.ok(nums.has(id), `numId ${id}`);
  const relationships = findAll(xml("word/_rels/document.xml.rels"), "Relationship");
  const ids = new Set(relationships.map((r) => r.attributes.Id));
  const links = findAll(body, "w:hyperlink").map((h) => h.attributes["r:id"]!);
  assert.equal(links.length, 2);
  for (const id of links) assert.ok(ids.has(id), id);
  for (const r of relationships.filter((r) => r.attributes.TargetMode !== "External")) {
    assert.ok(names.includes(`word/${r.attributes.Target}`), r.attributes.Target);
  }
  assert.deepEqual(
    relationships.filter((r) => r.attributes.TargetMode === "External").map((r) =>
      r.attributes.Target
    ),
    ["https://example.com/a?b=1&c=2", "mailto:a@b.example"],
  );
});

Deno.test("the title is the core properties' dc:title, as typed", async () => {
  const { xml } = await unzipped("x", 'Schedule for <i>First</i> & "Co" \u0007');
  assert.equal(
    textContent(findAll(xml("docProps/core.xml"), "dc:title")[0]!),
    'Schedule for <i>First</i> & "Co" ',
  );
});

Deno.test("characters XML forbids, in any block, leave the file well-formed", async () => {
  const hostile = "\u0000\u0001\u000B\uFFFE\uFFFF\uD800x\uDC00";
  const { xml } = await unzipped(
    `# a${hostile}\n\n${hostile} [l](https://e.com/${hostile})\n\n- ${hostile}\n\n` +
      `| ${hostile} |\n| - |\n| ${hostile} |\n\n\`\`\`\n${hostile}\n\`\`\``,
  );
  const body = xml("word/document.xml");
  assert.ok(textContent(body).includes("ax"));
  xml("word/_rels/document.xml.rels");
});

Deno.test("mammoth reads every block kind", async () => {
  const { html, text, messages } = await readDocx(
    await renderDocx(parseMarkdown(EVERY_BLOCK), {
      title: "t",
    }),
  );
  // mammoth maps no style of its own to Code, Quote and Code Block and says so; nothing else.
  assert.deepEqual(
    messages.filter((m) => !/^warning: Unrecognised (run|paragraph) style/.test(m)),
    [],
  );
  for (
    const expected of [
      "<h1>Title of the test</h1>",
      "<strong>bold</strong>",
      "<em>italic</em>",
      "<s>struck</s>",
      '<a href="https://example.com/a?b=1&amp;c=2">link</a>',
      "<h4>Four</h4>",
      "<h5>Five</h5>",
      "<h6>Six</h6>",
      "<ol><li>third</li><li>fourth<ul><li>nested bullet<ol><li>deep number</li></ol></li></ul></li></ol>",
      "<ul><li>bullet one</li><li>bullet two</li></ul>",
      '<a href="mailto:a@b.example">x</a>',
      "A hard break<br />and a",
    ]
  ) {
    assert.ok(html.includes(expected), `${expected} in ${html}`);
  }
  assert.match(html, /<table><thead><tr><th><p><strong>Term<\/strong><\/p><\/th>/);
  assert.ok(!html.includes("javascript"));
  for (
    const line of [
      "and a\ttab, bad link, <b>raw</b> HTML.",
      "quoted text",
      "nested quote",
      "  two spaces",
      "line two",
    ]
  ) {
    assert.ok(text.includes(line), `${JSON.stringify(line)} in ${JSON.stringify(text)}`);
  }
});

Deno.test("the same document at the same time is the same file, byte for byte", async () => {
  const now = new Date("2026-12-07T10:00:00Z");
  const tokens = parseMarkdown(EVERY_BLOCK);
  const [first, second] = await Promise.all([
    renderDocx(tokens, { title: "t", now }),
    renderDocx(tokens, { title: "t", now }),
  ]);
  assert.deepEqual(first, second);
  const later = await renderDocx(tokens, { title: "t", now: new Date("2026-12-08T10:00:00Z") });
  assert.notDeepEqual(first, later);
});
