/**
 * Parser for a template body: Markdown with `{{id}}` placeholders (optionally filtered:
 * `{{id | plural: "year"}}`), `{{#}}` section numbers, `{{@today}}` (the date the document is
 * made, for a letter's date line), and `{{#if id}}`,
 * `{{#if id == "Value"}}`, `{{#unless id}}` blocks (see docs/template_format.md).
 *
 * A block tag that stands alone on its line (only spaces around it) takes its whole line
 * with it, as in Handlebars, so blocks can wrap paragraphs without leaving blank lines.
 */

import { type Filter, FILTER_NAMES, type FilterName } from "./body_filters.ts";

/** One node of a parsed body. `tag` is the tag's source text, for error messages. */
export type BodyNode =
  | { kind: "text"; text: string }
  | { kind: "placeholder"; id: string; tag: string; filters?: Filter[] }
  /** `{{#}}`: the next section number among the sections kept. */
  | { kind: "section_number"; tag: string }
  /** `{{@today}}`: the day the document is assembled. */
  | { kind: "today"; tag: string }
  | {
    kind: "block";
    /** `true` for `{{#unless}}`. */
    negate: boolean;
    id: string;
    /** The value of `{{#if id == "Value"}}`, absent for the plain form. */
    equals?: string;
    tag: string;
    children: BodyNode[];
  };

type Token =
  | { kind: "text"; text: string }
  | { kind: "placeholder"; id: string; raw: string; filters?: Filter[] }
  | { kind: "section_number"; raw: string }
  | { kind: "today"; raw: string }
  | { kind: "open"; negate: boolean; id: string; equals?: string; raw: string }
  | { kind: "close"; negate: boolean; raw: string };

const TAG = /\{\{([\s\S]*?)\}\}/g;
const PLACEHOLDER = /^\s*(\w+)\s*((?:\|[^|]*)*)$/;
const FILTER = /^\s*(\w+)\s*(?::\s*"([^"]*)"\s*)?$/;
const SECTION_NUMBER = /^\s*#\s*$/;
const TODAY = /^\s*@today\s*$/;
const OPEN = /^\s*#(if|unless)\s+(\w+)\s*(?:==\s*"([^"]*)"\s*)?$/;
const CLOSE = /^\s*\/(if|unless)\s*$/;

/**
 * Parses a body into a tree.
 *
 * @throws {TypeError} on a malformed or unknown tag or unbalanced blocks, e.g.
 * `unclosed block "{{#if x}}"`.
 */
export function parseBody(body: string): BodyNode[] {
  const tokens = tokenize(body);
  stripStandaloneLines(tokens);
  const root: BodyNode[] = [];
  const stack: { node: Extract<BodyNode, { kind: "block" }>; parent: BodyNode[] }[] = [];
  let current = root;
  for (const token of tokens) {
    switch (token.kind) {
      case "text":
        if (token.text !== "") current.push({ kind: "text", text: token.text });
        break;
      case "placeholder": {
        const node: BodyNode = { kind: "placeholder", id: token.id, tag: token.raw };
        if (token.filters !== undefined) node.filters = token.filters;
        current.push(node);
        break;
      }
      case "section_number":
        current.push({ kind: "section_number", tag: token.raw });
        break;
      case "today":
        current.push({ kind: "today", tag: token.raw });
        break;
      case "open": {
        const node: Extract<BodyNode, { kind: "block" }> = {
          kind: "block",
          negate: token.negate,
          id: token.id,
          tag: token.raw,
          children: [],
        };
        if (token.equals !== undefined) node.equals = token.equals;
        current.push(node);
        stack.push({ node, parent: current });
        current = node.children;
        break;
      }
      case "close": {
        const open = stack.pop();
        if (open === undefined) throw new TypeError(`unexpected "${token.raw}" with no open block`);
        if (open.node.negate !== token.negate) {
          throw new TypeError(`"${token.raw}" cannot close "${open.node.tag}"`);
        }
        current = open.parent;
        break;
      }
    }
  }
  const unclosed = stack.pop();
  if (unclosed !== undefined) throw new TypeError(`unclosed block "${unclosed.node.tag}"`);
  return root;
}

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of body.matchAll(TAG)) {
    tokens.push(textToken(body.slice(last, match.index)));
    tokens.push(tagToken(match[0], match[1] ?? ""));
    last = match.index + match[0].length;
  }
  tokens.push(textToken(body.slice(last)));
  return tokens;
}

