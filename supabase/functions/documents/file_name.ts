/**
 * `Content-Disposition: attachment` for a download named after the document's title: an ASCII
 * `filename` every client understands (the title's letters without accents, lower case, joined
 * by dashes) and `filename*` with the title itself in UTF-8 (RFC 6266, RFC 8187), which current
 * browsers prefer. Neither carries a bidi control, a zero-width or a control character
 * (invisible_characters.ts): a name that displays differently from its text ("Trojan Source",
 * `invoice\u202Efdp.exe`) is stripped of them, not refused, since a download must still work.
 * Nor does it carry a character a common file system refuses in a name (Windows: `: < > | ? *`):
 * the title's colon becomes a dash, so "NDA: Acme Ltd and Beta GmbH" downloads as
 * "NDA - Acme Ltd and Beta GmbH.pdf".
 */
import { stripInvisibleCharacters } from "../_shared/wire/invisible_characters.ts";

const MAX_SLUG = 80;

/** The title as an ASCII slug: "Mutual NDA — Acme & Müller" to "mutual-nda-acme-muller". */
export function titleSlug(title: string): string {
  const slug = stripInvisibleCharacters(title).normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, MAX_SLUG).replace(/-+$/, "");
  return slug || "document";
}

// deno-lint-ignore no-control-regex
const UNSAVEABLE = /[\u0000-\u001f\u007f"\\/<>|?*]+/g;
const COLON = /\s*:+\s*/g;

/** The header value for a download of `title` with `extension` ("pdf"). */
export function contentDisposition(title: string, extension: string): string {
  const ascii = `${titleSlug(title)}.${extension}`;
  // No control characters, quotes, slashes or backslashes in a name a browser will save.
  const name = stripInvisibleCharacters(title).replace(UNSAVEABLE, " ").replace(COLON, " - ")
    .replace(/\s+/g, " ").replace(/^[\s-]+|[\s-]+$/g, "").slice(0, 150).trim() || "document";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${
    encodeRfc8187(`${name}.${extension}`)
  }`;
}

/** Percent-encodes everything outside RFC 8187's attr-char. */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
