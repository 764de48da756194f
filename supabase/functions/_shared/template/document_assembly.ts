/**
 * Fills a template body with normalised answers: placeholders replaced, blocks kept or
 * dropped, blank lines left by dropped blocks collapsed.
 */
import { escapeMarkdownText, unescapeMarkdown } from "../document/markdown_escape.ts";
import { applyFilters } from "./body_filters.ts";
import { draftTitle } from "./draft_title.ts";
import type { Template } from "./template.ts";
import { type BodyNode, parseBody } from "./template_body.ts";

export type AssembledDocument = { title: string; content: string; format: "markdown" };

/**
 * Assembles the document from `answers`: question id to normalised answer, holding only the
 * questions that were asked ("" for a skipped optional question).
 *
 * `{{#if id}}` is kept when the answer is present, not "" and (for yes_no) not "No";
 * `{{#if id == "V"}}` when the answer equals V ignoring case; `{{#unless ...}}` is the
 * opposite. A placeholder with no answer becomes "" (parseTemplate rules that out); its
 * filters apply to the answer. `{{#}}` counts the section numbers of the kept text only.
 * An answer is text, never markup: it is escaped (escapeMarkdownText), so `**x**` or `<b>` in an
 * answer reads as typed in every format the document is rendered to.
 * The title is made by the template's title rule (draft_title.ts) when it has one, else it is the
 * first `# ` heading of the result as plain text, else the template's name.
 */
export function assembleDocument(
  template: Template,
  answers: ReadonlyMap<string, string>,
): AssembledDocument {
  const yesNo = new Set(template.questions.filter((q) => q.type === "yes_no").map((q) => q.id));
  const holds = (node: Extract<BodyNode, { kind: "block" }>) => {
    const answer = answers.get(node.id);
    if (answer === undefined || answer === "") return false;
    if (node.equals !== undefined) return answer.toLowerCase() === node.equals.trim().toLowerCase();
    return !(yesNo.has(node.id) && answer === "No");
  };
  let sections = 0;
  const render = (nodes: readonly BodyNode[]): string =>
    nodes.map((node) => {
      switch (node.kind) {
        case "text":
          return node.text;
        case "section_number":
          return String(++sections);
        case "placeholder":
          return escapeMarkdownText(applyFilters(answers.get(node.id) ?? "", node.filters ?? []));
        case "block":
          return holds(node) !== node.negate ? render(node.children) : "";
      }
    }).join("");
  const content = tidy(render(parseBody(template.body)));
  const heading = unescapeMarkdown(/^# +(.+?)[ \t#]*$/m.exec(content)?.[1]?.trim() ?? "");
  const title = template.title === undefined
    ? heading || template.name
    : draftTitle(template, answers);
  return { title, content, format: "markdown" };
}

/** No leading blank lines, no runs of blank lines, exactly one final newline. */
function tidy(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, "\n")
    .replace(/\n(?:[ \t]*\n){2,}/g, "\n\n")
    .replace(/^(?:[ \t]*\n)+/, "")
    .trimEnd() + "\n";
}
