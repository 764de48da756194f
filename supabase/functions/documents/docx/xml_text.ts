/**
 * Text as XML 1.0 can hold it, for the parts of a Word file. XML 1.0 forbids the C0 controls
 * other than tab, newline and carriage return, U+FFFE, U+FFFF and unpaired surrogates, even as
 * character references: a Word file holding one does not open, so they are dropped. Everything
 * else is kept, escaped where the markup needs it.
 */

const FORBIDDEN = "[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]|" +
  "[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]";
const FORBIDDEN_ONLY = new RegExp(FORBIDDEN, "g");
const IN_TEXT = new RegExp(`[&<>\\r]|${FORBIDDEN}`, "g");
const IN_ATTRIBUTE = new RegExp(`[&<>"'\\t\\n\\r]|${FORBIDDEN}`, "g");

// A parser turns a literal carriage return into a newline, and in an attribute tab and newline
// into spaces; character references keep them as they were.
const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

function escape(match: string): string {
  return ESCAPES[match] ?? "";
}

/** `text` without the characters XML 1.0 cannot hold. */
export function xmlAllowed(text: string): string {
  return text.replace(FORBIDDEN_ONLY, "");
}

/** `text` as the content of an element. */
export function escapeXmlText(text: string): string {
  return text.replace(IN_TEXT, escape);
}

/** `text` as an attribute value, in double or single quotes. */
export function escapeXmlAttribute(text: string): string {
  return text.replace(IN_ATTRIBUTE, escape);
}
