/**
 * One parse of a document's Markdown, for every format that renders it (HTML here; DOCX and PDF
 * in the documents function): marked's lexer, CommonMark with GitHub's tables, strikethrough and
 * autolinks. The tokens are data, never HTML: each renderer decides what a token becomes.
 */
import { Lexer, type Token, type Tokens } from "marked";
// @ts-types="./sanitize_html.d.ts"
import sanitizeHtml from "sanitize-html";
import { escapeMarkdownText } from "./markdown_escape.ts";
import { boundInline, boundNesting } from "./markdown_bounds.ts";

export type { Token, Tokens };

/**
 * A link destination that every format may keep (http, https, mailto), trimmed; undefined for
 * any other (javascript:, data:, protocol-relative, relative), whose link becomes its text.
 */
export function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  return /^(?:https?:\/\/|mailto:)/i.test(trimmed) ? trimmed : undefined;
}

/** The formats generated_documents stores. */
export type StoredFormat = "markdown" | "text" | "html";

export interface StoredDocument {
  content: string;
  format: StoredFormat;
}

/**
 * marked's lexer with every inline text bounded (boundInline): marked queues each paragraph,
 * heading, cell and list item text through `inline` before it lexes them.
 */
class BoundedLexer extends Lexer {
  override inline(src: string, tokens: Token[] = []): Token[] {
    return super.inline(boundInline(src), tokens);
  }
}

/**
 * Parses Markdown into marked's block tokens (GFM, not pedantic), within the bounds of
 * markdown_bounds.ts: linear in the document's length whatever its shape.
 */
export function parseMarkdown(source: string): Token[] {
  return new BoundedLexer({ gfm: true, pedantic: false, breaks: false }).lex(boundNesting(source));
}

/**
 * The Markdown a stored document reads as: Markdown as stored; plain text escaped so that every
 * character stays text; HTML reduced to its text (paragraphs and line breaks kept, markup and
 * scripts dropped), then escaped like plain text. The `md` download is this without the escapes
 * that only break autolinks (documents/markdown_file.ts).
 */
export function documentMarkdown(document: StoredDocument): string {
  switch (document.format) {
    case "markdown":
      return document.content;
    case "text":
      return escapeMarkdownText(document.content);
    case "html":
      return escapeMarkdownText(htmlToText(document.content));
  }
}

/** A stored document's tokens: `parseMarkdown(documentMarkdown(document))`. */
export function parseDocument(document: StoredDocument): Token[] {
  return parseMarkdown(documentMarkdown(document));
}

const BLOCK_END =
  /<\/(?:p|div|h[1-6]|li|tr|table|ul|ol|blockquote|pre|section|article|header|footer)\s*>/gi;
const TEXT_ENTITIES: Record<string, string> = {
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&amp;": "&",
};

/** The text of an HTML fragment: block ends become blank lines, `<br>` a line break. */
function htmlToText(html: string): string {
  const marked = html.replace(/<br\s*\/?>/gi, "\n").replace(BLOCK_END, "\n\n");
  const text = sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {} })
    .replace(/&(?:lt|gt|quot|#39|amp);/g, (entity) => TEXT_ENTITIES[entity] ?? entity);
  return text.split("\n").map((line) => line.trim()).join("\n")
    .replace(/\n{3,}/g, "\n\n").trim();
}
