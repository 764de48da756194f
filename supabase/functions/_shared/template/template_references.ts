/**
 * Cross-reference checks of a template whose shape zod has already validated: question ids,
 * `when` conditions, and the body's placeholders and blocks. Together they guarantee that
 * assembling the body from any set of valid answers leaves no placeholder unfilled.
 */
import { DATE_RULES, TODAY } from "./date_rules.ts";
import type { Question, Template } from "./template.ts";
import { type BodyNode, parseBody } from "./template_body.ts";

type Block = Extract<BodyNode, { kind: "block" }>;

/**
 * @throws {TypeError} describing the first problem found, without the template's name.
 */
export function checkTemplateReferences(template: Template): void {
  const byId = new Map<string, Question>();
  for (const question of template.questions) {
    if (byId.has(question.id)) throw new TypeError(`duplicate question id "${question.id}"`);
    const when = question.when;
    if (when !== undefined) {
      const dependency = byId.get(when.question);
      if (dependency === undefined) {
        throw new TypeError(
          `question "${question.id}" depends on "${when.question}", which is not an earlier question`,
        );
      }
      checkComparable(dependency, when.equals, `question "${question.id}" condition`);
    }
    for (const rule of DATE_RULES) {
      const other = question[rule];
      if (other === undefined || other === TODAY) continue;
      if (byId.get(other)?.type !== "date") {
        throw new TypeError(
          `question "${question.id}" ${rule} "${other}", which is neither "today" nor an earlier date question`,
        );
      }
    }
    byId.set(question.id, question);
  }

  const nodes = parseBody(template.body);
  const placed = new Set<string>();
  walk(nodes, [], byId, placed);
  for (const question of template.questions) {
    if (!placed.has(question.id)) {
      throw new TypeError(
        `question "${question.id}" has no placeholder "{{${question.id}}}" in the body`,
      );
    }
  }
}

function walk(
  nodes: readonly BodyNode[],
  guards: readonly Block[],
  byId: ReadonlyMap<string, Question>,
  placed: Set<string>,
): void {
  for (const node of nodes) {
    if (node.kind === "text" || node.kind === "section_number" || node.kind === "today") continue;
    const question = byId.get(node.id);
    if (node.kind === "placeholder") {
      if (question === undefined) {
        throw new TypeError(`placeholder "${node.tag}" names no question`);
      }
      if (node.filters?.some((f) => f.name === "plural") && question.type !== "number") {
        throw new TypeError(
          `placeholder "${node.tag}" uses plural, which needs a number question, and "${question.id}" is ${question.type}`,
        );
      }
      checkGuarded(question, node.tag, guards, byId);
      placed.add(node.id);
      continue;
    }
    if (question === undefined) throw new TypeError(`block "${node.tag}" names no question`);
    if (node.equals !== undefined) checkComparable(question, node.equals, `block "${node.tag}"`);
    walk(node.children, node.negate ? guards : [...guards, node], byId, placed);
  }
}

/** A `==` value must be one the question's normalised answer can take. */
function checkComparable(question: Question, value: string, where: string): void {
  const wanted = value.trim().toLowerCase();
  if (question.type === "choice") {
    const options = question.options ?? [];
    if (!options.some((option) => option.toLowerCase() === wanted)) {
      throw new TypeError(
        `${where} compares "${question.id}" with "${value}", which is not one of its options (${
          options.join(", ")
        })`,
      );
    }
  }
  if (question.type === "yes_no" && wanted !== "yes" && wanted !== "no") {
    throw new TypeError(
      `${where} compares "${question.id}" with "${value}": a yes_no answer is "Yes" or "No"`,
    );
  }
}

/**
 * A placeholder of an optional or conditional question must sit inside a block that can only
 * be kept when that question has an answer: `{{#if id}}` or `{{#if id == "..."}}` of the
 * question itself, or (for a required conditional question) a block that holds exactly when
 * its `when` condition holds.
 */
function checkGuarded(
  question: Question,
  tag: string,
  guards: readonly Block[],
  byId: ReadonlyMap<string, Question>,
): void {
  const when = question.when;
  if (question.required && when === undefined) return;
  if (guards.some((guard) => guard.id === question.id)) return;
  if (question.required && when !== undefined) {
    const dependency = byId.get(when.question);
    const wanted = when.equals.trim().toLowerCase();
    const holds = guards.some((guard) =>
      guard.id === when.question &&
      (guard.equals !== undefined
        ? guard.equals.trim().toLowerCase() === wanted
        : dependency?.type === "yes_no" && wanted === "yes")
    );
    if (holds) return;
    throw new TypeError(
      `placeholder "${tag}" may be left unfilled: question "${question.id}" is asked only when "${when.question}" is "${when.equals}", so use it inside {{#if ${question.id}}} or {{#if ${when.question} == "${when.equals}"}}`,
    );
  }
  throw new TypeError(
    `placeholder "${tag}" may be left unfilled: question "${question.id}" is optional, so use it inside {{#if ${question.id}}}...{{/if}}`,
  );
}
