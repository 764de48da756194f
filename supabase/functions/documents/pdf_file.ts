/**
 * A document's Markdown tokens as a PDF, with the small PDF writer of our own in pdf/ (no PDF
 * library: pdfmake with pdfkit and fontkit made the function's bundle too large for the hosted
 * platform, see docs/documents.md). Text wraps, long unbroken strings included; headings, lists
 * (nested, numbered from their start), tables with a header row repeated on each page, quotes,
 * code and rules. Cost and memory are linear in the document's size.
 *
 * The font is the Roboto that pdfmake shipped (Latin, Greek, Cyrillic, Vietnamese), embedded as
 * a subset of the glyphs drawn. A character it has no glyph for (Chinese, Arabic, emoji ...) is
 * drawn as "?", and the PDF ends with a note that names those characters by code point and
 * points to the DOCX, HTML and Markdown downloads, which keep the full text.
 *
 * The PDF is tagged for assistive technology (pdf/structure_tree.ts): a structure tree of
 * headings, paragraphs, lists, tables and quotes in reading order, decoration marked as
 * artifacts, the language (/Lang), /MarkInfo, and the title in the Info dictionary and in XMP
 * metadata, shown as the window's title (/DisplayDocTitle).
 */
import type { Token } from "../_shared/document/markdown.ts";
import { drawBlocks } from "./pdf/block_layout.ts";
import { createEmbeddedFont } from "./pdf/embedded_font.ts";
import { FONT_STYLES } from "./pdf/font_data.ts";
import { createFlow, PAGE_HEIGHT, PAGE_WIDTH, type PageLink, TEXT_WIDTH } from "./pdf/page_flow.ts";
import { createPdfWriter, pdfNumber, pdfTextString } from "./pdf/pdf_writer.ts";
import { writeStructureTree, xmpMetadata } from "./pdf/structure_tree.ts";
import { REPLACEMENT } from "./pdf/shaped_text.ts";
import { drawTextBlock, type LayoutContext } from "./pdf/text_block.ts";
import type { FontSet } from "./pdf/text_drawing.ts";

export interface PdfResult {
  bytes: Uint8Array<ArrayBuffer>;
  /** The distinct characters drawn as "?", in order of appearance. */
  missing: string[];
}

const NOTE_GRAY = [0x55 / 255, 0x55 / 255, 0x55 / 255] as const;
/** The language of the documents' text: the templates are written in English. */
const LANGUAGE = "en";

/** Renders block tokens (from parseMarkdown) to a PDF. */
export function renderPdf(
  tokens: readonly Token[],
  options: { title: string },
): Promise<PdfResult> {
  const fonts = Object.fromEntries(
    FONT_STYLES.map((style, i) => [style, createEmbeddedFont(style, i)]),
  ) as unknown as FontSet;
  const flow = createFlow();
  const context: LayoutContext = {
    flow,
    fonts,
    missing: new Set(),
    x: 0,
    width: TEXT_WIDTH,
    italic: false,
    listDepth: 0,
    marker: {},
  };
  drawBlocks(context, tokens);
  const { missing } = context;
  if (missing.size > 0) {
    const names = [...missing].slice(0, 20).map((char) =>
      `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`
    );
    flow.tags.within("P", () =>
      drawTextBlock(context, [{
        text: `Note: this PDF's font cannot draw ${missing.size} of the document's characters ` +
          `(${names.join(", ")}${missing.size > 20 ? ", ..." : ""}); they are shown as ` +
          `"${REPLACEMENT}". The DOCX, HTML and Markdown downloads hold the full text.`,
      }], { size: 9, italic: true, color: NOTE_GRAY, marginTop: 18 }));
  }

  const writer = createPdfWriter();
  const catalog = writer.reserve();
  const pageTree = writer.reserve();
  const info = writer.reserve();
  const resources = writer.reserve();
  const pageIds = flow.pages.map(() => writer.reserve());
  const pages = flow.pages.map((ops, i) => {
    const page = pageIds[i]!;
    const content = writer.reserve();
    writer.stream(content, ops.join("\n"));
    const links = flow.links[i] ?? [];
    const annotations = links.length > 0 ? ` /Annots [${linkAnnotations(links).join(" ")}]` : "";
    writer.object(
      page,
      `<< /Type /Page /Parent ${pageTree} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
        `/Resources ${resources} 0 R /Contents ${content} 0 R${annotations} ` +
        `/StructParents ${i} /Tabs /S >>`,
    );
    return page;
  });
  const fontEntries = FONT_STYLES.map((style) => fonts[style]).filter((font) => font.used())
    .map((font) => `/${font.resource} ${font.write(writer)} 0 R`);
  writer.object(resources, `<< /Font << ${fontEntries.join(" ")} >> >>`);
  writer.object(
    pageTree,
    `<< /Type /Pages /Kids [${
      pages.map((page) => `${page} 0 R`).join(" ")
    }] /Count ${pages.length} >>`,
  );
  const structure = writeStructureTree(writer, flow.tags, pageIds);
  const metadata = writer.reserve();
  // Uncompressed, so that tools which scan a file for XMP find it.
  writer.stream(metadata, xmpMetadata(options.title, LANGUAGE), "/Type /Metadata /Subtype /XML ", {
    compress: false,
  });
  writer.object(
    catalog,
    `<< /Type /Catalog /Pages ${pageTree} 0 R /Lang ${pdfTextString(LANGUAGE)} ` +
      `/MarkInfo << /Marked true >> /StructTreeRoot ${structure} 0 R /Metadata ${metadata} 0 R ` +
      `/ViewerPreferences << /DisplayDocTitle true >> >>`,
  );
  writer.object(
    info,
    `<< /Title ${pdfTextString(options.title)} /Producer (guided-document-chat) >>`,
  );
  return Promise.resolve({ bytes: writer.finish(catalog, info), missing: [...missing] });
}

/**
 * Link annotations, written inline in the page (no border; the text is already underlined). The
 * URI is ASCII as PDF wants it: other characters percent-encoded as UTF-8, then the whole in hex.
 */
function linkAnnotations(links: readonly PageLink[]): string[] {
  return links.map(({ rect, uri }) => {
    const ascii = uri.replace(/[^\x21-\x7e]/gu, (char) => encodeURIComponent(char));
    const hex = Array.from(ascii, (char) => char.charCodeAt(0).toString(16).padStart(2, "0"));
    return `<< /Type /Annot /Subtype /Link /Rect [${rect.map(pdfNumber).join(" ")}] ` +
      `/Border [0 0 0] /A << /S /URI /URI <${hex.join("")}> >> >>`;
  });
}
