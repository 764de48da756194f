/**
 * A long answer (several lines typed by a person) as Markdown that keeps what the person meant by
 * their lines, and nothing else: a line break stays a line break, a blank line starts a new
 * paragraph, and lines that start with "- ", "* ", "+ ", "• " or "1. " / "1) " become the items of
 * a simple list. Every line's text is escaped (escapeMarkdownText), so no other structure can come
 * from an answer: headings, quotes, tables, links, code, HTML and nested lists stay text.
 */
import { escapeMarkdownText } from "./markdown_escape.ts";

type Line =
  | { kind: "text"; text: string }
  | { kind: "bullet"; text: string }
  | { kind: "ordered"; text: string; number: string };

type Group = { kind: Line["kind"]; lines: Line[] };

// Up to nine digits: CommonMark's limit for an ordered list marker.
const BULLET = /^[ \t]*[-*+•][ \t]+(\S.*)$/;
const ORDERED = /^[ \t]*(\d{1,9})[.)][ \t]+(\S.*)$/;

/**
 * The answer as blocks of Markdown: paragraphs whose lines end in a hard break (`\` at the end of
 * a line), and tight lists, separated by blank lines. For a placeholder that stands alone on its
 * line. Returns "" for an answer of only spaces.
 */
export function answerBlocks(text: string): string {
  return groupLines(text).map(renderGroup).join("\n\n");
}

/**
 * The answer as one line of inline Markdown: its lines joined with spaces. For a placeholder
 * inside a sentence, a heading or a table cell, where a line break would end the paragraph,
 * heading or table row.
 */
export function answerInline(text: string): string {
  return escapeMarkdownText(
    text.split(/\r\n?|\n/).map((line) => line.trim()).filter((line) => line !== "").join(" "),
  );
}

function classify(line: string): Line | undefined {
  if (line.trim() === "") return undefined;
  const ordered = ORDERED.exec(line);
  if (ordered) return { kind: "ordered", number: ordered[1]!, text: ordered[2]!.trim() };
  const bullet = BULLET.exec(line);
  if (bullet) return { kind: "bullet", text: bullet[1]!.trim() };
  return { kind: "text", text: line.trim() };
}

/**
 * Consecutive lines of one kind make a group; a blank line ends a paragraph but not a list (items
 * separated by blank lines are still one list, kept tight so that no item becomes a paragraph).
 */
function groupLines(text: string): Group[] {
  const groups: Group[] = [];
  let blank = false;
  for (const raw of text.split(/\r\n?|\n/)) {
    const line = classify(raw);
    if (line === undefined) {
      blank = true;
      continue;
    }
    const last = groups.at(-1);
    const continues = last?.kind === line.kind && !(blank && line.kind === "text");
    if (continues) last.lines.push(line);
    else groups.push({ kind: line.kind, lines: [line] });
    blank = false;
  }
  return groups;
}

function renderGroup(group: Group): string {
  switch (group.kind) {
    case "text":
      // Each line is escaped on its own, so a line break cannot be hidden inside an escape; the
      // backslash that ends a line is CommonMark's hard line break.
      return group.lines.map((line) => escapeMarkdownText(line.text)).join("\\\n");
    case "bullet":
      return group.lines.map((line) => `- ${escapeMarkdownText(line.text)}`).join("\n");
    case "ordered":
      return group.lines.map((line) =>
        `${line.kind === "ordered" ? line.number : ""}. ${escapeMarkdownText(line.text)}`
      ).join("\n");
  }
}
