import assert from "node:assert/strict";
import {
  findAll,
  parseXml,
  textContent,
  type XmlElement,
} from "../../../../test_support/xml_tree.ts";
import { parseMarkdown } from "../../_shared/document/markdown.ts";
import { documentXml } from "./body_xml.ts";
import { ListNumbering } from "./numbering.ts";

function body(markdown: string) {
  const numbering = new ListNumbering();
  const links: string[] = [];
  const xml = documentXml(parseMarkdown(markdown), numbering, (url) => {
    links.push(url);
    return `rId${links.length + 3}`;
  });
  const root = parseXml(xml);
  const [bodyElement] = findAll(root, "w:body");
  const paragraphs = bodyElement!.children.filter((c): c is XmlElement =>
    typeof c !== "string" && c.name === "w:p"
  );
  return { root, paragraphs, numbering: parseXml(numbering.xml()), links };
}

function attribute(element: XmlElement, name: string, key = "w:val") {
  return findAll(element, name)[0]?.attributes[key];
}

Deno.test("headings use the heading styles, paragraphs none; the page is the last child", () => {
  const { root, paragraphs } = body("# One\n\n###### Six\n\n####### not a heading\n\nText");
  assert.deepEqual(
    paragraphs.map((p) => [attribute(p, "w:pStyle"), textContent(p)]),
    [["Heading1", "One"], ["Heading6", "Six"], [undefined, "####### not a heading"], [
      undefined,
      "Text",
    ]],
  );
  const [bodyElement] = findAll(root, "w:body");
  assert.equal((bodyElement!.children.at(-1) as XmlElement).name, "w:sectPr");
});

Deno.test("an empty document still has a paragraph before its section", () => {
  const { paragraphs } = body("");
  assert.equal(paragraphs.length, 1);
});

Deno.test("nested lists: levels, one numbering per numbered list, its start kept", () => {
  const { paragraphs, numbering } = body(
    "3. three\n4. four\n   - nested\n     1. deep\n\n" +
      "text\n\n1. again\n2. and\n\n7) seven\n",
  );
  const items = paragraphs.filter((p) => attribute(p, "w:numId") !== undefined);
  assert.deepEqual(
    items.map((p) => [textContent(p), attribute(p, "w:ilvl"), attribute(p, "w:numId")]),
    [
      ["three", "0", "2"],
      ["four", "0", "2"],
      ["nested", "1", "1"],
      ["deep", "2", "3"],
      ["again", "0", "4"],
      ["and", "0", "4"],
      ["seven", "0", "5"],
    ],
  );
  assert.ok(items.every((p) => attribute(p, "w:pStyle") === "ListParagraph"));
  const starts = Object.fromEntries(
    findAll(numbering, "w:num").map((num) => [
      num.attributes["w:numId"],
      attribute(num, "w:startOverride"),
    ]),
  );
  assert.deepEqual(starts, { 1: undefined, 2: "3", 3: "1", 4: "1", 5: "7" });
});

Deno.test("an item's later paragraphs sit under its text, without a marker", () => {
  const { paragraphs } = body("- first\n\n  more of first\n- second\n");
  assert.deepEqual(
    paragraphs.map((
      p,
    ) => [textContent(p), attribute(p, "w:numId"), attribute(p, "w:ind", "w:left")]),
    [["first", "1", undefined], ["more of first", undefined, "720"], ["second", "1", undefined]],
  );
});

Deno.test("quotes use the Quote style, one indent step per level", () => {
  const { paragraphs } = body("> outer\n>\n> > inner\n\nafter");
  assert.deepEqual(
    paragraphs.map((
      p,
    ) => [textContent(p), attribute(p, "w:pStyle"), attribute(p, "w:ind", "w:left")]),
    [["outer", "Quote", "720"], ["inner", "Quote", "1440"], ["after", undefined, undefined]],
  );
});

Deno.test("a code block is one Code Block paragraph per line, spaces and tabs kept", () => {
  const { paragraphs } = body("```\n  indented\n\tx = 1\n\nlast\n```\n");
  assert.deepEqual(paragraphs.map((p) => attribute(p, "w:pStyle")), Array(4).fill("CodeBlock"));
  assert.deepEqual(paragraphs.map(textContent), ["  indented", "x = 1", "", "last"]);
  assert.equal(findAll(paragraphs[0]!, "w:t")[0]?.attributes["xml:space"], "preserve");
  assert.equal(findAll(paragraphs[1]!, "w:tab").length, 1);
});

Deno.test("a rule is an empty paragraph with a border below; raw HTML is text", () => {
  const { paragraphs } = body('above\n\n---\n\n<div onclick="x()">hi</div>\n');
  assert.equal(attribute(paragraphs[1]!, "w:bottom"), "single");
  assert.equal(textContent(paragraphs[1]!), "");
  assert.equal(textContent(paragraphs[2]!), '<div onclick="x()">hi</div>');
});

Deno.test("inline styles, hard breaks and links, and a table in the body", () => {
  const { root, paragraphs, links } = body(
    "**b** *i* ~~s~~ `c` [l](https://e.com) [bad](javascript:x)  \nnext\n\n| h |\n| - |\n| v |\n",
  );
  const first = paragraphs[0]!;
  assert.equal(findAll(first, "w:b").length, 1);
  assert.equal(findAll(first, "w:i").length, 1);
  assert.equal(findAll(first, "w:strike").length, 1);
  assert.equal(attribute(first, "w:rStyle"), "Code");
  assert.deepEqual(links, ["https://e.com"]);
  assert.equal(findAll(first, "w:hyperlink")[0]?.attributes["r:id"], "rId4");
  assert.equal(findAll(first, "w:br").length, 1);
  assert.equal(textContent(first), "b i s c l badnext");
  assert.equal(findAll(root, "w:tbl").length, 1);
});