function textToken(text: string): Token {
  const stray = text.indexOf("{{");
  if (stray !== -1) {
    throw new TypeError(`unclosed tag "${text.slice(stray, stray + 20).split("\n")[0]}"`);
  }
  return { kind: "text", text };
}

function tagToken(raw: string, inner: string): Token {
  let m = PLACEHOLDER.exec(inner);
  if (m) {
    const token: Token = { kind: "placeholder", id: m[1] ?? "", raw };
    const filters = (m[2] ?? "").split("|").slice(1).map((text) => parseFilter(text, raw));
    if (filters.length > 0) token.filters = filters;
    return token;
  }
  if (SECTION_NUMBER.test(inner)) return { kind: "section_number", raw };
  if (TODAY.test(inner)) return { kind: "today", raw };
  m = OPEN.exec(inner);
  if (m) {
    const token: Token = { kind: "open", negate: m[1] === "unless", id: m[2] ?? "", raw };
    if (m[3] !== undefined) token.equals = m[3];
    return token;
  }
  m = CLOSE.exec(inner);
  if (m) return { kind: "close", negate: m[1] === "unless", raw };
  throw new TypeError(`unknown tag "${raw}"`);
}

function parseFilter(text: string, raw: string): Filter {
  const m = FILTER.exec(text);
  const name = m?.[1] as FilterName | undefined;
  if (!m || name === undefined || !FILTER_NAMES.includes(name)) {
    throw new TypeError(`unknown filter "${text.trim()}" in "${raw}"`);
  }
  const arg = m[2];
  if (name === "plural" && (arg === undefined || arg.trim() === "")) {
    throw new TypeError(`filter "plural" needs a word, as in plural: "year", in "${raw}"`);
  }
  if (name !== "plural" && arg !== undefined) {
    throw new TypeError(`filter "${name}" takes no argument, in "${raw}"`);
  }
  return arg === undefined ? { name } : { name, arg };
}

/**
 * Removes the line of every block tag that is alone on its line. Tokens alternate
 * text, tag, text, ..., starting and ending with text (tokenize guarantees it).
 */
function stripStandaloneLines(tokens: Token[]): void {
  const trims: { index: number; lead: number; trail: number }[] = [];
  for (let i = 1; i < tokens.length - 1; i += 2) {
    const tag = tokens[i];
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    if (tag?.kind !== "open" && tag?.kind !== "close") continue;
    if (before?.kind !== "text" || after?.kind !== "text") continue;
    const lineStart = i === 1 ? /(?:^|\n)[ \t]*$/ : /\n[ \t]*$/;
    const lineEnd = /^[ \t]*(\r?\n|$)/.exec(after.text);
    if (!lineStart.test(before.text) || lineEnd === null) continue;
    if (lineEnd[1] === "" && i + 1 !== tokens.length - 1) continue;
    const indent = /[ \t]*$/.exec(before.text)?.[0].length ?? 0;
    trims.push({ index: i - 1, lead: 0, trail: indent });
    trims.push({ index: i + 1, lead: lineEnd[0].length, trail: 0 });
  }
  for (const { index, lead, trail } of trims) {
    const token = tokens[index];
    if (token?.kind !== "text") continue;
    token.text = token.text.slice(0, token.text.length - trail);
    token.text = token.text.slice(Math.min(lead, token.text.length));
  }
}
