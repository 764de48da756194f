import assert from "node:assert/strict";
import { findAll, parseXml } from "../../../../test_support/xml_tree.ts";
import { contentTypesXml, packageRelationshipsXml, PARTS } from "./package_index.ts";

Deno.test("[Content_Types].xml types every part: .rels by extension, the others by name", () => {
  const types = parseXml(contentTypesXml());
  const defaults = Object.fromEntries(
    findAll(types, "Default").map((d) => [d.attributes.Extension, d.attributes.ContentType]),
  );
  assert.equal(defaults.rels, "application/vnd.openxmlformats-package.relationships+xml");
  const overrides = Object.fromEntries(
    findAll(types, "Override").map((o) => [o.attributes.PartName, o.attributes.ContentType]),
  );
  assert.deepEqual(overrides, {
    "/word/document.xml":
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "/word/styles.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    "/word/numbering.xml":
      "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
    "/word/settings.xml":
      "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
    "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
  });
});

Deno.test("_rels/.rels points at the document and both property parts, which exist", () => {
  const relationships = findAll(parseXml(packageRelationshipsXml()), "Relationship");
  const names = Object.values(PARTS).map((part) => part.name as string);
  assert.deepEqual(
    relationships.map((r) => [r.attributes.Type?.split("/").pop(), r.attributes.Target]),
    [
      ["officeDocument", "word/document.xml"],
      ["core-properties", "docProps/core.xml"],
      ["extended-properties", "docProps/app.xml"],
    ],
  );
  for (const r of relationships) assert.ok(names.includes(r.attributes.Target!));
  assert.equal(new Set(relationships.map((r) => r.attributes.Id)).size, relationships.length);
});
