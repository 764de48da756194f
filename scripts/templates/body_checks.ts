/**
 * Checks of a template body against its questions, each at the tag's line: unknown tags and
 * filters, unbalanced blocks, placeholders and blocks that name no question (with the nearest
 * id), `==` values a question can never take, filters on answers they do not fit, placeholders
 * that may be left unfilled, questions the body never uses, and choice values that no
 * condition or branch handles.
 */
import { FILTER_NAMES } from "../../supabase/functions/_shared/template/body_filters.ts";
import { type BodyTag, bodyTags } from "./body_tags.ts";
import type { JsonLocations } from "./json_locations.ts";
import { nearestName } from "./nearest_name.ts";
import { list } from "./question_checks.ts";
import { canEqual, type RawQuestion } from "./raw_template.ts";
import { LineIndex, type TemplateProblem } from "./source_position.ts";

type Open = Extract<BodyTag, { kind: "open" }>;

/** The types whose answers are words, which `lower`, `title` and `article` are made for. */
const WORD_TYPES = new Set(["short_text", "long_text", "choice"]);
const FILTER_ARGUMENT = /^\s*(\w+)\s*(?::\s*"([^"]*)"\s*)?$/;

export function bodyProblems(
  body: { file: string; text: string },
  questions: readonly RawQuestion[],
  json: JsonLocations,
): TemplateProblem[] {
  const lines = new LineIndex(body.file, body.text);
  const problems: TemplateProblem[] = [];
  const at = (tag: { offset: number }, message: string) =>
    problems.push(lines.problem(tag.offset, message));
  const byId = new Map(questions.map((q) => [q.id, q]));
  const ids = questions.map((q) => q.id);
  const named = (tag: BodyTag & { id: string }) => {
    const question = byId.get(tag.id);
    if (question === undefined) {
      const near = nearestName(tag.id, ids);
      at(tag, `"${tag.raw}" names no question${near ? `: did you mean "${near}"?` : ""}`);
    }
    return question;
  };

  const tags = bodyTags(body.text);
  strayOpenings(body.text, tags).forEach((offset) =>
    problems.push(lines.problem(offset, `Unclosed tag: "{{" has no "}}"`))
  );
  const placed = new Set<string>();
  const branches = new Map<string, Set<string>>();
  const catchAll = new Set<string>();
  const stack: Open[] = [];
  for (const tag of tags) {
    switch (tag.kind) {
      case "unknown":
        at(
          tag,
          `Unknown tag "${tag.raw}": see docs/template_format.md for the tags a body may use`,
        );
        break;
      case "unclosed":
        at(tag, `Unclosed tag: "{{" has no "}}"`);
        break;
      case "section_number":
      case "today":
        break;
      case "open": {
        stack.push(tag);
        const question = named(tag);
        if (question === undefined || tag.equals === undefined) break;
        if (!canEqual(question, tag.equals)) {
          at(
            tag,
            `"${tag.raw}" compares "${question.id}" with "${tag.equals}", which it can never be: it is one of ${
              list(question.options)
            }`,
          );
        }
        if (tag.negate) catchAll.add(question.id);
        addBranch(branches, question.id, tag.equals);
        break;
      }
      case "close": {
        const open = stack.pop();
        if (open === undefined) at(tag, `"${tag.raw}" closes no block`);
        else if (open.negate !== tag.negate) at(tag, `"${tag.raw}" cannot close "${open.raw}"`);
        break;
      }
      case "placeholder": {
        filterProblems(tag.raw).forEach((message) => at(tag, message));
        const question = named(tag);
        if (question === undefined) break;
        placed.add(question.id);
        for (const filter of tag.filters) {
          if (filter === "plural" ? question.type !== "number" : !WORD_TYPES.has(question.type)) {
            at(
              tag,
              `"${tag.raw}" applies ${filter} to "${question.id}", a ${question.type} question: ${
                filter === "plural"
                  ? "plural needs a number"
                  : `${filter} changes words and would change how the answer is written`
              }`,
            );
          }
        }
        const unguarded = unguardedReason(question, stack, byId);
        if (unguarded !== undefined) at(tag, `"${tag.raw}" may be left unfilled: ${unguarded}`);
      }
    }
  }
  for (const open of stack) at(open, `"${open.raw}" is never closed`);

  for (const q of questions) {
    if (q.when !== undefined) addBranch(branches, q.when.question, q.when.equals);
    if (!placed.has(q.id)) {
      problems.push(json.problem(
        ["questions", q.index, "id"],
        `Question "${q.id}" is never used in the body: put {{${q.id}}} where its answer belongs`,
      ));
    }
  }
  for (const q of questions) {
    const handled = branches.get(q.id);
    if (q.type !== "choice" || handled === undefined || catchAll.has(q.id)) continue;
    q.options.forEach((option, i) => {
      if (handled.has(option.trim().toLowerCase())) return;
      problems.push(json.problem(
        ["questions", q.index, "options", i],
        `The choice "${option}" of "${q.id}" is handled by no condition or body branch, though other choices are: add {{#if ${q.id} == "${option}"}}...{{/if}}`,
      ));
    });
  }
  return problems;
}

