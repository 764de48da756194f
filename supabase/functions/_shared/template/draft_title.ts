/**
 * The title of an interview and of its document, made by the template's `title` rule
 * ("NDA: {{party_a_name}} and {{party_b_name}}", the body's placeholder syntax, filters
 * included), so that two drafts or documents of one template can be told apart by their
 * parties. See docs/template_format.md.
 *
 * A title is one line of plain text: answers are not escaped as the body's are, line breaks and
 * runs of spaces become one space, and invisible characters are dropped (the database refuses a
 * title holding one). While an answer the rule names is missing or skipped, the title is the
 * template's name: a half-filled "NDA: Acme Ltd and " reads as a mistake.
 */
import { LIMITS } from "../wire/constants.ts";
import { stripInvisibleCharacters } from "../wire/invisible_characters.ts";
import { applyFilters } from "./body_filters.ts";
import type { Template } from "./template.ts";
import { parseBody } from "./template_body.ts";

/** What draftTitle reads of a template. */
export type TitledTemplate = Pick<Template, "name" | "title">;

/** The title of a draft or document of `template` given `answers` (question id to answer). */
export function draftTitle(
  template: TitledTemplate,
  answers: ReadonlyMap<string, string>,
): string {
  if (template.title === undefined) return oneLine(template.name);
  let title = "";
  for (const node of parseBody(template.title)) {
    if (node.kind === "text") {
      title += node.text;
    } else if (node.kind === "placeholder") {
      const answer = answers.get(node.id)?.trim() ?? "";
      if (answer === "") return oneLine(template.name);
      title += applyFilters(answer, node.filters ?? []);
    }
  }
  return oneLine(title) || oneLine(template.name);
}

/**
 * Checks a title rule against its template's questions: only text and placeholders (no blocks or
 * section numbers), every placeholder naming a question.
 *
 * @throws {TypeError} naming the first problem, without the template's name.
 */
export function checkTitleRule(rule: string, questionIds: ReadonlySet<string>): void {
  let nodes;
  try {
    nodes = parseBody(rule);
  } catch (caught: unknown) {
    throw new TypeError(`title: ${caught instanceof Error ? caught.message : String(caught)}`);
  }
  for (const node of nodes) {
    if (node.kind === "block" || node.kind === "section_number") {
      throw new TypeError(`title: "${node.tag}" is not allowed in a title, only placeholders`);
    }
    if (node.kind === "placeholder" && !questionIds.has(node.id)) {
      throw new TypeError(`title: placeholder "${node.tag}" names no question`);
    }
  }
}

/** One line, no invisible characters, at most the stored maximum (cut with an ellipsis). */
function oneLine(text: string): string {
  const line = stripInvisibleCharacters(text).replace(/\s+/g, " ").trim();
  const characters = [...line];
  if (characters.length <= LIMITS.maxDocumentTitleChars) return line;
  return characters.slice(0, LIMITS.maxDocumentTitleChars - 1).join("").trimEnd() + "…";
}
