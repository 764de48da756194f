/**
 * The one maximum for a stored document (LIMITS.maxDocumentChars for the content,
 * LIMITS.maxDocumentTitleChars for the title), counted as the database counts it: Postgres's
 * length() counts code points, so an emoji is one character here too, not two UTF-16 units.
 * The chat refuses a larger document before storing it, the database refuses it with CH414, and
 * the documents function refuses to render one stored before the limit (docs/documents.md).
 */
import { LIMITS } from "../wire/constants.ts";

/** The part of a document over its maximum, with its size and the maximum. */
export interface DocumentOversize {
  part: "content" | "title";
  characters: number;
  max: number;
}

/** The number of code points in `text`: a surrogate pair counts once, as in Postgres. */
export function characterCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/** Whether `text` holds more than `max` code points; counts only when its length could. */
function exceeds(text: string, max: number): number | undefined {
  if (text.length <= max) return undefined;
  const characters = characterCount(text);
  return characters > max ? characters : undefined;
}

/** The part of `document` over the maximum (the content first), or undefined when it fits. */
export function documentOversize(
  document: { title: string; content: string },
): DocumentOversize | undefined {
  const content = exceeds(document.content, LIMITS.maxDocumentChars);
  if (content !== undefined) {
    return { part: "content", characters: content, max: LIMITS.maxDocumentChars };
  }
  const title = exceeds(document.title, LIMITS.maxDocumentTitleChars);
  if (title !== undefined) {
    return { part: "title", characters: title, max: LIMITS.maxDocumentTitleChars };
  }
  return undefined;
}

/** "The document holds 200,001 characters; at most 200,000 fit" (or its title). */
export function describeOversize(oversize: DocumentOversize): string {
  const what = oversize.part === "content" ? "The document" : "The document's title";
  const count = (n: number) => n.toLocaleString("en-US");
  return `${what} holds ${count(oversize.characters)} characters; at most ${
    count(oversize.max)
  } fit`;
}
