/**
 * Tables. Up to eight columns: a grid of fixed column widths that fill the text width, cells
 * wrapping inside their column, the header row bold and repeated at the top of each page the
 * table continues on, rules between rows (pdfmake's "lightHorizontalLines"). A row taller than
 * the rest of the page moves to the next one; a row taller than a whole page is split between
 * lines. Wider tables would leave each column a few characters wide, so each of their rows is
 * drawn as "header: value" lines instead. Either way the cost is linear in the table's text.
 */
import type { Tokens } from "../../_shared/document/markdown.ts";
import { inlineRuns, type Run } from "../inline_runs.ts";
import { breakLines, type Line } from "./line_breaking.ts";
import { newPage, skip, TEXT_HEIGHT } from "./page_flow.ts";
import {
  BODY_SIZE,
  drawTextBlock,
  fontMetrics,
  type LayoutContext,
  lineHeight,
  shapeInline,
  type StyledText,
} from "./text_block.ts";
import { drawLine, drawRule } from "./text_drawing.ts";
import { drawArtifact, type StructElement, type StructureTree } from "./structure_tree.ts";

export const MAX_GRID_COLUMNS = 8;
const PADDING_X = 5;
const PADDING_Y = 2;
const ROW_RULE_GRAY = 0xaa / 255;

export function drawTable(context: LayoutContext, token: Tokens.Table): void {
  skip(context.flow, 4);
  const columns = Math.max(token.header.length, 1);
  if (columns > MAX_GRID_COLUMNS) drawRecords(context, token, columns);
  else drawGrid(context, token, columns);
  skip(context.flow, 10);
}

/**
 * Fixed column widths that fill `width`, shared by how much text each column holds (a key-terms
 * table gets a narrow term column), none under a sixth of its even share. Each column's padding
 * (10 pt) comes out of the width first.
 */
export function columnWidths(token: Tokens.Table, columns: number, width: number): number[] {
  const available = width - columns * 2 * PADDING_X;
  const weights = Array.from({ length: columns }, () => 1);
  const weigh = (cells: readonly (Tokens.TableCell | undefined)[]) => {
    for (let i = 0; i < columns; i++) {
      weights[i] = Math.max(weights[i]!, Math.min(cells[i]?.text.length ?? 0, 80));
    }
  };
  weigh(token.header);
  for (const row of token.rows) weigh(row);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const floor = available / columns / 6;
  const raw = weights.map((weight) => Math.max(floor, (available * weight) / total));
  const scale = available / raw.reduce((sum, w) => sum + w, 0);
  return raw.map((w) => Math.floor(w * scale));
}

interface Cell {
  styled: StyledText;
  lines: Line[];
  align: "left" | "center" | "right";
}

function drawGrid(context: LayoutContext, token: Tokens.Table, columns: number): void {
  const { flow } = context;
  const widths = columnWidths(token, columns, context.width);
  const lefts: number[] = [];
  widths.reduce((x, width) => (lefts.push(x), x + width + 2 * PADDING_X), context.x);
  const lh = lineHeight(BODY_SIZE);
  const metrics = fontMetrics();
  const baselineOffset = (lh - (metrics.ascent - metrics.descent) * BODY_SIZE) / 2 +
    metrics.ascent * BODY_SIZE;

  const shapeRow = (cells: readonly (Tokens.TableCell | undefined)[], header: boolean): Cell[] =>
    Array.from({ length: columns }, (_, i) => {
      const cell = cells[i];
      const styled = shapeInline(
        context,
        inlineRuns(cell?.tokens ?? [], header ? { bold: true } : {}),
        { size: BODY_SIZE },
      );
      return { styled, lines: breakLines(styled.text, widths[i]!), align: cell?.align ?? "left" };
    });
  const lineCount = (row: Cell[]) => Math.max(1, ...row.map((cell) => cell.lines.length));
  const header = shapeRow(token.header, true);
  const headerHeight = lineCount(header) * lh + 2 * PADDING_Y;
  // A header taller than a third of a page would leave little room for rows: drawn once only.
  const repeat = headerHeight <= TEXT_HEIGHT / 3;

  const tags = flow.tags;
  // A row's cells are TH or TD elements of a TR; the header drawn again at the top of a new page
  // is an artifact, since the first one is the table's header row.
  const drawRow = (row: Cell[], isHeader: boolean, repeated = false) => {
    const cellTags = repeated ? undefined : rowElements(tags, row.length, isHeader);
    const count = lineCount(row);
    const height = count * lh + 2 * PADDING_Y;
    const above = !isHeader && repeat ? headerHeight : 0;
    const continueOnNewPage = () => {
      newPage(flow);
      if (!isHeader && repeat) drawRow(header, true, true);
    };
    if (flow.y > 0 && flow.y + height > TEXT_HEIGHT && height + above <= TEXT_HEIGHT) {
      continueOnNewPage();
    }
    flow.y += PADDING_Y;
    for (let index = 0; index < count; index++) {
      if (flow.y + lh > TEXT_HEIGHT + 1e-6) {
        continueOnNewPage();
        flow.y += PADDING_Y;
      }
      row.forEach((cell, column) => {
        const line = cell.lines[index];
        if (!line) return;
        const free = widths[column]! - line.width;
        const shift = cell.align === "center" ? free / 2 : cell.align === "right" ? free : 0;
        const draw = () =>
          drawLine(
            flow,
            context.fonts,
            cell.styled.text,
            cell.styled.styles,
            line,
            lefts[column]! + PADDING_X + shift,
            flow.y + baselineOffset,
            BODY_SIZE,
            metrics,
          );
        if (cellTags) tags.mark(flow, cellTags[column]!, draw);
        else drawArtifact(flow, draw);
      });
      flow.y += lh;
    }
    flow.y += PADDING_Y;
    if (isHeader) drawRule(flow, context.x, flow.y, context.width, 1);
    else drawRule(flow, context.x, flow.y, context.width, 0.5, ROW_RULE_GRAY);
  };

  drawRow(header, true);
  for (const row of token.rows) drawRow(shapeRow(row, false), false);
}

/** A TR with `count` TH (header) or TD cells under the current element (the Table). */
function rowElements(tags: StructureTree, count: number, header: boolean): StructElement[] {
  const cells: StructElement[] = [];
  tags.within("TR", () => {
    for (let i = 0; i < count; i++) cells.push(tags.add(header ? "TH" : "TD"));
  });
  return cells;
}

/** Each row as one "header: value" line per column, a rule between rows. */
function drawRecords(context: LayoutContext, token: Tokens.Table, columns: number): void {
  const names: Run[][] = Array.from(
    { length: columns },
    (
      _,
      i,
    ) => [...inlineRuns(token.header[i]?.tokens ?? [], { bold: true }), { text: ": ", bold: true }],
  );
  token.rows.forEach((row, r) => {
    if (r > 0) {
      drawRule(context.flow, context.x, context.flow.y, context.width, 0.5, ROW_RULE_GRAY);
      skip(context.flow, 4);
    }
    context.flow.tags.within("TR", () => {
      for (let i = 0; i < columns; i++) {
        context.flow.tags.within(
          "TD",
          () =>
            drawTextBlock(context, [...names[i]!, ...inlineRuns(row[i]?.tokens ?? [])], {
              size: BODY_SIZE,
              marginBottom: 1,
            }),
        );
      }
    });
  });
}
