/**
 * word/_rels/document.xml.rels: the document's own parts (styles, numbering, settings) and one
 * external relationship per distinct link destination, which a hyperlink names by its id.
 */
import {
  PACKAGE_RELATIONSHIPS_NAMESPACE,
  RELATIONSHIPS_NAMESPACE,
  XML_DECLARATION,
} from "./package_index.ts";
import { escapeXmlAttribute } from "./xml_text.ts";

const FIXED = [
  { id: "rId1", type: "styles", target: "styles.xml" },
  { id: "rId2", type: "numbering", target: "numbering.xml" },
  { id: "rId3", type: "settings", target: "settings.xml" },
] as const;

export class DocumentRelationships {
  readonly #hyperlinks = new Map<string, string>();

  /** The relationship id for a link to `destination`, the same id for the same destination. */
  hyperlink(destination: string): string {
    const target = uriReference(destination);
    let id = this.#hyperlinks.get(target);
    if (id === undefined) {
      id = `rId${FIXED.length + this.#hyperlinks.size + 1}`;
      this.#hyperlinks.set(target, id);
    }
    return id;
  }

  xml(): string {
    const parts = [XML_DECLARATION, `<Relationships xmlns="${PACKAGE_RELATIONSHIPS_NAMESPACE}">`];
    for (const { id, type, target } of FIXED) {
      parts.push(
        `<Relationship Id="${id}" Type="${RELATIONSHIPS_NAMESPACE}/${type}" Target="${target}"/>`,
      );
    }
    for (const [target, id] of this.#hyperlinks) {
      parts.push(
        `<Relationship Id="${id}" Type="${RELATIONSHIPS_NAMESPACE}/hyperlink" ` +
          `Target="${escapeXmlAttribute(target)}" TargetMode="External"/>`,
      );
    }
    parts.push("</Relationships>");
    return parts.join("");
  }
}

// RFC 3986's characters, a percent sign only before two hex digits.
const NOT_IN_URI = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;

/**
 * `destination` with every character a URI cannot hold percent-encoded (as UTF-8; a lone
 * surrogate as U+FFFD), so Word, which refuses a file whose link target is not a URI, opens it.
 */
export function uriReference(destination: string): string {
  return destination.replace(
    NOT_IN_URI,
    (match) => match === "%" ? "%25" : encodeURIComponent(match.toWellFormed()),
  );
}
