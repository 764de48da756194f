import assert from "node:assert/strict";
import { findAll, parseXml } from "../../../../test_support/xml_tree.ts";
import { LIST_LEVELS, ListNumbering } from "./numbering.ts";

Deno.test("bullet lists share one instance; each numbered list gets its own", () => {
  const numbering = new ListNumbering();
  assert.deepEqual(numbering.bullet(0), { numId: 1, level: 0 });
  assert.deepEqual(numbering.ordered(0, 3), { numId: 2, level: 0 });
  assert.deepEqual(numbering.bullet(1), { numId: 1, level: 1 });
  assert.deepEqual(numbering.ordered(2, 1), { numId: 3, level: 2 });
  assert.deepEqual(numbering.ordered(0, 1), { numId: 4, level: 0 });
});

Deno.test("each numbered list restarts at its own start, at its own level", () => {
  const numbering = new ListNumbering();
  numbering.ordered(0, 3);
  numbering.ordered(1, 0);
  numbering.ordered(0, 1);
  const root = parseXml(numbering.xml());
  const nums = findAll(root, "w:num").map((num) => ({
    id: num.attributes["w:numId"],
    abstract: findAll(num, "w:abstractNumId")[0]?.attributes["w:val"],
    level: findAll(num, "w:lvlOverride")[0]?.attributes["w:ilvl"],
    start: findAll(num, "w:startOverride")[0]?.attributes["w:val"],
  }));
  assert.deepEqual(nums, [
    { id: "1", abstract: "0", level: undefined, start: undefined },
    { id: "2", abstract: "1", level: "0", start: "3" },
    { id: "3", abstract: "1", level: "1", start: "0" },
    { id: "4", abstract: "1", level: "0", start: "1" },
  ]);
});

Deno.test("bullets and decimals on nine levels, each level indented further", () => {
  const root = parseXml(new ListNumbering().xml());
  const [bullet, decimal] = findAll(root, "w:abstractNum");
  for (const [abstract, format] of [[bullet, "bullet"], [decimal, "decimal"]] as const) {
    const levels = findAll(abstract!, "w:lvl");
    assert.equal(levels.length, LIST_LEVELS);
    levels.forEach((level, i) => {
      assert.equal(level.attributes["w:ilvl"], String(i));
      assert.equal(findAll(level, "w:numFmt")[0]?.attributes["w:val"], format);
      assert.equal(findAll(level, "w:ind")[0]?.attributes["w:left"], String(720 * (i + 1)));
    });
  }
  const texts = findAll(decimal!, "w:lvlText").map((t) => t.attributes["w:val"]);
  assert.deepEqual(texts.slice(0, 3), ["%1.", "%2.", "%3."]);
});

Deno.test("levels beyond Word's nine stay at the ninth; a negative start is 0", () => {
  const numbering = new ListNumbering();
  assert.deepEqual(numbering.bullet(12), { numId: 1, level: 8 });
  assert.deepEqual(numbering.ordered(20, -4), { numId: 2, level: 8 });
  const start = findAll(parseXml(numbering.xml()), "w:startOverride")[0];
  assert.equal(start?.attributes["w:val"], "0");
});
