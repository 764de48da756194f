import assert from "node:assert/strict";
import { findAll, parseXml, textContent } from "../../../../test_support/xml_tree.ts";
import { pushParagraph } from "./paragraph_xml.ts";

function paragraph(
  ...args: Parameters<typeof pushParagraph> extends [unknown, ...infer R] ? R : never
) {
  const out: string[] = [];
  pushParagraph(out, ...args);
  return parseXml(out.join(""));
}

const noLinks = () => "unused";

Deno.test("a paragraph's properties come in the schema's order", () => {
  const p = paragraph(
    {
      style: "ListParagraph",
      list: { numId: 3, level: 1 },
      ruleBelow: true,
      spaceAfter: 0,
      indent: 1440,
      align: "center",
    },
    [{ text: "x" }],
    noLinks,
  );
  const properties = findAll(p, "w:pPr")[0]!;
  assert.deepEqual(
    properties.children.map((child) => (child as { name: string }).name),
    ["w:pStyle", "w:numPr", "w:pBdr", "w:spacing", "w:ind", "w:jc"],
  );
  assert.equal(findAll(p, "w:numId")[0]?.attributes["w:val"], "3");
  assert.equal(findAll(p, "w:ilvl")[0]?.attributes["w:val"], "1");
  assert.equal(findAll(p, "w:jc")[0]?.attributes["w:val"], "center");
  assert.equal(textContent(p), "x");
});

Deno.test("a plain paragraph has no properties; left alignment is the default, not written", () => {
  assert.equal(findAll(paragraph({ align: "left" }, [{ text: "x" }], noLinks), "w:pPr").length, 0);
  assert.deepEqual(paragraph({}, [], noLinks), { name: "w:p", attributes: {}, children: [] });
});
