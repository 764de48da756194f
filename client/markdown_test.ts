import assert from "node:assert/strict";
import { escapeHtml, renderMarkdown } from "./markdown.ts";

Deno.test("renderMarkdown", async (t) => {
  await t.step("headings, paragraphs with line breaks, emphasis and code", () => {
    assert.equal(
      renderMarkdown(
        "# Title\n\nBy **Acme** and *Beta*, _Gamma_\nnext line with `a*b*c`\n\n## Part",
      ),
      "<h1>Title</h1>\n<p>By <strong>Acme</strong> and <em>Beta</em>, <em>Gamma</em><br>next line with " +
        "<code>a*b*c</code></p>\n<h2>Part</h2>",
    );
  });

  await t.step("lists, quotes and rules", () => {
    assert.equal(
      renderMarkdown("- one\n- two\n1. first\n2. second\n\n> quoted\n> more\n\n---"),
      "<ul><li>one</li><li>two</li></ul>\n<ol><li>first</li><li>second</li></ol>\n" +
        "<blockquote><p>quoted<br>more</p></blockquote>\n<hr>",
    );
  });

  await t.step("pipe tables as the templates write them", () => {
    assert.equal(
      renderMarkdown("| Term | Detail |\n| --- | --- |\n| Party | **Acme** |\n| Law |"),
      "<table><thead><tr><th>Term</th><th>Detail</th></tr></thead><tbody>" +
        "<tr><td>Party</td><td><strong>Acme</strong></td></tr>" +
        "<tr><td>Law</td><td></td></tr></tbody></table>",
    );
  });

  await t.step("escapes every answer: no tag, attribute, entity or link survives", () => {
    const hostile = [
      '# <img src=x onerror="alert(1)">',
      "<script>alert('x')</script> & &amp; [click](javascript:alert(1))",
      "| <b>cell</b> |\n| --- |\n| `<i>` |",
      "- <svg onload=alert(1)>",
      "**<a href='x'>bold</a>**",
    ].join("\n\n");
    const html = renderMarkdown(hostile);
    const tags = [...html.matchAll(/<\/?([a-z0-9]+)/g)].map((match) => match[1]);
    const allowed = ["h1", "p", "table", "thead", "tr", "th", "tbody", "td", "code", "ul", "li"];
    for (const tag of tags) assert.ok(allowed.includes(tag!) || tag === "strong", `<${tag}>`);
    assert.match(html, /&lt;script&gt;alert\(&#39;x&#39;\)&lt;\/script&gt; &amp; &amp;amp;/);
    assert.match(html, /\[click\]\(javascript:alert\(1\)\)/, "links stay text");
    assert.doesNotMatch(html, /<(img|script|svg|a|b|i)\b/);
  });

  await t.step("keeps CRLF documents and empty input", () => {
    assert.equal(renderMarkdown("a\r\nb"), "<p>a<br>b</p>");
    assert.equal(renderMarkdown(""), "");
  });
});

Deno.test("escapeHtml escapes the characters that matter in text and attributes", () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
});
