/**
 * The bounds that keep marked's lexer linear on any document up to the maximum. Measured at
 * 200,000 characters (BENCHMARKS.md, "Documents at the maximum"): emphasis delimiters of both
 * kinds mixed with brackets (`*_**__a `, `[*a `) cost marked time quadratic in their number
 * within one inline text (212 s of CPU for one such paragraph), and containers nested thousands
 * deep (`>>>>…`) overflow its recursion's stack. So, before marked sees them:
 * - an inline text (a paragraph, a heading, a table cell, a list item's text) with more than
 *   `maxInlineDelimiters` delimiter characters is read as plain text, every character as typed;
 * - a line whose container prefix (`>`, list markers, indentation) is wider than
 *   `maxContainerColumns` columns is read as plain text, its nesting dropped.
 * Real documents stay far inside both: the shipped templates' paragraphs hold at most a few
 * dozen delimiters and nest two levels.
 */
import { escapeMarkdownText, unescapeMarkdown } from "./markdown_escape.ts";

export const MARKDOWN_BOUNDS = {
  /** Delimiter characters (`*`, `_`, `~`, `` ` ``, `[`, `]`) in one inline text. */
  maxInlineDelimiters: 64,
  /** Columns of `>`, list markers and indentation before a line's text (a tab is 4). */
  maxContainerColumns: 64,
} as const;

const DELIMITER = /[*_~`[\]]/g;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/**
 * An inline text as marked should read it: itself, or past the delimiter bound, the characters
 * it shows with every ASCII punctuation character escaped, so it is text and nothing else.
 */
export function boundInline(text: string): string {
  let delimiters = 0;
  DELIMITER.lastIndex = 0;
  while (DELIMITER.exec(text) !== null) {
    if (++delimiters > MARKDOWN_BOUNDS.maxInlineDelimiters) {
      return unescapeMarkdown(text).replace(ASCII_PUNCTUATION, "\\$&");
    }
  }
  return text;
}

const CONTAINER_PREFIX = /^(?:[ \t>]|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))*/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * A document's Markdown with every line nested deeper than the bound made plain text. Lines in
 * a fenced code block are code and stay as they are.
 */
export function boundNesting(markdown: string): string {
  const lines = markdown.split("\n");
  let fence: string | undefined;
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (
        marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length &&
        isFenceEnd(line)
      ) {
        fence = undefined;
      }
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      continue;
    }
    if (containerColumns(line) > MARKDOWN_BOUNDS.maxContainerColumns) {
      lines[i] = escapeMarkdownText(line);
      changed = true;
    }
  }
  return changed ? lines.join("\n") : markdown;
}

function isFenceEnd(line: string): boolean {
  return /^ {0,3}(?:`{3,}|~{3,})[ \t]*$/.test(line);
}

/** The width of a line's container prefix in columns, a tab counting 4. */
function containerColumns(line: string): number {
  const prefix = CONTAINER_PREFIX.exec(line)?.[0] ?? "";
  let columns = 0;
  for (const char of prefix) columns += char === "\t" ? 4 : 1;
  return columns;
}
