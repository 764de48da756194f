// Checks that an assembled Markdown document reads as finished prose: what a reader would
// notice first if a template's body or an answer set left it broken.

/**
 * The problems found in `content`, one sentence each, with the line they are on:
 * - "(s)" plurals;
 * - tags left unfilled or stray: `{{`, `}}`, `{%`, `%}`;
 * - a heading with nothing under it (followed by another heading or the end);
 * - a paragraph line that does not end a sentence (with `.`, `:`, `;`, `?` or `!`, closing
 *   quotes, brackets or emphasis allowed after it). Headings, table rows, list items and
 *   quotes are not paragraph lines. Three shapes a letter or a signature block needs are
 *   allowed as paragraphs of one line: a caption wholly in bold (`**Acme Inc.**`), a
 *   salutation or closing ending in a comma (`Dear Jane Doe,`), a field (`Name: Jane`) and a
 *   letter's date line (`December 7, 2026`);
 * - section numbers (`## 3. Term`) that do not run 1, 2, 3, ..., and a section after the first
 *   numbered one without a number (a closing "Signatures" section excepted).
 */
export function proseProblems(content: string): string[] {
  const problems: string[] = [];
  const lines = content.split("\n");
  const at = (index: number) => `line ${index + 1} "${(lines[index] ?? "").slice(0, 80)}"`;
  const blank = (index: number) => (lines[index] ?? "").trim() === "";
  lines.forEach((line, index) => {
    if (line.includes("(s)")) problems.push(`"(s)" on ${at(index)}`);
    if (/\{\{|\}\}|\{%|%\}/.test(line)) problems.push(`a tag is left on ${at(index)}`);
    if (/^#{1,6}\s/.test(line)) {
      let next = index + 1;
      while (next < lines.length && blank(next)) next++;
      if (next >= lines.length || /^#{1,6}\s/.test(lines[next] ?? "")) {
        problems.push(`an empty section under ${at(index)}`);
      }
      return;
    }
    if (line.trim() === "" || !isParagraphLine(line)) return;
    if (/[.:;?!]["'”’)\]*_]*$/.test(line.trimEnd())) return;
    const alone = (index === 0 || blank(index - 1)) && blank(index + 1);
    const allowed = /^\*\*[^*]+\*\*$/.test(line) ||
      /^(?:Dear|Sincerely|Yours|Regards|Best|Kind|Warm|With)\b.*,$/.test(line) ||
      /^[A-Z][A-Za-z ]{0,40}: \S/.test(line) ||
      /^[A-Z][a-z]+ \d{1,2}, \d{4}$/.test(line);
    if (!(alone && allowed)) problems.push(`a sentence is broken off at ${at(index)}`);
  });
  problems.push(...numberingProblems(lines));
  return problems;
}

function isParagraphLine(line: string): boolean {
  return !/^\s*(?:\||[-*+]\s|\d+[.)]\s|>|-{3,}\s*$|<!--)/.test(line);
}

function numberingProblems(lines: readonly string[]): string[] {
  const headings = lines.filter((line) => /^## /.test(line));
  const first = headings.findIndex((line) => /^## \d+\. /.test(line));
  if (first === -1) return [];
  const problems: string[] = [];
  let expected = 1;
  let signatures = false;
  for (const heading of headings.slice(first)) {
    const number = /^## (\d+)\. /.exec(heading)?.[1];
    if (number === undefined) {
      signatures = /^## Signatures?$/.test(heading);
      if (!signatures) problems.push(`section "${heading}" has no number`);
      continue;
    }
    if (signatures) problems.push(`section "${heading}" comes after the signatures`);
    if (Number(number) !== expected) {
      problems.push(`section "${heading}" should be number ${expected}`);
    }
    expected = Number(number) + 1;
  }
  return problems;
}
