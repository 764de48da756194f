/**
 * word/styles.xml: the styles the body names. Headings are Word's built-in "heading 1" to
 * "heading 6" (with outline levels), so Word's navigation pane, its table of contents and
 * readers such as mammoth see them as headings. Bold, italic and strikethrough are direct
 * formatting on runs, as a reader expects; code, links, quotes and code blocks are styles, so a
 * user restyles them in one place.
 */
import { WORD_NAMESPACE, XML_DECLARATION } from "./package_index.ts";

export const STYLE = {
  normal: "Normal",
  title: "Title",
  heading: ["Heading1", "Heading2", "Heading3", "Heading4", "Heading5", "Heading6"],
  quote: "Quote",
  listParagraph: "ListParagraph",
  codeBlock: "CodeBlock",
  code: "Code",
  hyperlink: "Hyperlink",
} as const;

export const MONOSPACE = "Courier New";
const FONT = "Calibri";
const HEADING_SIZES = [32, 28, 26, 24, 22, 22]; // half-points
const HEADING_SPACE_BEFORE = [360, 280, 240, 200, 200, 200]; // twips

function fonts(name: string): string {
  return `<w:rFonts w:ascii="${name}" w:hAnsi="${name}" w:cs="${name}"/>`;
}

function paragraphStyle(
  id: string,
  name: string,
  body: { pPr?: string; rPr?: string; extra?: string },
): string {
  return `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/>` +
    `<w:basedOn w:val="${STYLE.normal}"/><w:next w:val="${STYLE.normal}"/>${body.extra ?? ""}` +
    `<w:qFormat/>${body.pPr ? `<w:pPr>${body.pPr}</w:pPr>` : ""}` +
    `${body.rPr ? `<w:rPr>${body.rPr}</w:rPr>` : ""}</w:style>`;
}

function characterStyle(id: string, name: string, rPr: string): string {
  return `<w:style w:type="character" w:styleId="${id}"><w:name w:val="${name}"/>` +
    `<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr>${rPr}</w:rPr></w:style>`;
}

function headingStyle(level: number): string {
  const size = HEADING_SIZES[level - 1]!;
  return paragraphStyle(STYLE.heading[level - 1]!, `heading ${level}`, {
    extra: '<w:uiPriority w:val="9"/>',
    pPr: `<w:keepNext/><w:keepLines/>` +
      `<w:spacing w:before="${HEADING_SPACE_BEFORE[level - 1]}" w:after="80"/>` +
      `<w:outlineLvl w:val="${level - 1}"/>`,
    rPr: `<w:b/><w:bCs/>${level > 4 ? "<w:i/><w:iCs/>" : ""}<w:color w:val="1F3763"/>` +
      `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/>`,
  });
}

export function stylesXml(): string {
  return XML_DECLARATION +
    `<w:styles xmlns:w="${WORD_NAMESPACE}">` +
    `<w:docDefaults><w:rPrDefault><w:rPr>${fonts(FONT)}` +
    '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault>' +
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>' +
    "</w:pPrDefault></w:docDefaults>" +
    `<w:style w:type="paragraph" w:default="1" w:styleId="${STYLE.normal}">` +
    '<w:name w:val="Normal"/><w:qFormat/></w:style>' +
    paragraphStyle(STYLE.title, "Title", {
      extra: '<w:uiPriority w:val="10"/>',
      pPr: '<w:spacing w:after="240"/><w:contextualSpacing/>',
      rPr: '<w:kern w:val="28"/><w:sz w:val="56"/><w:szCs w:val="56"/>',
    }) +
    [1, 2, 3, 4, 5, 6].map(headingStyle).join("") +
    paragraphStyle(STYLE.quote, "Quote", {
      extra: '<w:uiPriority w:val="29"/>',
      pPr: '<w:pBdr><w:left w:val="single" w:sz="12" w:space="8" w:color="BFBFBF"/></w:pBdr>' +
        '<w:ind w:left="720"/>',
      rPr: '<w:i/><w:iCs/><w:color w:val="404040"/>',
    }) +
    paragraphStyle(STYLE.listParagraph, "List Paragraph", {
      extra: '<w:uiPriority w:val="34"/>',
      pPr: '<w:spacing w:after="60"/>',
    }) +
    paragraphStyle(STYLE.codeBlock, "Code Block", {
      pPr: '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>' +
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
      rPr: `${fonts(MONOSPACE)}<w:sz w:val="20"/><w:szCs w:val="20"/>`,
    }) +
    characterStyle(
      STYLE.code,
      "Code",
      `${fonts(MONOSPACE)}<w:sz w:val="20"/><w:szCs w:val="20"/>`,
    ) +
    characterStyle(STYLE.hyperlink, "Hyperlink", '<w:color w:val="0563C1"/><w:u w:val="single"/>') +
    "</w:styles>";
}
