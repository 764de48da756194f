/**
 * The index of a Word file's package (Open Packaging Conventions): the names every part uses,
 * the part list with each part's content type ([Content_Types].xml), and the package's own
 * relationships (_rels/.rels), which point a reader to the document and its properties.
 */

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
export const WORD_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
export const RELATIONSHIPS_NAMESPACE =
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const PACKAGE_RELATIONSHIPS_NAMESPACE =
  "http://schemas.openxmlformats.org/package/2006/relationships";
const WORDPROCESSINGML = "application/vnd.openxmlformats-officedocument.wordprocessingml";

/** Every part of the file, by its name in the zip, with its content type. */
export const PARTS = {
  contentTypes: { name: "[Content_Types].xml", type: "" },
  packageRelationships: {
    name: "_rels/.rels",
    type: "application/vnd.openxmlformats-package.relationships+xml",
  },
  document: { name: "word/document.xml", type: `${WORDPROCESSINGML}.document.main+xml` },
  documentRelationships: {
    name: "word/_rels/document.xml.rels",
    type: "application/vnd.openxmlformats-package.relationships+xml",
  },
  styles: { name: "word/styles.xml", type: `${WORDPROCESSINGML}.styles+xml` },
  numbering: { name: "word/numbering.xml", type: `${WORDPROCESSINGML}.numbering+xml` },
  settings: { name: "word/settings.xml", type: `${WORDPROCESSINGML}.settings+xml` },
  core: {
    name: "docProps/core.xml",
    type: "application/vnd.openxmlformats-package.core-properties+xml",
  },
  app: {
    name: "docProps/app.xml",
    type: "application/vnd.openxmlformats-officedocument.extended-properties+xml",
  },
} as const;

export type PartName = typeof PARTS[keyof typeof PARTS]["name"];

/** [Content_Types].xml: relationship parts by extension, every other part by name. */
export function contentTypesXml(): string {
  const overrides = Object.values(PARTS)
    .filter((part) => part.type !== "" && !part.name.endsWith(".rels"))
    .map((part) => `<Override PartName="/${part.name}" ContentType="${part.type}"/>`);
  return XML_DECLARATION +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    `<Default Extension="rels" ContentType="${PARTS.packageRelationships.type}"/>` +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    overrides.join("") +
    "</Types>";
}

/** _rels/.rels: the main document, its core properties (the title) and its app properties. */
export function packageRelationshipsXml(): string {
  return XML_DECLARATION +
    `<Relationships xmlns="${PACKAGE_RELATIONSHIPS_NAMESPACE}">` +
    `<Relationship Id="rId1" Type="${RELATIONSHIPS_NAMESPACE}/officeDocument" ` +
    `Target="${PARTS.document.name}"/>` +
    '<Relationship Id="rId2" ' +
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" ' +
    `Target="${PARTS.core.name}"/>` +
    `<Relationship Id="rId3" Type="${RELATIONSHIPS_NAMESPACE}/extended-properties" ` +
    `Target="${PARTS.app.name}"/>` +
    "</Relationships>";
}

export { PACKAGE_RELATIONSHIPS_NAMESPACE };
