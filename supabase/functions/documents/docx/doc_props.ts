/**
 * docProps/core.xml and docProps/app.xml: the document's properties, which Word shows under
 * File > Info and file managers read the title from.
 */
import { XML_DECLARATION } from "./package_index.ts";
import { escapeXmlText } from "./xml_text.ts";

const CREATOR = "guided-document-chat";

/** The core properties: title, creator and the time the file was made (W3CDTF, UTC). */
export function corePropertiesXml(title: string, created: Date): string {
  const time = created.toISOString().replace(/\.\d{3}Z$/, "Z");
  const stamp = (name: string) =>
    `<dcterms:${name} xsi:type="dcterms:W3CDTF">${time}</dcterms:${name}>`;
  return XML_DECLARATION +
    "<cp:coreProperties " +
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXmlText(title)}</dc:title><dc:creator>${CREATOR}</dc:creator>` +
    `<cp:lastModifiedBy>${CREATOR}</cp:lastModifiedBy><cp:revision>1</cp:revision>` +
    stamp("created") + stamp("modified") +
    "</cp:coreProperties>";
}

/** The extended properties: the application that wrote the file. */
export function appPropertiesXml(): string {
  return XML_DECLARATION +
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ' +
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
    `<Application>${CREATOR}</Application><DocSecurity>0</DocSecurity></Properties>`;
}
