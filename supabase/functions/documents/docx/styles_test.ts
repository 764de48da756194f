import assert from "node:assert/strict";
import { findAll, parseXml, type XmlElement } from "../../../../test_support/xml_tree.ts";
import { STYLE, stylesXml } from "./styles.ts";

const styles = findAll(parseXml(stylesXml()), "w:style");
const byId = new Map(styles.map((style) => [style.attributes["w:styleId"], style]));

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element && findAll(element, name)[0];
}

Deno.test("every style the writer names is defined once, with its type", () => {
  assert.equal(byId.size, styles.length, "no style id twice");
  const expected: [string, string][] = [
    [STYLE.normal, "paragraph"],
    [STYLE.title, "paragraph"],
    ...STYLE.heading.map((id): [string, string] => [id, "paragraph"]),
    [STYLE.quote, "paragraph"],
    [STYLE.listParagraph, "paragraph"],
    [STYLE.codeBlock, "paragraph"],
    [STYLE.code, "character"],
    [STYLE.hyperlink, "character"],
  ];
  for (const [id, type] of expected) assert.equal(byId.get(id)?.attributes["w:type"], type, id);
  assert.equal(byId.get("Normal")?.attributes["w:default"], "1");
});

Deno.test("headings are Word's built-in heading 1-6, with outline levels", () => {
  STYLE.heading.forEach((id, i) => {
    const style = byId.get(id);
    assert.equal(child(style, "w:name")?.attributes["w:val"], `heading ${i + 1}`);
    assert.equal(child(style, "w:outlineLvl")?.attributes["w:val"], String(i));
    assert.equal(child(style, "w:basedOn")?.attributes["w:val"], "Normal");
    assert.ok(child(style, "w:keepNext"), "a heading stays with the text after it");
  });
});

Deno.test("code is monospace, a link blue and underlined, a quote indented and ruled", () => {
  for (const id of [STYLE.code, STYLE.codeBlock]) {
    assert.equal(child(byId.get(id), "w:rFonts")?.attributes["w:ascii"], "Courier New", id);
  }
  assert.equal(child(byId.get(STYLE.hyperlink), "w:u")?.attributes["w:val"], "single");
  const quote = byId.get(STYLE.quote);
  assert.equal(child(quote, "w:ind")?.attributes["w:left"], "720");
  assert.ok(child(child(quote, "w:pBdr"), "w:left"));
});
