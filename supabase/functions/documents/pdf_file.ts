/**
 * A document's Markdown tokens as a PDF, with pdfmake (pure JavaScript; its browser build keeps
 * fonts in a virtual file system in memory, so nothing is read from disk). Text wraps, long
 * unbroken strings included; headings, lists (nested, numbered from their start), tables with a
 * header row repeated on each page, quotes, code and rules.
 *
 * The font is the Roboto that pdfmake ships (Latin, Greek, Cyrillic, Vietnamese). A character it
 * has no glyph for (Chinese, Arabic, emoji ...) is drawn as "?", and the PDF ends with a note
 * that names those characters by code point and points to the DOCX, HTML and Markdown
 * downloads, which keep the full text.
 */
// @ts-types="./pdfmake.d.ts"
import pdfMake, { type Content } from "pdfmake/build/pdfmake.js";
// @ts-types="./pdfmake_vfs.d.ts"
import vfs from "pdfmake/build/vfs_fonts.js";
// @ts-types="./fontkit.d.ts"
import * as fontkit from "fontkit";
import type { Token, Tokens } from "../_shared/document/markdown.ts";
import { inlineRuns, type Run } from "./inline_runs.ts";

pdfMake.addVirtualFileSystem(vfs);
pdfMake.setUrlAccessPolicy(() => false); // a document never loads anything

const PAGE_MARGIN = 56;
const TEXT_WIDTH = 595.28 - 2 * PAGE_MARGIN; // A4
const REPLACEMENT = "?";

let regular: fontkit.Font | undefined;

/** Whether the PDF's font draws a code point (cached font, parsed on first use). */
function drawable(codePoint: number): boolean {
  regular ??= fontkit.create(
    Uint8Array.from(atob(vfs["Roboto-Regular.ttf"]!), (c) => c.charCodeAt(0)),
  );
  return regular.hasGlyphForCodePoint(codePoint);
}

/**
 * Fixed column widths that fill the text width, shared by how much text each column holds (a
 * key-terms table gets a narrow term column), none under a sixth of its even share. Fixed widths
 * make a long unbroken string wrap inside its cell; pdfmake sizes "*" and "auto" columns by
 * their longest word, which pushed a cell off the page.
 */
