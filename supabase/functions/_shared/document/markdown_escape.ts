/**
 * Escapes text so that a Markdown (CommonMark + GFM) parser reads it back as the same text: an
 * answer typed into a template's placeholder is content, never markup. `**x**`, `<b>`, `[a](b)`,
 * `| cell |`, `&amp;`, a line starting `# `, `- ` or `1. ` all come out as typed.
 *
 * Only what could change the meaning is escaped, so ordinary answers keep their text byte for
 * byte ("Acme & Sons", "jane_doe", "$1,500.50", "Non-solicit"):
 * - always: `\` `` ` `` `*` `[` `]` `<` `|` `~` (inline markup, raw HTML, table cells);
 * - `_` next to a non-alphanumeric character (intraword `_` is never emphasis);
 * - `&` that starts a character reference (`&amp;`, `&#38;`);
 * - what GFM would turn into a link (an answer is never a link, only the template's body makes
 *   one): every `@` (e-mail addresses, `mailto:`), the `:` after `http`, `https` or `ftp`, and
 *   the `.` after `www`, so `a\@b.co`, `https\://x.test` and `www\.x.test` read as typed;
 * - at the start of a line (after its indentation, which is dropped so that no line becomes a
 *   code block), only what could open a block there: `>`; `#` to `######` before a space or the
 *   line's end (a heading); `-` or `+` before a space or the line's end (a list item); a line of
 *   only `-` (and spaces) or `=` (a rule or a setext heading's underline); and the `.` or `)` after up to nine
 *   leading digits before a space or the line's end (an ordered list item). So "-Acme", "#1" and
 *   "1.5 million" keep their text byte for byte, while "- x", "# x" and "1. x" stay text.
 */
export function escapeMarkdownText(text: string): string {
  return text.replace(/\r\n?/g, "\n").split("\n").map(escapeLine).join("\n");
}

/** Undoes the backslash escapes of CommonMark (`\*` to `*`), for plain-text uses like a title. */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, "$1");
}

const ALWAYS = /[\\`*[\]<|~]/;
const ALPHANUMERIC = /[\p{L}\p{N}]/u;

function escapeLine(line: string): string {
  const body = line.replace(/^[ \t]+/, "");
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (ALWAYS.test(char) || opensAutolink(body, i, char)) out += `\\${char}`;
    else if (char === "_" && !(isAlphanumeric(body[i - 1]) && isAlphanumeric(body[i + 1]))) {
      out += "\\_";
    } else if (
      char === "&" &&
      /^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]*);/.test(body.slice(i))
    ) {
      out += "\\&";
    } else out += char;
  }
  return escapeLineStart(out);
}

/**
 * Whether `char` at `i` would let marked's GFM autolinks (`url`, `email`) start: marked looks for
 * them anywhere in a text, not only after a space, so each is broken where it must hold a
 * character. Case-insensitive, as marked's protocols are.
 */
function opensAutolink(body: string, i: number, char: string): boolean {
  if (char === "@") return true;
  if (char === ":") return /(?:https?|ftp)$/i.test(body.slice(Math.max(0, i - 5), i));
  if (char === ".") return /www$/i.test(body.slice(Math.max(0, i - 3), i));
  return false;
}

// `*` and `_` need nothing here: `*` is always escaped, and `_` beside a non-alphanumeric
// character, which a rule of underscores always is.
const OPENS_BLOCK = /^(?:>|#{1,6}(?=[ \t]|$)|[-+](?=[ \t]|$)|(?:-[ \t]*)+$|=+[ \t]*$)/;

function escapeLineStart(line: string): string {
  if (OPENS_BLOCK.test(line)) return `\\${line}`;
  return line.replace(/^(\d{1,9})([.)])(?=[ \t]|$)/, "$1\\$2");
}

function isAlphanumeric(char: string | undefined): boolean {
  return char !== undefined && ALPHANUMERIC.test(char);
}
