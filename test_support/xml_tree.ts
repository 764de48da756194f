// A strict reader of the XML the DOCX writer makes, for tests: it refuses anything that is not
// well-formed XML 1.0 (unbalanced or mismatched tags, a duplicate or unquoted attribute, a raw
// "<" or "&", an unknown entity, a character XML forbids, literally or as a reference) and
// returns the element tree, with line ends and attribute whitespace normalized as a parser
// must. Comments, CDATA and DOCTYPE are refused: the writer never makes them.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: (XmlElement | string)[];
}

const NAME = /[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?/y;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const FORBIDDEN = new RegExp(
  "[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]|" +
    "[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]",
);

export function parseXml(source: string): XmlElement {
  const forbidden = FORBIDDEN.exec(source);
  if (forbidden) fail(source, forbidden.index, "a character XML 1.0 forbids");
  const text = source.replace(/\r\n?/g, "\n");
  let at = 0;
  if (text.startsWith("<?xml")) {
    const end = text.indexOf("?>");
    if (end < 0) fail(text, 0, "an unclosed XML declaration");
    at = end + 2;
  }
  const root: XmlElement = { name: "", attributes: {}, children: [] };
  const open: XmlElement[] = [root];
  while (at < text.length) {
    const parent = open[open.length - 1]!;
    const lt = text.indexOf("<", at);
    const end = lt < 0 ? text.length : lt;
    if (end > at) {
      const content = decode(text, at, end);
      if (parent === root && content.trim() !== "") fail(text, at, "text outside the root");
      if (parent !== root) parent.children.push(content);
    }
    if (lt < 0) break;
    at = lt + 1;
    if (text[at] === "!" || text[at] === "?") fail(text, at, "a comment, CDATA or declaration");
    const closing = text[at] === "/";
    if (closing) at++;
    const name = readName(text, at);
    at += name.length;
    if (closing) {
      if (text[at] !== ">") fail(text, at, `"${name}" closed with junk`);
      const element = open.pop();
      if (element === undefined || element === root || element.name !== name) {
        fail(text, at, `"</${name}>" closes "${element?.name}"`);
      }
      at++;
      continue;
    }
    const element: XmlElement = { name, attributes: {}, children: [] };
    for (;;) {
      const space = /\s*/y;
      space.lastIndex = at;
      const gap = space.exec(text)![0].length;
      at += gap;
      if (text.startsWith("/>", at) || text[at] === ">") break;
      if (gap === 0) fail(text, at, "attributes without a space between them");
      const attribute = readName(text, at);
      at += attribute.length;
      const quote = text[at + 1];
      if (text[at] !== "=" || (quote !== '"' && quote !== "'")) {
        fail(text, at, `attribute "${attribute}" without a quoted value`);
      }
      const close = text.indexOf(quote, at + 2);
      if (close < 0) fail(text, at, "an unclosed attribute value");
      if (attribute in element.attributes) fail(text, at, `attribute "${attribute}" twice`);
      const raw = text.slice(at + 2, close).replace(/[\t\n]/g, " ");
      element.attributes[attribute] = decode(raw, 0, raw.length);
      at = close + 1;
    }
    if (parent === root && root.children.length > 0) fail(text, at, "a second root");
    parent.children.push(element);
    if (text[at] === ">") open.push(element);
    at += text[at] === ">" ? 1 : 2;
  }
  if (open.length !== 1) fail(text, at, `"${open[open.length - 1]!.name}" is never closed`);
  const [element] = root.children;
  if (element === undefined || typeof element === "string") fail(text, 0, "no root element");
  return element;
}

/** Every element named `name` under `element` (itself included), in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement) => {
    if (node.name === name) found.push(node);
    for (const child of node.children) if (typeof child !== "string") visit(child);
  };
  visit(element);
  return found;
}

/** The text content of an element, as a DOM's textContent. */
export function textContent(element: XmlElement): string {
  return element.children.map((child) => typeof child === "string" ? child : textContent(child))
    .join("");
}

function readName(text: string, at: number): string {
  NAME.lastIndex = at;
  const name = NAME.exec(text)?.[0];
  if (name === undefined) fail(text, at, "not a name");
  return name;
}

function decode(text: string, from: number, to: number): string {
  const raw = text.slice(from, to);
  if (raw.includes("<")) fail(text, from, 'a raw "<"');
  return raw.replace(/&([^;\s&]*);?/g, (match, name: string) => {
    if (!match.endsWith(";")) fail(text, from, `a raw "&" in "${raw.slice(0, 40)}"`);
    const code = /^#x([0-9A-Fa-f]+)$/.exec(name)?.[1] ?? /^#([0-9]+)$/.exec(name)?.[1];
    if (code !== undefined) {
      const point = parseInt(code, name.startsWith("#x") ? 16 : 10);
      const char = point <= 0x10ffff ? String.fromCodePoint(point) : "\u0000";
      if (FORBIDDEN.test(char) || (point >= 0xd800 && point <= 0xdfff)) {
        fail(text, from, `a reference to a forbidden character, "${match}"`);
      }
      return char;
    }
    const entity = ENTITIES[name];
    if (entity === undefined) fail(text, from, `an unknown entity "${match}"`);
    return entity;
  });
}

function fail(text: string, at: number, what: string): never {
  throw new Error(`Not well-formed XML at ${at} (${what}): "${text.slice(at, at + 60)}"`);
}
