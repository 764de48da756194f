/**
 * The page every document is laid out on: A4 portrait with one-inch margins, in twentieths of a
 * point (twips), Word's unit for page geometry, indents and table widths.
 */

export const A4 = { width: 11906, height: 16838 } as const;
export const MARGIN = 1440;
/** The width between the margins, which tables fill. */
export const TEXT_WIDTH = A4.width - 2 * MARGIN;

/** The body's closing section properties: page size and margins. */
export function sectionPropertiesXml(): string {
  return `<w:sectPr><w:pgSz w:w="${A4.width}" w:h="${A4.height}"/>` +
    `<w:pgMar w:top="${MARGIN}" w:right="${MARGIN}" w:bottom="${MARGIN}" w:left="${MARGIN}" ` +
    'w:header="708" w:footer="708" w:gutter="0"/><w:cols w:space="708"/>' +
    '<w:docGrid w:linePitch="360"/></w:sectPr>';
}
