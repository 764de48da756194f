/**
 * Lines of shaped text and simple shapes as content-stream operators. A line is drawn as one
 * text object; each stretch of one run is positioned absolutely at the x the line breaker
 * measured, so the PDF's own widths never drift from the layout. Decorations (a code run's
 * background, a link's underline, a strike) are filled rectangles around the text; a link's
 * text is also a clickable area of the page.
 */
import type { EmbeddedFont } from "./embedded_font.ts";
import type { FontStyle } from "./font_data.ts";
import type { Line } from "./line_breaking.ts";
import { addLink, type Flow, pdfX, pdfY } from "./page_flow.ts";
import { pdfNumber as n } from "./pdf_writer.ts";
import type { ShapedText } from "./shaped_text.ts";
import { drawArtifact } from "./structure_tree.ts";

export interface RunStyle {
  font: FontStyle;
  /** An RGB fill colour, each part 0 to 1; black when absent. */
  color?: readonly [number, number, number];
  background?: readonly [number, number, number];
  underline?: boolean;
  strike?: boolean;
  /** A destination to open when the text is clicked. */
  link?: string;
}

/** A font's vertical metrics, as fractions of the font size. */
export interface FontMetrics {
  ascent: number;
  descent: number;
}

export type FontSet = Readonly<Record<FontStyle, EmbeddedFont>>;

/** Draws `line` on `baseline`, from `x` (text-area coordinates). */
export function drawLine(
  flow: Flow,
  fonts: FontSet,
  text: ShapedText,
  styles: readonly RunStyle[],
  line: Line,
  x: number,
  baseline: number,
  size: number,
  metrics: FontMetrics,
): void {
  if (line.end <= line.start) return;
  const y = n(pdfY(baseline));
  const decorations: string[] = [];
  const glyphs: string[] = ["BT"];
  let fill = "";
  let at = line.start;
  let left = x;
  while (at < line.end) {
    const run = text.runs[at]!;
    const style = styles[run]!;
    const font = fonts[style.font];
    const hex: string[] = [];
    let width = 0;
    while (at < line.end && text.runs[at] === run) {
      hex.push(font.cidHex(text.codePoints[at]!));
      width += text.widths[at]!;
      at++;
    }
    const color = rgb(style.color);
    if (color !== fill) {
      glyphs.push(`${color} rg`);
      fill = color;
    }
    glyphs.push(
      `/${font.resource} ${n(size)} Tf 1 0 0 1 ${n(pdfX(left))} ${y} Tm <${hex.join("")}> Tj`,
    );
    if (style.background) {
      flow.ops.push(
        `${rgb(style.background)} rg ${
          rect(
            left,
            baseline - metrics.ascent * size,
            width,
            (metrics.ascent - metrics.descent) * size,
          )
        } f`,
      );
    }
    if (style.underline) {
      decorations.push(`${color} rg ${rect(left, baseline + 0.1 * size, width, 0.05 * size)} f`);
    }
    if (style.link) {
      const top = pdfY(baseline - metrics.ascent * size);
      const bottom = pdfY(baseline - metrics.descent * size);
      addLink(flow, { rect: [pdfX(left), bottom, pdfX(left + width), top], uri: style.link });
    }
    if (style.strike) {
      decorations.push(`${color} rg ${rect(left, baseline - 0.3 * size, width, 0.05 * size)} f`);
    }
    left += width;
  }
  glyphs.push("ET");
  if (fill !== rgb(undefined)) glyphs.push(`${rgb(undefined)} rg`);
  flow.ops.push(glyphs.join("\n"), ...decorations);
  if (decorations.length > 0) flow.ops.push(`${rgb(undefined)} rg`);
}

/** A horizontal rule from `x` across `width`, `top` down the text area; an artifact. */
export function drawRule(
  flow: Flow,
  x: number,
  top: number,
  width: number,
  thickness: number,
  gray = 0,
): void {
  drawArtifact(flow, () => flow.ops.push(`${n(gray)} g ${rect(x, top, width, thickness)} f 0 g`));
}

/**
 * A list bullet centred at (`cx`, `cy`): a disc, a circle or a square by nesting depth. An
 * artifact: the list's structure (L, LI) already says the items are a list.
 */
export function drawBullet(
  flow: Flow,
  cx: number,
  cy: number,
  radius: number,
  depth: number,
): void {
  drawArtifact(flow, () => drawBulletShape(flow, pdfX(cx), pdfY(cy), radius, depth));
}

function drawBulletShape(flow: Flow, x: number, y: number, radius: number, depth: number): void {
  if (depth % 3 === 2) {
    flow.ops.push(`${n(x - radius)} ${n(y - radius)} ${n(2 * radius)} ${n(2 * radius)} re f`);
    return;
  }
  const k = 0.5523 * radius; // a quarter circle's Bézier control distance
  const path = [
    `${n(x + radius)} ${n(y)} m`,
    `${n(x + radius)} ${n(y + k)} ${n(x + k)} ${n(y + radius)} ${n(x)} ${n(y + radius)} c`,
    `${n(x - k)} ${n(y + radius)} ${n(x - radius)} ${n(y + k)} ${n(x - radius)} ${n(y)} c`,
    `${n(x - radius)} ${n(y - k)} ${n(x - k)} ${n(y - radius)} ${n(x)} ${n(y - radius)} c`,
    `${n(x + k)} ${n(y - radius)} ${n(x + radius)} ${n(y - k)} ${n(x + radius)} ${n(y)} c`,
  ].join(" ");
  flow.ops.push(depth % 3 === 0 ? `${path} f` : `0.6 w ${path} s`);
}

/** A rectangle with its top-left at (`x`, `top`) in text-area coordinates, as `re` operands. */
function rect(x: number, top: number, width: number, height: number): string {
  return `${n(pdfX(x))} ${n(pdfY(top + height))} ${n(width)} ${n(height)} re`;
}

function rgb(color: readonly [number, number, number] | undefined): string {
  return color ? color.map(n).join(" ") : "0 0 0";
}
