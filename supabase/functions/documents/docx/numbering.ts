/**
 * word/numbering.xml: bullet and numbered lists, nine levels deep. All bullet lists share one
 * numbering instance (bullets do not count). Each numbered list gets an instance of its own
 * whose start override restarts the count at the list's first number, so "3." after a list
 * that ended at "2." reads 3, and two separate lists both starting at 1 do not continue.
 */
import { WORD_NAMESPACE, XML_DECLARATION } from "./package_index.ts";

export const LIST_LEVELS = 9;
const INDENT = 720; // twips per level: half an inch
const HANGING = 360;
const BULLETS = ["\u25CF", "\u25CB", "\u25A0"]; // ● ○ ■, again from the fourth level
const BULLET_ABSTRACT = 0;
const DECIMAL_ABSTRACT = 1;
const BULLET_NUM = 1;

/** Where a list paragraph's marker comes from: a numbering instance and a level (0-8). */
export interface ListMarker {
  numId: number;
  level: number;
}

export class ListNumbering {
  /** The start override of each numbered list, in the order the lists were added. */
  readonly #ordered: { level: number; start: number }[] = [];

  /** The marker of a bullet list at `level`. */
  bullet(level: number): ListMarker {
    return { numId: BULLET_NUM, level: clampLevel(level) };
  }

  /** A new numbered list at `level`, counting from `start`; its items share the marker. */
  ordered(level: number, start: number): ListMarker {
    const marker = { numId: BULLET_NUM + this.#ordered.length + 1, level: clampLevel(level) };
    this.#ordered.push({ level: marker.level, start: Math.max(0, Math.trunc(start)) });
    return marker;
  }

  xml(): string {
    const parts = [XML_DECLARATION, `<w:numbering xmlns:w="${WORD_NAMESPACE}">`];
    parts.push(abstractNumXml(BULLET_ABSTRACT, (level) => ({
      format: "bullet",
      text: BULLETS[level % BULLETS.length]!,
    })));
    parts.push(abstractNumXml(DECIMAL_ABSTRACT, (level) => ({
      format: "decimal",
      text: `%${level + 1}.`,
    })));
    parts.push(
      `<w:num w:numId="${BULLET_NUM}"><w:abstractNumId w:val="${BULLET_ABSTRACT}"/></w:num>`,
    );
    this.#ordered.forEach(({ level, start }, i) => {
      parts.push(
        `<w:num w:numId="${BULLET_NUM + i + 1}"><w:abstractNumId w:val="${DECIMAL_ABSTRACT}"/>` +
          `<w:lvlOverride w:ilvl="${level}"><w:startOverride w:val="${start}"/></w:lvlOverride>` +
          "</w:num>",
      );
    });
    parts.push("</w:numbering>");
    return parts.join("");
  }
}

function clampLevel(level: number): number {
  return Math.min(Math.max(Math.trunc(level), 0), LIST_LEVELS - 1);
}

function abstractNumXml(
  id: number,
  marker: (level: number) => { format: string; text: string },
): string {
  const levels = Array.from({ length: LIST_LEVELS }, (_, level) => {
    const { format, text } = marker(level);
    return `<w:lvl w:ilvl="${level}"><w:start w:val="1"/><w:numFmt w:val="${format}"/>` +
      `<w:lvlText w:val="${text}"/><w:lvlJc w:val="left"/>` +
      `<w:pPr><w:ind w:left="${INDENT * (level + 1)}" w:hanging="${HANGING}"/></w:pPr></w:lvl>`;
  });
  return `<w:abstractNum w:abstractNumId="${id}"><w:multiLevelType w:val="hybridMultilevel"/>` +
    `${levels.join("")}</w:abstractNum>`;
}
