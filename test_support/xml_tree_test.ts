import assert from "node:assert/strict";
import { findAll, parseXml, textContent } from "./xml_tree.ts";

Deno.test("well-formed XML becomes its tree, references and whitespace as a parser reads them", () => {
  const root = parseXml(
    '<?xml version="1.0"?>\n<a x="1 &amp; 2" y=\'t\tab\'><b>one &lt; &#x41;&#66;</b><b/>\r\ntwo</a>',
  );
  assert.equal(root.name, "a");
  assert.deepEqual(root.attributes, { x: "1 & 2", y: "t ab" });
  assert.deepEqual(findAll(root, "b").map(textContent), ["one < AB", ""]);
  assert.equal(textContent(root), "one < AB\ntwo");
});

Deno.test("anything not well-formed is refused", () => {
  for (
    const bad of [
      "<a>",
      "<a></b>",
      "<a><b></a></b>",
      '<a x="1" x="2"/>',
      "<a x=1/>",
      '<a x="1"y="2"/>',
      "<a>&</a>",
      "<a>&nbsp;</a>",
      "<a>&#1;</a>",
      "<a>&#xD800;</a>",
      "<a>\u0001</a>",
      "<a>\uD800</a>",
      "<a/><b/>",
      "text<a/>",
      "<a><!-- c --></a>",
      '<a x="<"/>',
    ]
  ) {
    assert.throws(() => parseXml(bad), /Not well-formed XML/, bad);
  }
});
