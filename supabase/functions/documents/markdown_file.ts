/**
 * The `md` download: the document's Markdown as a person reads it in a text editor, with only the
 * escapes a reader's Markdown viewer needs to show the same document.
 *
 * The stored Markdown escapes what GFM would autolink in an answer (`a\@b.co`, `https\://x.test`,
 * `www\.x.test`), because our renderers make links only where the template's body does. In a
 * reader's viewer such an autolink shows exactly its own text and goes where that text says, so
 * it hides nothing, while the backslash is noise in every e-mail address. Those escapes go; every
 * other escape stays, since each stops real markup (emphasis, a heading, a list, a table, raw
 * HTML, a link whose text is not its destination) that would change what the reader sees.
 * Escapes inside code (fenced blocks, code spans) are text, and stay as they are.
 */

/** The Markdown of the download, from the document's Markdown (documentMarkdown). */
export function readerMarkdown(markdown: string): string {
  let fence: string | undefined;
  return markdown.split("\n").map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) {
        fence = undefined;
      }
      return line;
    }
    if (marker !== undefined) {
      fence = marker;
      return line;
    }
    return outsideCodeSpans(line, dropAutolinkEscapes);
  }).join("\n");
}

/** `\@` always; `\:` after http, https or ftp; `\.` after www: the escapes that only break links. */
function dropAutolinkEscapes(text: string): string {
  return text.replace(
    /(?<!\\)((?:\\\\)*)\\(@|(?<=(?:https?|ftp)\\):|(?<=www\\)\.)/gi,
    "$1$2",
  );
}

/** Applies `change` to the parts of a line outside its code spans (matched backtick runs). */
function outsideCodeSpans(line: string, change: (text: string) => string): string {
  let out = "";
  let from = 0;
  const runs = /(?<!\\)(?:\\\\)*(`+)/g;
  for (let match = runs.exec(line); match !== null; match = runs.exec(line)) {
    const ticks = match[1]!;
    const open = match.index + match[0].length - ticks.length;
    const close = closingRun(line, open + ticks.length, ticks.length);
    if (close === -1) continue;
    out += change(line.slice(from, open)) + line.slice(open, close + ticks.length);
    from = close + ticks.length;
    runs.lastIndex = from;
  }
  return out + change(line.slice(from));
}

/** Where the next run of exactly `length` backticks starts at or after `from`, or -1. */
function closingRun(line: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let match = runs.exec(line); match !== null; match = runs.exec(line)) {
    if (match[0].length === length) return match.index;
  }
  return -1;
}
