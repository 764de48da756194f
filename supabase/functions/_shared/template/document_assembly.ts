/**
 * Fills a template body with normalised answers: placeholders replaced, blocks kept or
 * dropped, blank lines left by dropped blocks collapsed.
 */
import { answerBlocks, answerInline } from "../document/answer_markdown.ts";
import { escapeMarkdownText, unescapeMarkdown } from "../document/markdown_escape.ts";
import { applyFilters } from "./body_filters.ts";
import { documentAmount, documentDate } from "./answer_wording.ts";
import { draftTitle } from "./draft_title.ts";
import type { Template } from "./template.ts";
import { type BodyNode, parseBody } from "./template_body.ts";

export type AssembledDocument = { title: string; content: string; format: "markdown" };

export interface AssemblyOptions {
  /** Today as `YYYY-MM-DD`, for `{{@today}}`; without it the date is a blank to fill in. */
  today?: string;
}

/** A long answer's place in the body, decided once the text around it is known. */
type Slot = { slot: string };

/**
 * Assembles the document from `answers`: question id to normalised answer, holding only the
 * questions that were asked ("" for a skipped optional question).
 *
 * `{{#if id}}` is kept when the answer is present, not "" and (for yes_no) not "No";
 * `{{#if id == "V"}}` when the answer equals V ignoring case; `{{#unless ...}}` is the
 * opposite. A placeholder with no answer becomes "" (parseTemplate rules that out); its
 * filters apply to the answer. `{{#}}` counts the section numbers of the kept text only.
 * An answer is text, never markup: it is escaped (escapeMarkdownText), so `**x**` or `<b>` in an
 * answer reads as typed in every format the document is rendered to. A long_text answer whose
 * placeholder stands alone on its line keeps its lines, paragraphs and simple lists
 * (answerBlocks); anywhere else its lines are joined with spaces (answerInline).
 * An amount is written without cents when they are zero ("$120,000").
 * The title is made by the template's title rule (draft_title.ts) when it has one, else it is the
 * first `# ` heading of the result as plain text, else the template's name.
 */
export function assembleDocument(
  template: Template,
  answers: ReadonlyMap<string, string>,
  options: AssemblyOptions = {},
): AssembledDocument {
  const typeOf = new Map(template.questions.map((q) => [q.id, q.type]));
  const holds = (node: Extract<BodyNode, { kind: "block" }>) => {
    const answer = answers.get(node.id);
    if (answer === undefined || answer === "") return false;
    if (node.equals !== undefined) return answer.toLowerCase() === node.equals.trim().toLowerCase();
    return !(typeOf.get(node.id) === "yes_no" && answer === "No");
  };
  let sections = 0;
  const pieces: (string | Slot)[] = [];
  const render = (nodes: readonly BodyNode[]): void => {
    for (const node of nodes) {
      switch (node.kind) {
        case "text":
          pieces.push(node.text);
          break;
        case "section_number":
          pieces.push(String(++sections));
          break;
        case "today":
          pieces.push(options.today === undefined ? BLANK : documentDate(options.today));
          break;
        case "placeholder": {
          const type = typeOf.get(node.id);
          const raw = answers.get(node.id) ?? "";
          const value = applyFilters(
            type === "amount" ? documentAmount(raw) : raw,
            node.filters ?? [],
          );
          pieces.push(
            type === "long_text" && value !== "" ? { slot: value } : escapeMarkdownText(value),
          );
          break;
        }
        case "block":
          if (holds(node) !== node.negate) render(node.children);
          break;
      }
    }
  };
  render(parseBody(template.body));
  const content = tidy(placeSlots(pieces));
  const heading = unescapeMarkdown(/^# +(.+?)[ \t#]*$/m.exec(content)?.[1]?.trim() ?? "");
  const title = template.title === undefined
    ? heading || template.name
    : draftTitle(template, answers);
  return { title, content, format: "markdown" };
}

/** A date line with no date known: a blank to fill in by hand, as on the signature lines. */
const BLANK = "____________________";

/**
 * Joins the pieces, writing each long answer as blocks where its placeholder stands alone on its
 * line (only spaces before it on the line, nothing after it), each block line indented as the
 * placeholder was (so that it stays inside a list item of the body), and inline elsewhere.
 * The blocks get a blank line before and after, so they never merge into the body's paragraphs.
 */
function placeSlots(pieces: readonly (string | Slot)[]): string {
  let out = "";
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (typeof piece === "string") {
      out += piece;
      continue;
    }
    const indent = /(?:^|\n)([ \t]*)$/.exec(out)?.[1];
    if (indent !== undefined && endsLine(pieces, i + 1)) {
      out = out.slice(0, out.length - indent.length);
      const lines = answerBlocks(piece.slot).split("\n");
      out += "\n" + lines.map((line) => line === "" ? "" : indent + line).join("\n") + "\n";
    } else out += answerInline(piece.slot);
  }
  return out;
}

/** Whether nothing but spaces follows on the line, from piece `from` on. */
function endsLine(pieces: readonly (string | Slot)[], from: number): boolean {
  for (let i = from; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (typeof piece !== "string") return false;
    const rest = /^[ \t]*/.exec(piece)![0];
    if (rest.length < piece.length) return /^[ \t]*\r?\n/.test(piece);
  }
  return true;
}

/** No leading blank lines, no runs of blank lines, exactly one final newline. */
function tidy(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, "\n")
    .replace(/\n(?:[ \t]*\n){2,}/g, "\n\n")
    .replace(/^(?:[ \t]*\n)+/, "")
    .trimEnd() + "\n";
}
