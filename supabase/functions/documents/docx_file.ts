/**
 * A document's Markdown tokens as a Word file, written by the project's own WordprocessingML
 * writer (docx/) and zipped with fflate: headings as Word's Heading 1-6 styles, paragraphs with
 * bold, italic, strikethrough, code and links, bullet and numbered lists (nested, each numbered
 * list counting from its own start), tables with a repeating header row, quotes, code blocks
 * and rules, on A4. Time and memory are linear in the document's size.
 */
import type { Token } from "../_shared/document/markdown.ts";
import { documentXml } from "./docx/body_xml.ts";
import { appPropertiesXml, corePropertiesXml } from "./docx/doc_props.ts";
import { DocumentRelationships } from "./docx/document_relationships.ts";
import { zipDocx } from "./docx/docx_package.ts";
import { ListNumbering } from "./docx/numbering.ts";
import { contentTypesXml, packageRelationshipsXml } from "./docx/package_index.ts";
import { settingsXml } from "./docx/settings.ts";
import { stylesXml } from "./docx/styles.ts";

/** Renders block tokens (from parseMarkdown) to a .docx file. */
export function renderDocx(
  tokens: readonly Token[],
  options: { title: string; now?: Date },
): Promise<Uint8Array<ArrayBuffer>> {
  // The work is synchronous; an error in it still rejects the promise rather than throwing.
  return new Promise((resolve) =>
    resolve(writeDocx(tokens, options.title, options.now ?? new Date()))
  );
}

function writeDocx(tokens: readonly Token[], title: string, now: Date): Uint8Array<ArrayBuffer> {
  const numbering = new ListNumbering();
  const relationships = new DocumentRelationships();
  const document = documentXml(tokens, numbering, (url) => relationships.hyperlink(url));
  return zipDocx({
    "[Content_Types].xml": contentTypesXml(),
    "_rels/.rels": packageRelationshipsXml(),
    "word/document.xml": document,
    "word/_rels/document.xml.rels": relationships.xml(),
    "word/styles.xml": stylesXml(),
    "word/numbering.xml": numbering.xml(),
    "word/settings.xml": settingsXml(),
    "docProps/core.xml": corePropertiesXml(title, now),
    "docProps/app.xml": appPropertiesXml(),
  }, now);
}
