/**
 * word/document.xml: marked's block tokens as the document's body, on an A4 page. Headings use
 * the heading styles; a list item's first paragraph carries its bullet or number, and its later
 * blocks (a second paragraph, a nested list) sit indented under that text; a quote's paragraphs
 * use the Quote style, indented one step per level of quoting; a code block is one Code Block
 * paragraph per line; a rule is an empty paragraph with a border below.
 *
 * Every part goes onto one array that is joined once, so the cost is linear in the document.
 */
import type { Token, Tokens } from "../../_shared/document/markdown.ts";
import { inlineRuns } from "../inline_runs.ts";
import { type ListMarker, ListNumbering } from "./numbering.ts";
import { RELATIONSHIPS_NAMESPACE, WORD_NAMESPACE, XML_DECLARATION } from "./package_index.ts";
import { sectionPropertiesXml } from "./page.ts";
import { type ParagraphFormat, pushParagraph } from "./paragraph_xml.ts";
import type { LinkIds } from "./run_xml.ts";
import { STYLE } from "./styles.ts";
import { pushTable } from "./table_xml.ts";

const INDENT = 720; // twips per step: half an inch

/** Where a block sits: at which list level (none outside lists), indented by how many steps. */
interface Place {
  listLevel?: number;
  indent: number;
  quoted: boolean;
}

/** The body's XML; the lists it met are added to `numbering`, its links to `linkIds`. */
export function documentXml(
  tokens: readonly Token[],
  numbering: ListNumbering,
  linkIds: LinkIds,
): string {
  const out = [
    XML_DECLARATION,
    `<w:document xmlns:w="${WORD_NAMESPACE}" xmlns:r="${RELATIONSHIPS_NAMESPACE}"><w:body>`,
  ];
  const start = out.length;
  new BodyWriter(out, numbering, linkIds).blocks(tokens, { indent: 0, quoted: false });
  // A body needs a paragraph before its section properties.
  if (out.length === start) out.push("<w:p/>");
  out.push(sectionPropertiesXml(), "</w:body></w:document>");
  return out.join("");
}

class BodyWriter {
  constructor(
    private readonly out: string[],
    private readonly numbering: ListNumbering,
    private readonly linkIds: LinkIds,
  ) {}

  blocks(tokens: readonly Token[], at: Place): void {
    for (const token of tokens) this.block(token, at);
  }

  block(token: Token, at: Place): void {
    const indent = at.indent ? INDENT * at.indent : undefined;
    switch (token.type) {
      case "heading": {
        const depth = Math.min(Math.max(Number(token.depth) || 1, 1), 6);
        this.paragraph({ style: STYLE.heading[depth - 1], indent }, token.tokens ?? []);
        break;
      }
      case "paragraph":
      case "text":
        this.paragraph(
          { style: at.quoted ? STYLE.quote : undefined, indent },
          token.tokens ?? [token],
        );
        break;
      case "list":
        this.list(token as Tokens.List, at);
        break;
      case "table":
        pushTable(this.out, token as Tokens.Table, this.linkIds);
        break;
      case "blockquote":
        this.blocks(token.tokens ?? [], { ...at, indent: at.indent + 1, quoted: true });
        break;
      case "code":
        for (const line of String(token.text).split("\n")) {
          pushParagraph(
            this.out,
            { style: STYLE.codeBlock, indent },
            [{ text: line }],
            this.linkIds,
          );
        }
        break;
      case "hr":
        pushParagraph(this.out, { ruleBelow: true }, [], this.linkIds);
        break;
      case "html":
        pushParagraph(this.out, { indent }, [{ text: String(token.text).trim() }], this.linkIds);
        break;
      default:
        // space, def and anything newer: nothing to show.
        break;
    }
  }

  paragraph(format: ParagraphFormat, tokens: readonly Token[]): void {
    pushParagraph(this.out, format, inlineRuns(tokens), this.linkIds);
  }

  list(token: Tokens.List, at: Place): void {
    const level = at.listLevel === undefined ? 0 : at.listLevel + 1;
    const start = typeof token.start === "number" ? token.start : 1;
    const list: ListMarker = token.ordered
      ? this.numbering.ordered(level, start)
      : this.numbering.bullet(level);
    const marked: ParagraphFormat = { style: STYLE.listParagraph, list };
    const inside: Place = { ...at, listLevel: list.level, indent: at.indent + list.level + 1 };
    for (const item of token.items) {
      const [first, ...rest] = item.tokens;
      if (first?.type === "text" || first?.type === "paragraph") {
        this.paragraph(marked, first.tokens ?? [first]);
      } else {
        pushParagraph(this.out, marked, [], this.linkIds);
        if (first) this.block(first, inside);
      }
      this.blocks(rest, inside);
    }
  }
}
