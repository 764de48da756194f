/** A document as a standalone HTML file: the sanitised HTML of its tokens in a small page. */
import type { Token } from "../_shared/document/markdown.ts";
import { escapeHtml, renderHtml } from "../_shared/document/markdown_html.ts";

const STYLE = `
body { margin: 0; background: #f6f6f4; color: #1d1d1f; }
article { box-sizing: border-box; max-width: 48rem; margin: 2rem auto; padding: 2rem 2.5rem;
  background: #fff; font: 16px/1.55 Georgia, "Times New Roman", serif; overflow-wrap: anywhere; }
h1, h2, h3, h4, h5, h6 { font-family: system-ui, sans-serif; line-height: 1.25; }
table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
code, pre { font-family: ui-monospace, monospace; background: #f0f0f0; }
pre { padding: 0.75rem; white-space: pre-wrap; }
blockquote { margin-left: 0; padding-left: 1rem; border-left: 3px solid #ccc; }
@media print { body { background: none; } article { margin: 0; max-width: none; } }
`.trim();

/** Renders block tokens to a complete UTF-8 HTML document titled `title`. */
export function renderHtmlFile(tokens: readonly Token[], options: { title: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<article>
${renderHtml([...tokens])}</article>
</body>
</html>
`;
}
