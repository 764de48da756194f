/**
 * marked's inline tokens as styled runs of plain text, for the formats that are not HTML (DOCX,
 * PDF). The same rules as the HTML renderer: raw HTML is text, a link keeps only a safe
 * destination, an image is its alt text, a task box is "[x] ". A soft line break is a space;
 * a hard one is "\n" inside a run's text.
 */
import { safeHref, type Token } from "../_shared/document/markdown.ts";

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
  code?: boolean;
  /** A safe destination (see safeHref). */
  link?: string;
}

type Style = Omit<Run, "text">;

/**
 * Flattens inline tokens into runs; adjacent runs of one style are one run. Escaped text comes
 * from marked as one token per backslash escape, so 150,000 escaped characters were as many runs,
 * each drawn with its own operators in the PDF and its own element in the DOCX.
 */
export function inlineRuns(tokens: readonly Token[], style: Style = {}): Run[] {
  const runs: Run[] = [];
  collectRuns(tokens, style, runs);
  return runs;
}

// Every level appends to the one array: spreading a nested level's runs into its parent's
// (`push(...runs)`) passes each run as an argument, and a bold span holding 100,000 italic
// words overflows the stack.
function collectRuns(tokens: readonly Token[], style: Style, runs: Run[]): void {
  const text = (value: string, extra: Style = {}) => {
    if (value === "") return;
    const run: Run = { ...style, ...extra, text: value };
    const last = runs.at(-1);
    if (last && sameStyle(last, run)) last.text += value;
    else runs.push(run);
  };
  for (const token of tokens) {
    switch (token.type) {
      case "text":
        if (token.tokens?.length) collectRuns(token.tokens, style, runs);
        else text(decodeEntities(token.text).replace(/\n/g, " "));
        break;
      case "escape":
        text(token.text);
        break;
      case "strong":
        collectRuns(token.tokens ?? [], { ...style, bold: true }, runs);
        break;
      case "em":
        collectRuns(token.tokens ?? [], { ...style, italic: true }, runs);
        break;
      case "del":
        collectRuns(token.tokens ?? [], { ...style, strike: true }, runs);
        break;
      case "codespan":
        text(token.text, { code: true });
        break;
      case "br":
        text("\n");
        break;
      case "link": {
        const link = safeHref(token.href);
        collectRuns(token.tokens ?? [], link ? { ...style, link } : style, runs);
        break;
      }
      case "image":
        text(decodeEntities(token.text));
        break;
      case "html":
        text(token.text);
        break;
      case "checkbox":
        text(token.checked ? "[x] " : "[ ] ");
        break;
      default:
        if ("tokens" in token && Array.isArray(token.tokens)) {
          collectRuns(token.tokens, style, runs);
        } else if ("text" in token && typeof token.text === "string") text(token.text);
    }
  }
}

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  copy: "©",
  reg: "®",
  trade: "™",
  sect: "§",
  para: "¶",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  deg: "°",
  hellip: "…",
  mdash: "—",
  ndash: "–",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  laquo: "«",
  raquo: "»",
  middot: "·",
  bull: "•",
  times: "×",
};

/**
 * Markdown text keeps character references (`&amp;`, `&#169;`) for HTML to resolve; the other
 * formats resolve them here. Unknown names stay as written.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g, (
    match,
    name: string,
  ) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X"
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : "\ufffd";
    }
    return NAMED[name] ?? match;
  });
}

function sameStyle(a: Run, b: Run): boolean {
  return a.bold === b.bold && a.italic === b.italic && a.strike === b.strike &&
    a.code === b.code && a.link === b.link;
}
