/**
 * A block of wrapped text (a paragraph, a heading, a list item's text, a table cell) and the
 * context blocks are laid out in: where the text area is, whether the text is italic (inside a
 * quote), and a list marker waiting for the next line drawn. Inline runs get their own fonts and
 * decorations: bold and italic pick the Roboto style, a link is blue and underlined, struck text
 * is struck, code has a grey background.
 */
import type { Run } from "../inline_runs.ts";
import { fontStyle, loadFont } from "./font_data.ts";
import { breakLines, type Line } from "./line_breaking.ts";
import { type Flow, makeRoom, skip } from "./page_flow.ts";
import { type ShapedText, shapeRuns } from "./shaped_text.ts";
import { drawLine, type FontMetrics, type FontSet, type RunStyle } from "./text_drawing.ts";

export interface LayoutContext {
  flow: Flow;
  fonts: FontSet;
  /** The characters drawn as "?" so far, in order of appearance. */
  missing: Set<string>;
  /** The left edge and width of the text, within the text area. */
  x: number;
  width: number;
  /** Inside a quote: all text italic. */
  italic: boolean;
  /** How deep in lists (0 outside any). */
  listDepth: number;
  /**
   * A list item's marker, drawn with the item's first line, then cleared. One holder for the
   * item, shared by the contexts of the blocks inside it.
   */
  marker: { draw?: (baseline: number) => void };
}

export interface TextStyle {
  size: number;
  bold?: boolean;
  italic?: boolean;
  color?: readonly [number, number, number];
  marginTop?: number;
  marginBottom?: number;
}

/** The size of body text, list items and table cells. */
export const BODY_SIZE = 10.5;

const LINK_COLOR = [0x1a / 255, 0x4f / 255, 0xb5 / 255] as const;
const CODE_BACKGROUND = [0xee / 255, 0xee / 255, 0xee / 255] as const;
/** pdfmake's line height: 1.2 times the font's own (ascent to descent). */
const LINE_SPACING = 1.2;

const regular = () => loadFont("regular").font;

/** Ascent and descent as fractions of the size (every Roboto style has the same). */
export function fontMetrics(): FontMetrics {
  const font = regular();
  return { ascent: font.ascent / font.unitsPerEm, descent: font.descent / font.unitsPerEm };
}

export function lineHeight(size: number): number {
  const { ascent, descent } = fontMetrics();
  return (ascent - descent) * size * LINE_SPACING;
}

export interface StyledText {
  text: ShapedText;
  styles: RunStyle[];
  size: number;
}

/** Runs shaped in their fonts at the style's size. */
export function shapeInline(
  context: LayoutContext,
  runs: readonly Run[],
  style: TextStyle,
): StyledText {
  const styles = runs.map((run): RunStyle => ({
    font: fontStyle(
      Boolean(style.bold || run.bold),
      Boolean(style.italic || context.italic || run.italic),
    ),
    ...(run.link
      ? { color: LINK_COLOR, underline: true, link: run.link }
      : style.color
      ? { color: style.color }
      : {}),
    ...(run.strike ? { strike: true } : {}),
    ...(run.code ? { background: CODE_BACKGROUND } : {}),
  }));
  const text = shapeRuns(
    runs.map((run, i) => ({ text: run.text, font: styles[i]!.font })),
    style.size,
    context.missing,
  );
  return { text, styles, size: style.size };
}

/** Draws one line of styled text at the cursor, moving to a new page first if it does not fit. */
export function drawTextLine(
  context: LayoutContext,
  styled: StyledText,
  line: Line,
  x: number,
): void {
  const { flow } = context;
  const height = lineHeight(styled.size);
  makeRoom(flow, height);
  const metrics = fontMetrics();
  const baseline = flow.y + (height - (metrics.ascent - metrics.descent) * styled.size) / 2 +
    metrics.ascent * styled.size;
  flow.tags.mark(flow, flow.tags.current, () =>
    drawLine(
      flow,
      context.fonts,
      styled.text,
      styled.styles,
      line,
      x,
      baseline,
      styled.size,
      metrics,
    ));
  const marker = context.marker.draw;
  if (marker) {
    context.marker.draw = undefined;
    marker(baseline);
  }
  flow.y += height;
}

/** A paragraph-like block: the runs wrapped to the context's width, flowing across pages. */
export function drawTextBlock(
  context: LayoutContext,
  runs: readonly Run[],
  style: TextStyle,
): void {
  skip(context.flow, style.marginTop ?? 0);
  const styled = shapeInline(context, runs, style);
  for (const line of breakLines(styled.text, context.width)) {
    drawTextLine(context, styled, line, context.x);
  }
  skip(context.flow, style.marginBottom ?? 0);
}
