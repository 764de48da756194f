import assert from "node:assert/strict";
import { findAll, parseXml } from "../../../../test_support/xml_tree.ts";
import { settingsXml } from "./settings.ts";

Deno.test("settings: half-inch tab stops, Word 2013+ layout rather than compatibility mode", () => {
  const settings = parseXml(settingsXml());
  assert.equal(findAll(settings, "w:defaultTabStop")[0]?.attributes["w:val"], "720");
  const mode = findAll(settings, "w:compatSetting")[0]?.attributes;
  assert.equal(mode?.["w:name"], "compatibilityMode");
  assert.equal(mode?.["w:val"], "15");
});
