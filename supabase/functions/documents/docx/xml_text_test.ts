import assert from "node:assert/strict";
import { escapeXmlAttribute, escapeXmlText, xmlAllowed } from "./xml_text.ts";

const FORBIDDEN = [
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code))
    .filter((char) => !"\t\n\r".includes(char)),
  "\uFFFE",
  "\uFFFF",
  "\uD800",
  "\uDBFF",
  "\uDC00",
  "\uDFFF",
];

Deno.test("the markup characters are escaped in text and attributes", () => {
  assert.equal(escapeXmlText(`a & b < c > d "e" 'f'`), `a &amp; b &lt; c &gt; d "e" 'f'`);
  assert.equal(
    escapeXmlAttribute(`a & b < c > d "e" 'f'`),
    "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;",
  );
  assert.equal(escapeXmlText("&amp;"), "&amp;amp;");
});

Deno.test("every character XML 1.0 forbids is dropped, alone and between text", () => {
  for (const char of FORBIDDEN) {
    const name = `U+${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
    assert.equal(escapeXmlText(`a${char}b`), "ab", name);
    assert.equal(escapeXmlAttribute(`a${char}b`), "ab", name);
    assert.equal(xmlAllowed(char), "", name);
  }
  assert.equal(xmlAllowed("\uDC00\uD800"), "", "two surrogates in the wrong order");
});

Deno.test("everything XML allows is kept, surrogate pairs included", () => {
  const allowed = "Здравствуйте 你好 مرحبا 🙂 \u007F\u0085\u00A0\uFFFD\uE000 é";
  assert.equal(escapeXmlText(allowed), allowed);
  assert.equal(escapeXmlAttribute(allowed), allowed);
  assert.equal(
    xmlAllowed(`\uD83D\uDE42${FORBIDDEN.join("-")}`),
    `🙂${"-".repeat(FORBIDDEN.length - 1)}`,
  );
});

Deno.test("whitespace survives a parser: CR in text, tab, newline and CR in attributes", () => {
  assert.equal(escapeXmlText("a\tb\nc\rd"), "a\tb\nc&#13;d");
  assert.equal(escapeXmlAttribute("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
});

Deno.test("a long text is escaped in one pass", () => {
  const text = "<&>".repeat(100_000);
  assert.equal(escapeXmlText(text), "&lt;&amp;&gt;".repeat(100_000));
});
