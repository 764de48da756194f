/**
 * A Markdown table as a Word table: fixed column widths that together fill the text width, thin
 * borders on every cell, and a header row (bold, shaded) marked w:tblHeader, so Word repeats it
 * at the top of every page the table runs onto. A row shorter than the header gets empty cells.
 * Narrow columns get narrower cell margins: Word's default (108 twips a side) is wider than a
 * column of a 50-column table, which would leave its text no room at all.
 */
import type { Tokens } from "../../_shared/document/markdown.ts";
import { inlineRuns } from "../inline_runs.ts";
import { TEXT_WIDTH } from "./page.ts";
import { pushParagraph } from "./paragraph_xml.ts";
import type { LinkIds } from "./run_xml.ts";

const BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="808080"';
const BORDERS = `<w:tblBorders><w:top ${BORDER}/><w:left ${BORDER}/><w:bottom ${BORDER}/>` +
  `<w:right ${BORDER}/><w:insideH ${BORDER}/><w:insideV ${BORDER}/></w:tblBorders>`;
const CELL_MARGIN = 108; // twips a side, Word's default
const HEADER_SHADING = '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>';

/** `columns` widths in twips summing to `total`, the remainder spread over the first ones. */
export function columnWidths(columns: number, total = TEXT_WIDTH): number[] {
  const base = Math.floor(total / columns);
  const remainder = total - base * columns;
  return Array.from({ length: columns }, (_, i) => base + (i < remainder ? 1 : 0));
}

/** The left and right cell margin for columns `width` twips wide: a tenth, at most Word's. */
export function cellMargin(width: number): number {
  return Math.min(CELL_MARGIN, Math.floor(width / 10));
}

export function pushTable(out: string[], token: Tokens.Table, linkIds: LinkIds): void {
  const columns = Math.max(token.header.length, 1);
  const widths = columnWidths(columns);
  out.push(
    `<w:tbl><w:tblPr><w:tblW w:w="${TEXT_WIDTH}" w:type="dxa"/>${BORDERS}` +
      '<w:tblLayout w:type="fixed"/>',
  );
  const margin = cellMargin(widths[widths.length - 1]!);
  if (margin < CELL_MARGIN) {
    out.push(
      `<w:tblCellMar><w:left w:w="${margin}" w:type="dxa"/>` +
        `<w:right w:w="${margin}" w:type="dxa"/></w:tblCellMar>`,
    );
  }
  out.push("</w:tblPr><w:tblGrid>");
  for (const width of widths) out.push(`<w:gridCol w:w="${width}"/>`);
  out.push("</w:tblGrid>");
  const row = (cells: readonly (Tokens.TableCell | undefined)[], header: boolean) => {
    out.push(header ? "<w:tr><w:trPr><w:tblHeader/></w:trPr>" : "<w:tr>");
    for (let i = 0; i < columns; i++) {
      const cell = cells[i];
      out.push(`<w:tc><w:tcPr><w:tcW w:w="${widths[i]}" w:type="dxa"/>`);
      if (header) out.push(HEADER_SHADING);
      out.push("</w:tcPr>");
      pushParagraph(
        out,
        { spaceAfter: 0, align: cell?.align ?? undefined },
        cell ? inlineRuns(cell.tokens, header ? { bold: true } : {}) : [],
        linkIds,
      );
      out.push("</w:tc>");
    }
    out.push("</w:tr>");
  };
  row(token.header, true);
  for (const cells of token.rows) row(cells, false);
  out.push("</w:tbl>");
}
