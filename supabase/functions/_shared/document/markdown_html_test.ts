import assert from "node:assert/strict";
import { documentToHtml, escapeHtml, markdownToHtml } from "./markdown_html.ts";

/** The tag names in an HTML string. */
function tags(html: string): string[] {
  return [...html.matchAll(/<\/?([a-z0-9]+)/g)].map((match) => match[1]!);
}

Deno.test("markdownToHtml", async (t) => {
  await t.step("headings, paragraphs, emphasis, lists and tables", () => {
    assert.equal(
      markdownToHtml(
        "# Title\n\nBy **Acme** and *Beta*, `a*b`\n\n3. three\n4. four\n\n- one\n- two\n\n" +
          "| Term | Detail |\n| :-- | --: |\n| Party | **Acme** |",
      ),
      "<h1>Title</h1>\n<p>By <strong>Acme</strong> and <em>Beta</em>, <code>a*b</code></p>\n" +
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n<ul>\n<li>one</li>\n<li>two</li>\n' +
        '</ul>\n<table>\n<thead>\n<tr>\n<th align="left">Term</th>\n<th align="right">Detail</th>\n' +
        '</tr>\n</thead>\n<tbody><tr>\n<td align="left">Party</td>\n' +
        '<td align="right"><strong>Acme</strong></td>\n</tr>\n</tbody></table>\n',
    );
  });

  await t.step("raw HTML in the source is shown as text, block or inline", () => {
    const html = markdownToHtml(
      '<script>alert(1)</script>\n\nA <img src=x onerror="alert(1)"> and <b onclick="x">b</b>\n\n' +
        "<div>\n<iframe src=//evil></iframe>\n</div>\n\n<!-- note -->",
    );
    assert.deepEqual([...new Set(tags(html))], ["p"]);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /&lt;img src=x onerror="alert\(1\)"&gt;/);
    assert.match(html, /&lt;!-- note --&gt;/);
  });

  await t.step("links keep only http(s) and mailto; images become their alt text", () => {
    const html = markdownToHtml(
      "[a](javascript:alert(1)) [b](JAVASCRIPT:x) [c](data:text/html,x) [d](vbscript:x) " +
        '[e](https://example.test/?q=1&r=2 "T") [f](mailto:x@example.test) [g](//evil.test) ' +
        "![alt text](https://example.test/i.png) <javascript:alert(1)> [h](<javascript:x>)",
    );
    assert.deepEqual(
      [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]),
      ["https://example.test/?q=1&amp;r=2", "mailto:x@example.test"],
    );
    assert.doesNotMatch(html, /<img|javascript:alert\(1\)">|data:text/);
    assert.match(html, /\balt text\b/);
  });

  await t.step("task lists become [x] and [ ] text, never inputs", () => {
    assert.equal(
      markdownToHtml("- [x] done\n- [ ] open"),
      "<ul>\n<li>[x] done</li>\n<li>[ ] open</li>\n</ul>\n",
    );
  });
});

Deno.test("documentToHtml", async (t) => {
  await t.step("plain text keeps every character as text", () => {
    assert.equal(
      documentToHtml({ format: "text", content: "# one **two**\n\n<b>three</b>" }),
      "<p># one **two**</p>\n<p>&lt;b&gt;three&lt;/b&gt;</p>\n",
    );
  });

  await t.step("HTML keeps its text and paragraphs, never its markup", () => {
    assert.equal(
      documentToHtml({
        format: "html",
        content: "<h1>Title &amp; more</h1><p onclick=x>One<br>two</p><script>alert(1)</script>" +
          "<p>&lt;b&gt;</p>",
      }),
      "<p>Title &amp; more</p>\n<p>One\ntwo</p>\n<p>&lt;b&gt;</p>\n",
    );
  });
});

Deno.test("escapeHtml escapes the characters that matter in text and attributes", () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
});