function columnWidths(token: Tokens.Table, columns: number): number[] {
  const available = TEXT_WIDTH - columns * 10; // each cell's padding and rule
  const length = (c: Tokens.TableCell | undefined) => Math.min(c?.text.length ?? 0, 80);
  const weights = Array.from(
    { length: columns },
    (_, i) => Math.max(length(token.header[i]), ...token.rows.map((row) => length(row[i])), 1),
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const floor = available / columns / 6;
  const raw = weights.map((weight) => Math.max(floor, (available * weight) / total));
  const scale = available / raw.reduce((sum, width) => sum + width, 0);
  return raw.map((width) => Math.floor(width * scale));
}

export interface PdfResult {
  bytes: Uint8Array<ArrayBuffer>;
  /** The distinct characters drawn as "?", in order of appearance. */
  missing: string[];
}

/** Renders block tokens (from parseMarkdown) to a PDF. */
export async function renderPdf(
  tokens: readonly Token[],
  options: { title: string },
): Promise<PdfResult> {
  const missing = new Set<string>();
  const clean = (text: string) => {
    let out = "";
    for (const char of text.replace(/\t/g, "    ")) {
      const code = char.codePointAt(0)!;
      if (char === "\n" || code >= 0x20 && code !== 0x7f && drawable(code)) out += char;
      else if (code < 0x20 || code === 0x7f) continue;
      else {
        missing.add(char);
        out += REPLACEMENT;
      }
    }
    return out;
  };
  const inline = (runs: Run[]): Content[] =>
    runs.map((run) => ({
      text: clean(run.text),
      ...(run.bold ? { bold: true } : {}),
      ...(run.italic ? { italics: true } : {}),
      ...(run.strike ? { decoration: "lineThrough" as const } : {}),
      ...(run.code ? { background: "#eeeeee" } : {}),
      ...(run.link ? { link: run.link, color: "#1a4fb5", decoration: "underline" as const } : {}),
    }));

  const blocks = (list: readonly Token[]): Content[] => list.flatMap(block);
  const block = (token: Token): Content[] => {
    switch (token.type) {
      case "heading":
        return [{
          text: inline(inlineRuns(token.tokens ?? [])),
          style: `h${Math.min(Math.max(token.depth, 1), 6)}`,
        }];
      case "paragraph":
      case "text":
        return [{ text: inline(inlineRuns(token.tokens ?? [token])), style: "p" }];
      case "list":
        return [list(token as Tokens.List)];
      case "table":
        return [table(token as Tokens.Table)];
      case "blockquote":
        return [{ stack: blocks(token.tokens ?? []), margin: [18, 0, 0, 6], italics: true }];
      case "code":
        return [{
          text: clean(String(token.text)),
          preserveLeadingSpaces: true,
          background: "#eeeeee",
          style: "p",
        }];
      case "hr":
        return [{
          canvas: [{ type: "line", x1: 0, y1: 0, x2: TEXT_WIDTH, y2: 0, lineWidth: 0.5 }],
          margin: [0, 6, 0, 12],
        }];
      case "html":
        return [{ text: clean(String(token.text).trim()), style: "p" }];
      default:
        return [];
    }
  };
  const list = (token: Tokens.List): Content => {
    const items = token.items.map((item): Content => {
      const content = blocks(item.tokens).map((part) =>
        typeof part === "object" && "style" in part && part.style === "p"
          ? { ...part, style: "li" }
          : part
      );
      return content.length === 1 ? content[0]! : { stack: content };
    });
    return token.ordered
      ? { ol: items, start: typeof token.start === "number" ? token.start : 1, style: "list" }
      : { ul: items, style: "list" };
  };
  const table = (token: Tokens.Table): Content => {
    const columns = Math.max(token.header.length, 1);
    const cell = (c: Tokens.TableCell | undefined, header: boolean) => ({
      text: inline(inlineRuns(c?.tokens ?? [], header ? { bold: true } : {})),
      alignment: c?.align ?? "left",
    });
    return {
      table: {
        headerRows: 1,
        widths: columnWidths(token, columns),
        body: [
          token.header.map((c) => cell(c, true)),
          ...token.rows.map((row) =>
            Array.from({ length: columns }, (_, i) => cell(row[i], false))
          ),
        ],
      },
      layout: "lightHorizontalLines",
      style: "table",
    };
  };

  const content = blocks(tokens);
  if (missing.size > 0) {
    const names = [...missing].slice(0, 20).map((char) =>
      `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`
    );
    content.push({
      text: `Note: this PDF's font cannot draw ${missing.size} of the document's characters ` +
        `(${names.join(", ")}${missing.size > 20 ? ", ..." : ""}); they are shown as ` +
        `"${REPLACEMENT}". The DOCX, HTML and Markdown downloads hold the full text.`,
      style: "note",
    });
  }

  const pdf = pdfMake.createPdf({
    info: { title: clean(options.title), creator: "guided-document-chat" },
    pageSize: "A4",
    pageMargins: PAGE_MARGIN,
    content,
    defaultStyle: { font: "Roboto", fontSize: 10.5, lineHeight: 1.2 },
    styles: {
      h1: { fontSize: 20, bold: true, margin: [0, 0, 0, 10] },
      h2: { fontSize: 15, bold: true, margin: [0, 12, 0, 6] },
      h3: { fontSize: 13, bold: true, margin: [0, 10, 0, 4] },
      h4: { fontSize: 11.5, bold: true, margin: [0, 8, 0, 4] },
      h5: { fontSize: 10.5, bold: true, margin: [0, 8, 0, 4] },
      h6: { fontSize: 10.5, bold: true, italics: true, margin: [0, 8, 0, 4] },
      p: { margin: [0, 0, 0, 6] },
      li: { margin: [0, 0, 0, 2] },
      list: { margin: [0, 0, 0, 6] },
      table: { margin: [0, 4, 0, 10] },
      note: { fontSize: 9, italics: true, color: "#555555", margin: [0, 18, 0, 0] },
    },
  });
  return { bytes: new Uint8Array(await pdf.getBuffer()), missing: [...missing] };
}
