/**
 * The document's blocks, laid out as pdf_file.ts drew them with pdfmake: headings h1-h6,
 * paragraphs, bullet and numbered lists (nested, numbered from their start), tables
 * (table_layout.ts), quotes (indented, italic), code blocks (grey background, leading spaces
 * kept), horizontal rules, and raw HTML as its text. Sizes and margins are pdfmake's styles of
 * the old renderer.
 */
import type { Token, Tokens } from "../../_shared/document/markdown.ts";
import { inlineRuns } from "../inline_runs.ts";
import { skip } from "./page_flow.ts";
import { breakLines } from "./line_breaking.ts";
import { drawTable } from "./table_layout.ts";
import {
  BODY_SIZE,
  drawTextBlock,
  fontMetrics,
  type LayoutContext,
  shapeInline,
  type StyledText,
  type TextStyle,
} from "./text_block.ts";
import { drawBullet, drawLine, drawRule } from "./text_drawing.ts";

const HEADINGS: readonly TextStyle[] = [
  { size: 20, bold: true, marginBottom: 10 },
  { size: 15, bold: true, marginTop: 12, marginBottom: 6 },
  { size: 13, bold: true, marginTop: 10, marginBottom: 4 },
  { size: 11.5, bold: true, marginTop: 8, marginBottom: 4 },
  { size: 10.5, bold: true, marginTop: 8, marginBottom: 4 },
  { size: 10.5, bold: true, italic: true, marginTop: 8, marginBottom: 4 },
];
const PARAGRAPH: TextStyle = { size: BODY_SIZE, marginBottom: 6 };
const LIST_ITEM: TextStyle = { size: BODY_SIZE, marginBottom: 2 };
const QUOTE_INDENT = 18;
const BULLET_WIDTH = 12;

/** Lays out block tokens; `inList` gives paragraphs a list item's smaller spacing. */
export function drawBlocks(context: LayoutContext, tokens: readonly Token[], inList = false): void {
  for (const token of tokens) drawBlock(context, token, inList);
}

function drawBlock(context: LayoutContext, token: Token, inList: boolean): void {
  const paragraph = inList ? LIST_ITEM : PARAGRAPH;
  const tags = context.flow.tags;
  switch (token.type) {
    case "heading": {
      const level = Math.min(Math.max(token.depth, 1), 6);
      tags.within(
        `H${level}`,
        () => drawTextBlock(context, inlineRuns(token.tokens ?? []), HEADINGS[level - 1]!),
      );
      return;
    }
    case "paragraph":
    case "text":
      tags.within(
        "P",
        () => drawTextBlock(context, inlineRuns(token.tokens ?? [token]), paragraph),
      );
      return;
    case "list":
      tags.within("L", () => drawList(context, token as Tokens.List));
      return;
    case "table":
      tags.within("Table", () => drawTable(context, token as Tokens.Table));
      return;
    case "blockquote":
      tags.within("BlockQuote", () =>
        drawBlocks(
          {
            ...context,
            x: context.x + QUOTE_INDENT,
            width: context.width - QUOTE_INDENT,
            italic: true,
          },
          token.tokens ?? [],
          inList,
        ));
      skip(context.flow, 6);
      return;
    case "code":
      tags.within(
        "Code",
        () => drawTextBlock(context, [{ text: String(token.text), code: true }], paragraph),
      );
      return;
    case "hr":
      skip(context.flow, 6);
      drawRule(context.flow, context.x, context.flow.y, context.width, 0.5);
      context.flow.y += 0.5;
      skip(context.flow, 12);
      return;
    case "html":
      tags.within(
        "P",
        () => drawTextBlock(context, [{ text: String(token.text).trim() }], paragraph),
      );
      return;
    default:
      return;
  }
}

function drawList(context: LayoutContext, token: Tokens.List): void {
  const start = typeof token.start === "number" ? token.start : 1;
  const numbers = token.ordered
    ? token.items.map((_, i) =>
      shapeInline(context, [{ text: `${start + i}.` }], { size: BODY_SIZE })
    )
    : [];
  let markerWidth = BULLET_WIDTH;
  if (token.ordered) {
    markerWidth = 0;
    for (const number of numbers) {
      markerWidth = Math.max(markerWidth, number.text.widths.reduce((sum, w) => sum + w, 0));
    }
    markerWidth += 4;
  }
  const depth = context.listDepth;
  const metrics = fontMetrics();
  const { flow } = context;
  token.items.forEach((item, i) => flow.tags.within("LI", () => drawItem(item, numbers[i])));

  function drawItem(item: Tokens.ListItem, number: StyledText | undefined): void {
    // A number is the item's label (Lbl) before its body; a bullet is an artifact.
    const label = number ? flow.tags.add("Lbl") : undefined;
    const draw = number && label
      ? (baseline: number) =>
        flow.tags.mark(flow, label, () => {
          for (const line of breakLines(number.text, Number.POSITIVE_INFINITY)) {
            drawLine(
              flow,
              context.fonts,
              number.text,
              number.styles,
              line,
              context.x,
              baseline,
              BODY_SIZE,
              metrics,
            );
          }
        })
      : (baseline: number) => drawBullet(flow, context.x + 4, baseline - 0.3 * BODY_SIZE, 2, depth);
    flow.tags.within("LBody", () =>
      drawBlocks(
        {
          ...context,
          x: context.x + markerWidth,
          width: context.width - markerWidth,
          listDepth: depth + 1,
          marker: { draw },
        },
        item.tokens,
        true,
      ));
  }
  skip(context.flow, 6);
}
