import assert from "node:assert/strict";
import { findAll, parseXml, textContent } from "../../../../test_support/xml_tree.ts";
import { appPropertiesXml, corePropertiesXml } from "./doc_props.ts";

Deno.test("the core properties carry the title as typed and the time in W3CDTF", () => {
  const title = `Schedule for <i>First</i> & "Co" \u0001\uFFFF 你好`;
  const core = parseXml(corePropertiesXml(title, new Date("2026-12-07T10:11:12.345Z")));
  assert.equal(
    textContent(findAll(core, "dc:title")[0]!),
    `Schedule for <i>First</i> & "Co"  你好`,
  );
  assert.equal(textContent(findAll(core, "dcterms:created")[0]!), "2026-12-07T10:11:12Z");
  assert.equal(findAll(core, "dcterms:modified")[0]?.attributes["xsi:type"], "dcterms:W3CDTF");
});

Deno.test("the app properties name the writer", () => {
  const app = parseXml(appPropertiesXml());
  assert.equal(textContent(findAll(app, "Application")[0]!), "guided-document-chat");
});
