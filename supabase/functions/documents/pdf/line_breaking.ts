/**
 * Greedy line breaking of shaped text: a line takes words while they fit. A line may break at
 * spaces (which are then not drawn), between two CJK characters, and inside a word wider than the
 * line (by width, as many characters as fit, at least one). "\n" always breaks. Each character is
 * looked at a bounded number of times, so the cost is linear in the text, however long a word is.
 */
import { CJK, NEWLINE, type ShapedText, SPACE } from "./shaped_text.ts";

/** A line: the characters [start, end) of the shaped text, and their width in points. */
export interface Line {
  start: number;
  end: number;
  width: number;
}

const TOLERANCE = 1e-6; // widths are sums of floats

export function breakLines(text: ShapedText, maxWidth: number): Line[] {
  const { length, widths, flags } = text;
  const lines: Line[] = [];
  let lineStart = 0;
  let lineEnd = 0; // the end of the line's last word: spaces after it are drawn only if a word follows
  let lineWidth = 0;
  let spacesWidth = 0; // the spaces between lineEnd and the next word
  const fits = (width: number) => width <= maxWidth + TOLERANCE;
  const emit = (start: number, end: number, width: number) => lines.push({ start, end, width });

  let at = 0;
  while (at < length) {
    const flag = flags[at]!;
    if (flag & NEWLINE) {
      emit(lineStart, lineEnd, lineWidth);
      at++;
      lineStart = lineEnd = at;
      lineWidth = spacesWidth = 0;
      continue;
    }
    if (flag & SPACE) {
      spacesWidth += widths[at]!;
      at++;
      continue;
    }
    const wordStart = at;
    let wordWidth = 0;
    while (at < length && !(flags[at]! & (SPACE | NEWLINE))) {
      wordWidth += widths[at]!;
      at++;
      if (flags[at - 1]! & CJK && at < length && flags[at]! & CJK) break;
    }
    if (fits(lineWidth + spacesWidth + wordWidth)) {
      lineEnd = at;
      lineWidth += spacesWidth + wordWidth;
      spacesWidth = 0;
      continue;
    }
    if (lineEnd > lineStart) emit(lineStart, lineEnd, lineWidth);
    // The word starts a line: the spaces before it go, unless they lead a line that was
    // empty (indentation after a hard break) and still fit with the word.
    if (!(lineEnd === lineStart && fits(spacesWidth + wordWidth))) {
      lineStart = wordStart;
      spacesWidth = 0;
    }
    lineWidth = spacesWidth;
    spacesWidth = 0;
    if (fits(lineWidth + wordWidth)) {
      lineEnd = at;
      lineWidth += wordWidth;
      continue;
    }
    // Wider than a line: cut it by width, leaving the rest (which fits) as the open line.
    let remaining = wordWidth;
    let cut = wordStart;
    while (cut < at && !fits(remaining)) {
      let width = 0;
      const from = cut;
      while (cut < at && (cut === from || fits(width + widths[cut]!))) width += widths[cut++]!;
      emit(from, cut, width);
      remaining -= width;
    }
    lineStart = cut;
    lineEnd = at;
    lineWidth = Math.max(remaining, 0);
  }
  if (lineEnd > lineStart) emit(lineStart, lineEnd, lineWidth);
  return lines;
}
