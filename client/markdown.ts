/**
 * Renders the Markdown that generated documents use into HTML that is safe to assign to
 * innerHTML: every character of the source is escaped before any markup is added, and no raw
 * HTML, link or image syntax is interpreted, so answers typed by a user can never inject markup.
 *
 * Supported: ATX headings, paragraphs (single line breaks kept), `-`/`*` and `1.` lists, pipe
 * tables with a `---` separator row, `>` quotes, `---` rules, `**bold**`, `*italic*`/`_italic_`
 * and `` `code` ``.
 */
export function renderMarkdown(source: string): string {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const html: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      i++;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      html.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      html.push("<hr>");
      i++;
      continue;
    }
    if (isTableRow(line) && isTableSeparator(lines[i + 1])) {
      const header = cells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && isTableRow(lines[i]!)) rows.push(cells(lines[i++]!));
      const head = header.map((cell) => `<th>${inline(cell)}</th>`).join("");
      const body = rows.map((row) =>
        `<tr>${header.map((_, c) => `<td>${inline(row[c] ?? "")}</td>`).join("")}</tr>`
      ).join("");
      html.push(`<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`);
      continue;
    }
    const list = listItem(line);
    if (list) {
      const items: string[] = [];
      while (i < lines.length) {
        const item = listItem(lines[i]!);
        if (!item || item.ordered !== list.ordered) break;
        items.push(`<li>${inline(item.text)}</li>`);
        i++;
      }
      const tag = list.ordered ? "ol" : "ul";
      html.push(`<${tag}>${items.join("")}</${tag}>`);
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i]!)) {
        quoted.push(lines[i++]!.replace(/^\s*>\s?/, ""));
      }
      html.push(`<blockquote>${renderMarkdown(quoted.join("\n"))}</blockquote>`);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== "" && !startsBlock(lines, i)) {
      paragraph.push(inline(lines[i++]!.trim()));
    }
    html.push(`<p>${paragraph.join("<br>")}</p>`);
  }
  return html.join("\n");
}

/** Escapes the five characters that matter in HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function startsBlock(lines: string[], i: number): boolean {
  const line = lines[i]!;
  return /^#{1,6}\s/.test(line) || listItem(line) !== null || /^\s*>/.test(line) ||
    /^\s*([-*_])(\s*\1){2,}\s*$/.test(line) ||
    (isTableRow(line) && isTableSeparator(lines[i + 1]));
}

function listItem(line: string): { ordered: boolean; text: string } | null {
  const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
  if (bullet) return { ordered: false, text: bullet[1]! };
  const numbered = /^\s*\d{1,9}[.)]\s+(.*)$/.exec(line);
  return numbered ? { ordered: true, text: numbered[1]! } : null;
}

function isTableRow(line: string): boolean {
  return /^\s*\|.*\|\s*$/.test(line);
}

function isTableSeparator(line: string | undefined): boolean {
  return line !== undefined && /^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(line);
}

function cells(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((cell) => cell.trim());
}

/** Inline markup on escaped text: code spans first, so their content stays literal. */
function inline(text: string): string {
  return text.split(/(`[^`]+`)/).map((part) => {
    if (/^`[^`]+`$/.test(part)) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
    return escapeHtml(part)
      .replace(/\*\*(?=\S)(.+?)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|[^\w*])\*(?=\S)([^*]+?)\*(?![\w*])/g, "$1<em>$2</em>")
      .replace(/(^|[^\w])_(?=\S)([^_]+?)_(?!\w)/g, "$1<em>$2</em>");
  }).join("");
}
