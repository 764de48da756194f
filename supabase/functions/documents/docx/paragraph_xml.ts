/**
 * A paragraph as WordprocessingML: its properties, in the order the schema requires (Word
 * refuses a file whose properties are out of order), then its runs.
 */
import type { Run } from "../inline_runs.ts";
import type { ListMarker } from "./numbering.ts";
import { type LinkIds, pushRuns } from "./run_xml.ts";

export interface ParagraphFormat {
  /** A paragraph style id (styles.ts); Normal when absent. */
  style?: string;
  list?: ListMarker;
  /** A rule under the paragraph (a horizontal rule is an empty paragraph with one). */
  ruleBelow?: boolean;
  spaceAfter?: number;
  /** Left indent in twips. */
  indent?: number;
  align?: "left" | "center" | "right";
}

export function pushParagraph(
  out: string[],
  format: ParagraphFormat,
  runs: readonly Run[],
  linkIds: LinkIds,
): void {
  const properties = paragraphProperties(format);
  out.push(properties ? `<w:p>${properties}` : "<w:p>");
  pushRuns(out, runs, linkIds);
  out.push("</w:p>");
}

function paragraphProperties(format: ParagraphFormat): string {
  const properties = (format.style ? `<w:pStyle w:val="${format.style}"/>` : "") +
    (format.list
      ? `<w:numPr><w:ilvl w:val="${format.list.level}"/>` +
        `<w:numId w:val="${format.list.numId}"/></w:numPr>`
      : "") +
    (format.ruleBelow
      ? '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="999999"/></w:pBdr>'
      : "") +
    (format.spaceAfter !== undefined ? `<w:spacing w:after="${format.spaceAfter}"/>` : "") +
    (format.indent ? `<w:ind w:left="${format.indent}"/>` : "") +
    (format.align && format.align !== "left" ? `<w:jc w:val="${format.align}"/>` : "");
  return properties ? `<w:pPr>${properties}</w:pPr>` : "";
}
