/**
 * Styled runs (inline_runs.ts) as WordprocessingML runs, pushed onto the caller's array of
 * parts so a whole document is joined once. A tab is w:tab and a line break w:br, as Word
 * itself writes them; text with a space at either end keeps it (xml:space="preserve"). Adjacent
 * runs to the same destination share one hyperlink, which points at its relationship.
 */
import type { Run } from "../inline_runs.ts";
import { MONOSPACE, STYLE } from "./styles.ts";
import { escapeXmlText } from "./xml_text.ts";

/** Gives the relationship id of a link destination. */
export type LinkIds = (destination: string) => string;

// Word reads any length, but a few thousand characters per w:t keep every string the writer
// builds small whatever the document holds (one unbroken 200,000-character line, say).
const TEXT_CHUNK = 8192;
const SEPARATOR = /\t|\r\n|\r|\n/g;

export function pushRuns(out: string[], runs: readonly Run[], linkIds: LinkIds): void {
  let i = 0;
  while (i < runs.length) {
    const link = runs[i]!.link;
    if (link === undefined) {
      pushRun(out, runs[i++]!);
      continue;
    }
    out.push(`<w:hyperlink r:id="${linkIds(link)}" w:history="1">`);
    while (i < runs.length && runs[i]!.link === link) pushRun(out, runs[i++]!);
    out.push("</w:hyperlink>");
  }
}

export function pushRun(out: string[], run: Run): void {
  out.push("<w:r>");
  const properties = runProperties(run);
  if (properties) out.push(properties);
  const text = run.text;
  let from = 0;
  for (const match of text.matchAll(SEPARATOR)) {
    pushText(out, text, from, match.index);
    out.push(match[0] === "\t" ? "<w:tab/>" : "<w:br/>");
    from = match.index + match[0].length;
  }
  pushText(out, text, from, text.length);
  out.push("</w:r>");
}

function runProperties(run: Run): string {
  const style = run.link !== undefined ? STYLE.hyperlink : run.code ? STYLE.code : undefined;
  const properties = (style ? `<w:rStyle w:val="${style}"/>` : "") +
    // A link's style is Hyperlink; code inside a link keeps its typeface directly.
    (run.code && run.link !== undefined
      ? `<w:rFonts w:ascii="${MONOSPACE}" w:hAnsi="${MONOSPACE}" w:cs="${MONOSPACE}"/>`
      : "") +
    (run.bold ? "<w:b/><w:bCs/>" : "") +
    (run.italic ? "<w:i/><w:iCs/>" : "") +
    (run.strike ? "<w:strike/>" : "");
  return properties ? `<w:rPr>${properties}</w:rPr>` : "";
}

/** text[from, to) as w:t elements of at most TEXT_CHUNK code units, pairs never split. */
function pushText(out: string[], text: string, from: number, to: number): void {
  while (from < to) {
    let end = Math.min(from + TEXT_CHUNK, to);
    if (end < to && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    const chunk = text.slice(from, end);
    const preserve = /^\s|\s$/.test(chunk) ? ' xml:space="preserve"' : "";
    out.push(`<w:t${preserve}>${escapeXmlText(chunk)}</w:t>`);
    from = end;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