function addBranch(branches: Map<string, Set<string>>, id: string, value: string | undefined) {
  if (value === undefined) return;
  const set = branches.get(id) ?? new Set<string>();
  set.add(value.trim().toLowerCase());
  branches.set(id, set);
}

/** The offsets of "{{" that no tag closes. */
function strayOpenings(text: string, tags: readonly BodyTag[]): number[] {
  const stray: number[] = [];
  let from = 0;
  for (
    const end of [...tags.map((t) => ({ start: t.offset, stop: t.offset + t.raw.length })), {
      start: text.length,
      stop: text.length,
    }]
  ) {
    const i = text.slice(from, end.start).indexOf("{{");
    if (i !== -1) stray.push(from + i);
    from = end.stop;
  }
  return stray;
}

function filterProblems(raw: string): string[] {
  const parts = raw.slice(2, -2).split("|").slice(1);
  return parts.flatMap((text) => {
    const m = FILTER_ARGUMENT.exec(text);
    const name = m?.[1] ?? text.trim();
    if (!m || !(FILTER_NAMES as readonly string[]).includes(name)) {
      const near = nearestName(name, FILTER_NAMES);
      return [`Unknown filter "${name}" in "${raw}"${near ? `: did you mean "${near}"?` : ""}`];
    }
    const arg = m[2];
    if (name === "plural" && (arg === undefined || arg.trim() === "")) {
      return [`The filter plural needs a word, as in plural: "year", in "${raw}"`];
    }
    if (name !== "plural" && arg !== undefined) {
      return [`The filter ${name} takes no argument, in "${raw}"`];
    }
    return [];
  });
}

/**
 * Why a placeholder may have no answer where it stands, or undefined when it always has one:
 * an optional or conditional question must sit in `{{#if id}}` of itself, or (required and
 * conditional) in a block that holds exactly when its condition holds.
 */
function unguardedReason(
  question: RawQuestion,
  stack: readonly Open[],
  byId: ReadonlyMap<string, RawQuestion>,
): string | undefined {
  const guards = stack.filter((open) => !open.negate);
  const when = question.when;
  if (question.required && when === undefined) return undefined;
  if (guards.some((guard) => guard.id === question.id)) return undefined;
  if (question.required && when !== undefined) {
    const dependency = byId.get(when.question);
    // A question that can never be asked is reported as such (question_checks.ts).
    if (dependency !== undefined && !canEqual(dependency, when.equals)) return undefined;
    const wanted = when.equals.trim().toLowerCase();
    const holds = guards.some((guard) =>
      guard.id === when.question &&
      (guard.equals !== undefined
        ? guard.equals.trim().toLowerCase() === wanted
        : dependency?.type === "yes_no" && wanted === "yes")
    );
    if (holds) return undefined;
    return `"${question.id}" is asked only when "${when.question}" is "${when.equals}", so use it inside {{#if ${question.id}}} or {{#if ${when.question} == "${when.equals}"}}`;
  }
  return `"${question.id}" is optional, so use it inside {{#if ${question.id}}}...{{/if}}`;
}
