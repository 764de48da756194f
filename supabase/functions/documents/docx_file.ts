/**
 * A document's Markdown tokens as a Word file, with the `docx` package (pure JavaScript, builds
 * the file in memory): headings as Word's Heading 1-6 styles, paragraphs with bold, italic,
 * strikethrough, code and links, bullet and numbered lists (nested, each numbered list counting
 * from its own start), tables with a header row, quotes, code blocks and rules.
 */
// @ts-types="./docx.d.ts"
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  type ILevelsOptions,
  LevelFormat,
  Packer,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { Token, Tokens } from "../_shared/document/markdown.ts";
import { inlineRuns, type Run } from "./inline_runs.ts";

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;
const MONOSPACE = "Courier New";
const INDENT = 720; // twentieths of a point: half an inch
const TEXT_WIDTH = 9026; // A4 less Word's default margins, in twentieths of a point

type Block = Paragraph | Table;

/** Where a block sits: at which list level (none outside lists), indented by how many steps. */
interface Place {
  listLevel?: number;
  indent: number;
}

/** Renders block tokens (from parseMarkdown) to a .docx file. */
export async function renderDocx(
  tokens: readonly Token[],
  options: { title: string },
): Promise<Uint8Array<ArrayBuffer>> {
  const starts = new Set<number>();
  let instances = 0;

  const paragraph = (runs: Run[], extra: Record<string, unknown> = {}) =>
    new Paragraph({ ...extra, children: runs.flatMap(toChildren) });

  const blocks = (list: readonly Token[], at: Place): Block[] =>
    list.flatMap((token) => block(token, at));

  const block = (token: Token, at: Place): Block[] => {
    const indent = at.indent ? { indent: { left: INDENT * at.indent } } : {};
    switch (token.type) {
      case "heading": {
        const heading = HEADINGS[Math.min(Math.max(token.depth, 1), 6) - 1];
        return [paragraph(inlineRuns(token.tokens ?? []), { heading, ...indent })];
      }
      case "paragraph":
      case "text":
        return [paragraph(inlineRuns(token.tokens ?? [token]), indent)];
      case "list":
        return list(token as Tokens.List, at);
      case "table":
        return [table(token as Tokens.Table)];
      case "blockquote":
        return blocks(token.tokens ?? [], { ...at, indent: at.indent + 1 });
      case "code":
        return String(token.text).split("\n").map((line) =>
          paragraph([{ text: line, code: true }], { ...indent, spacing: { after: 0 } })
        );
      case "hr":
        return [
          new Paragraph({
            border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "999999", space: 1 } },
          }),
        ];
      case "html":
        return [paragraph([{ text: String(token.text).trim() }], indent)];
      default:
        return [];
    }
  };

  const list = (token: Tokens.List, at: Place): Block[] => {
    const level = at.listLevel === undefined ? 0 : Math.min(at.listLevel + 1, 8);
    const start = typeof token.start === "number" ? token.start : 1;
    if (token.ordered) starts.add(start);
    const marker = token.ordered
      ? { numbering: { reference: `ordered-${start}`, level, instance: ++instances } }
      : { bullet: { level } };
    // An item's first paragraph carries the bullet or number; its later blocks (a second
    // paragraph, a nested list) sit under that text.
    const inside: Place = { listLevel: level, indent: at.indent + level + 1 };
    return token.items.flatMap((item) => {
      const [first, ...rest] = item.tokens;
      const lead = first?.type === "text" || first?.type === "paragraph"
        ? [paragraph(inlineRuns(first.tokens ?? [first]), marker)]
        : [paragraph([], marker), ...(first ? block(first, inside) : [])];
      return [...lead, ...blocks(rest, inside)];
    });
  };

  const table = (token: Tokens.Table): Table => {
    const columns = Math.max(token.header.length, 1);
    const width = Math.floor(TEXT_WIDTH / columns);
    const alignment = (align: string | null) =>
      align === "center"
        ? AlignmentType.CENTER
        : align === "right"
        ? AlignmentType.RIGHT
        : AlignmentType.LEFT;
    const cell = (cell: Tokens.TableCell, header: boolean) =>
      new TableCell({
        width: { size: width, type: WidthType.DXA },
        children: [
          paragraph(inlineRuns(cell.tokens, header ? { bold: true } : {}), {
            alignment: alignment(cell.align),
          }),
        ],
      });
    return new Table({
      layout: TableLayoutType.FIXED,
      width: { size: width * columns, type: WidthType.DXA },
      columnWidths: Array.from({ length: columns }, () => width),
      rows: [
        new TableRow({ tableHeader: true, children: token.header.map((c) => cell(c, true)) }),
        ...token.rows.map((row) =>
          new TableRow({
            children: Array.from(
              { length: columns },
              (_, i) => cell(row[i] ?? { text: "", tokens: [], header: false, align: null }, false),
            ),
          })
        ),
      ],
    });
  };

  const children = blocks(tokens, { indent: 0 });
  const document = new Document({
    title: xmlText(options.title),
    creator: "guided-document-chat",
    numbering: {
      config: [...starts].map((start) => ({
        reference: `ordered-${start}`,
        levels: orderedLevels(start),
      })),
    },
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toArrayBuffer(document));
}

function orderedLevels(start: number): ILevelsOptions[] {
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format: LevelFormat.DECIMAL,
    text: `%${level + 1}.`,
    start: level === 0 ? start : 1,
    alignment: AlignmentType.START,
    style: { paragraph: { indent: { left: INDENT * (level + 1), hanging: 360 } } },
  }));
}

/** A run as Word runs: "\n" becomes a line break; links become hyperlinks. */
function toChildren(run: Run): ParagraphChild[] {
  const lines = xmlText(run.text).split("\n");
  const runs = lines.map((line, i) =>
    new TextRun({
      text: line,
      break: i > 0 ? 1 : undefined,
      bold: run.bold,
      italics: run.italic,
      strike: run.strike,
      font: run.code ? MONOSPACE : undefined,
      style: run.link ? "Hyperlink" : undefined,
    })
  );
  return run.link ? [new ExternalHyperlink({ link: run.link, children: runs })] : runs;
}

/** Characters XML 1.0 cannot hold (C0 controls but tab and newline, lone surrogates) dropped. */
function xmlText(text: string): string {
  return text.replace(
    // deno-lint-ignore no-control-regex
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "",
  );
}
