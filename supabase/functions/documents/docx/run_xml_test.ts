import assert from "node:assert/strict";
import { findAll, parseXml, textContent } from "../../../../test_support/xml_tree.ts";
import type { Run } from "../inline_runs.ts";
import { pushRuns } from "./run_xml.ts";

function runsXml(runs: Run[], linkIds = (url: string) => `id:${url}`) {
  const out: string[] = [];
  pushRuns(out, runs, linkIds);
  return parseXml(`<w:p>${out.join("")}</w:p>`);
}

/** The names of an element's children, `w:` dropped: the order Word checks. */
function childNames(element: { children: unknown[] }) {
  return element.children.map((child) => (child as { name: string }).name.replace(/^w:/, ""));
}

Deno.test("bold, italic and strikethrough are direct formatting, in the schema's order", () => {
  const root = runsXml([{ text: "all", bold: true, italic: true, strike: true }, {
    text: "plain",
  }]);
  const [styled, plain] = findAll(root, "w:r");
  assert.deepEqual(childNames(findAll(styled!, "w:rPr")[0]!), ["b", "bCs", "i", "iCs", "strike"]);
  assert.deepEqual(childNames(plain!), ["t"]);
});

Deno.test("code is the Code style; code in a link keeps Hyperlink and a monospace font", () => {
  const root = runsXml([{ text: "x", code: true }, {
    text: "y",
    code: true,
    link: "https://e.com",
  }]);
  const [code, linked] = findAll(root, "w:rPr");
  assert.equal(findAll(code!, "w:rStyle")[0]?.attributes["w:val"], "Code");
  assert.deepEqual(childNames(linked!), ["rStyle", "rFonts"]);
  assert.equal(findAll(linked!, "w:rStyle")[0]?.attributes["w:val"], "Hyperlink");
});

Deno.test("tabs and line breaks are w:tab and w:br; the text between them is kept whole", () => {
  const root = runsXml([{ text: "a\tb\nc\r\nd\re\n" }]);
  assert.deepEqual(childNames(findAll(root, "w:r")[0]!), [
    "t",
    "tab",
    "t",
    "br",
    "t",
    "br",
    "t",
    "br",
    "t",
    "br",
  ]);
  assert.deepEqual(findAll(root, "w:t").map(textContent), ["a", "b", "c", "d", "e"]);
});

Deno.test("text with a space at either end is preserved; other text is not marked", () => {
  const root = runsXml([{ text: " lead" }, { text: "trail " }, { text: "in side" }, { text: " " }]);
  assert.deepEqual(
    findAll(root, "w:t").map((t) => t.attributes["xml:space"]),
    ["preserve", "preserve", undefined, "preserve"],
  );
  assert.deepEqual(findAll(root, "w:t").map(textContent), [" lead", "trail ", "in side", " "]);
});

Deno.test("markup in text stays text; forbidden characters are dropped", () => {
  const root = runsXml([{ text: `<script>alert("x")</script> & \u0000\uFFFE\uD800` }]);
  assert.equal(textContent(root), `<script>alert("x")</script> & `);
});

Deno.test("a long text is split into pieces that never cut a surrogate pair", () => {
  const text = `${"a".repeat(8191)}🙂${"b".repeat(20_000)}`;
  const pieces = findAll(runsXml([{ text }]), "w:t").map(textContent);
  assert.ok(pieces.length >= 3, `${pieces.length} pieces`);
  assert.ok(pieces.every((piece) => piece.length <= 8192));
  assert.equal(pieces.join(""), text);
  assert.ok(pieces[0]!.endsWith("a") && pieces[1]!.startsWith("🙂"));
});

Deno.test("adjacent runs to one destination share one hyperlink, by relationship id", () => {
  const root = runsXml([
    { text: "a ", link: "https://one.example" },
    { text: "b", bold: true, link: "https://one.example" },
    { text: " then " },
    { text: "c", link: "https://two.example" },
    { text: "d", link: "https://one.example" },
  ]);
  assert.deepEqual(
    findAll(root, "w:hyperlink").map((link) => [link.attributes["r:id"], textContent(link)]),
    [["id:https://one.example", "a b"], ["id:https://two.example", "c"], [
      "id:https://one.example",
      "d",
    ]],
  );
  assert.equal(textContent(root), "a b then cd");
});
