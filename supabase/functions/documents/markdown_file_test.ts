// The Markdown download drops the escapes that only break autolinks, and nothing a reader's
// viewer needs: read back by the same parser, it is the stored document but for autolinks that
// show exactly their own text.
import assert from "node:assert/strict";
import { escapeMarkdownText } from "../_shared/document/markdown_escape.ts";
import { markdownToHtml } from "../_shared/document/markdown_html.ts";
import { readerMarkdown } from "./markdown_file.ts";

const HOSTILE = [
  "mail a@b.co or A@B.CO",
  "see https://x.test, HTTP://Y.TEST, ftp://f.test, www.z.test and mailto:m@n.test",
  "<script>alert(1)</script> <https://angle.test>",
  "[link](javascript:alert(1)) ![img](https://example.test/x.png)",
  "**strong** _em_ `code` ~~del~~ | cell |",
  "# heading",
  "- list",
  "1. ordered",
  "C:\\path\\@home \\\\@ back",
];

/** Every link of the rendered HTML as [href, text]. */
function links(html: string): [string, string][] {
  return [...html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => [m[1]!, m[2]!]);
}

Deno.test("readerMarkdown", async (t) => {
  await t.step("an answer's e-mail and web addresses lose their backslashes", () => {
    assert.equal(
      readerMarkdown(escapeMarkdownText("Mail a@b.co, see https://x.test or www.y.test.")),
      "Mail a@b.co, see https://x.test or www.y.test.",
    );
  });

  await t.step("what a viewer shows differs only by autolinks of their own text", () => {
    for (const answer of HOSTILE) {
      const stored = escapeMarkdownText(answer);
      const html = markdownToHtml(readerMarkdown(stored));
      for (const [href, text] of links(html)) {
        assert.ok(
          href.replace(/^mailto:/, "").toLowerCase().endsWith(
            text.toLowerCase().replace(/^mailto:/, ""),
          ),
          `${answer}: ${href} ${text}`,
        );
      }
      assert.equal(
        html.replace(/<a [^>]*>([^<]*)<\/a>/g, "$1"),
        markdownToHtml(stored),
        answer,
      );
    }
  });

  await t.step("a backslash the person typed before @ stays", () => {
    assert.equal(readerMarkdown(escapeMarkdownText("C:\\@x")), "C:\\\\@x");
  });

  await t.step("code keeps its text", () => {
    const code = "```\na\\@b\n```\n\nInline `a\\@b` and a\\@b.";
    assert.equal(readerMarkdown(code), "```\na\\@b\n```\n\nInline `a\\@b` and a@b.");
  });
});
