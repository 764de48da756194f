import assert from "node:assert/strict";
import { findAll, parseXml } from "../../../../test_support/xml_tree.ts";
import { sectionPropertiesXml, TEXT_WIDTH } from "./page.ts";

Deno.test("the page is A4 portrait with one-inch margins; the text is 9,026 twips wide", () => {
  const section = parseXml(sectionPropertiesXml());
  const size = findAll(section, "w:pgSz")[0]?.attributes;
  // 210 mm x 297 mm in twentieths of a point, rounded.
  assert.deepEqual([size?.["w:w"], size?.["w:h"]], ["11906", "16838"]);
  const margins = findAll(section, "w:pgMar")[0]?.attributes;
  for (const side of ["top", "right", "bottom", "left"]) {
    assert.equal(margins?.[`w:${side}`], "1440");
  }
  assert.equal(TEXT_WIDTH, 9026);
});
