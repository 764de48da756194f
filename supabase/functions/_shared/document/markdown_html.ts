/**
 * Markdown to HTML that is safe to put in a page (innerHTML) or a downloaded file, for the
 * documents function and the demo page alike. Two layers:
 * 1. the renderer never emits markup that the source carried: raw HTML (block or inline) is
 *    shown as text, links keep only http(s) and mailto destinations (others become their text),
 *    images become their alt text (a document loads nothing), task-list boxes become `[x]`;
 * 2. the result then goes through sanitize-html with an allowlist of exactly the tags and
 *    attributes the renderer emits, so a renderer bug cannot let a tag or a handler through.
 */
import { Marked, type Token, type Tokens } from "marked";
// @ts-types="./sanitize_html.d.ts"
import sanitizeHtml from "sanitize-html";
import { parseDocument, parseMarkdown, safeHref, type StoredDocument } from "./markdown.ts";

const marked = new Marked({
  gfm: true,
  renderer: {
    html({ text, block }: Tokens.HTML | Tokens.Tag) {
      return block ? `<p>${escapeHtml(text.trim())}</p>\n` : escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link) {
      const label = this.parser.parseInline(tokens);
      const safe = safeHref(href);
      if (safe === undefined) return label;
      const titled = title ? ` title="${escapeHtml(title)}"` : "";
      return `<a href="${escapeHtml(safe)}"${titled} rel="noopener noreferrer nofollow">` +
        `${label}</a>`;
    },
    image({ text }: Tokens.Image) {
      return escapeHtml(text);
    },
    checkbox({ checked }: Tokens.Checkbox) {
      return checked ? "[x] " : "[ ] ";
    },
  },
});

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], ol: ["start"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
};

/** Renders block tokens (from parseMarkdown) to sanitised HTML. */
export function renderHtml(tokens: Token[]): string {
  return sanitizeHtml(marked.parser(tokens), ALLOWED);
}

/** `renderHtml(parseMarkdown(source))`. */
export function markdownToHtml(source: string): string {
  return renderHtml(parseMarkdown(source));
}

/** A stored document (Markdown, text or HTML) as sanitised HTML: see documentMarkdown. */
export function documentToHtml(document: StoredDocument): string {
  return renderHtml(parseDocument(document));
}

/** Escapes the five characters that matter in HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
