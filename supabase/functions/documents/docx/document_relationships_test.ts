import assert from "node:assert/strict";
import { findAll, parseXml } from "../../../../test_support/xml_tree.ts";
import { DocumentRelationships, uriReference } from "./document_relationships.ts";

Deno.test("styles, numbering and settings first, then one relationship per destination", () => {
  const relationships = new DocumentRelationships();
  assert.equal(relationships.hyperlink("https://example.com/a?x=1&y=2"), "rId4");
  assert.equal(relationships.hyperlink("mailto:legal@acme.example"), "rId5");
  assert.equal(relationships.hyperlink("https://example.com/a?x=1&y=2"), "rId4");
  const parsed = findAll(parseXml(relationships.xml()), "Relationship").map((r) => r.attributes);
  assert.deepEqual(parsed.map((r) => [r.Id, r.Type?.split("/").pop(), r.Target, r.TargetMode]), [
    ["rId1", "styles", "styles.xml", undefined],
    ["rId2", "numbering", "numbering.xml", undefined],
    ["rId3", "settings", "settings.xml", undefined],
    ["rId4", "hyperlink", "https://example.com/a?x=1&y=2", "External"],
    ["rId5", "hyperlink", "mailto:legal@acme.example", "External"],
  ]);
});

Deno.test("a destination becomes a URI: other characters percent-encoded as UTF-8", () => {
  assert.equal(uriReference("https://example.com/a b"), "https://example.com/a%20b");
  assert.equal(
    uriReference('https://例え.jp/über?q="x"'),
    "https://%E4%BE%8B%E3%81%88.jp/%C3%BCber?q=%22x%22",
  );
  assert.equal(uriReference("https://e.com/100%25/50%"), "https://e.com/100%25/50%25");
  assert.equal(uriReference("https://e.com/\uD800"), "https://e.com/%EF%BF%BD");
  assert.equal(uriReference("https://e.com/<a>{|}\\^`"), "https://e.com/%3Ca%3E%7B%7C%7D%5C%5E%60");
  const kept = "https://u:p@e.com:8080/p-._~!$&'()*+,;=:@/?q=[1]#f";
  assert.equal(uriReference(kept), kept);
});

Deno.test("destinations that differ only in encoding share a relationship", () => {
  const relationships = new DocumentRelationships();
  assert.equal(
    relationships.hyperlink("https://e.com/a b"),
    relationships.hyperlink("https://e.com/a%20b"),
  );
});
