/**
 * Checks between a template's questions: conditions (`when`) and date rules that name unknown,
 * later or unsuitable questions, questions that can never be asked, and date rules that can
 * never be met together.
 */
import { DATE_RULES, TODAY } from "../../supabase/functions/_shared/template/date_rules.ts";
import { conflictingDateRules, dateRuleEdges } from "./date_rule_conflicts.ts";
import type { JsonLocations } from "./json_locations.ts";
import { nearestName } from "./nearest_name.ts";
import { canEqual, type RawQuestion } from "./raw_template.ts";
import type { TemplateProblem } from "./source_position.ts";

export function questionProblems(
  questions: readonly RawQuestion[],
  json: JsonLocations,
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const path = (q: RawQuestion, ...rest: (string | number)[]) => ["questions", q.index, ...rest];
  const position = new Map<string, number>();
  const ids = questions.map((q) => q.id);
  questions.forEach((q, i) => {
    if (position.has(q.id)) {
      problems.push(
        json.problem(path(q, "id"), `Duplicate question id "${q.id}": ids must differ`),
      );
    } else position.set(q.id, i);
  });
  const byId = new Map(questions.map((q) => [q.id, q]));
  const reference = (q: RawQuestion, named: string, field: (string | number)[], what: string) => {
    const at = position.get(named);
    if (at === undefined) {
      const near = nearestName(named, ids);
      problems.push(json.problem(
        path(q, ...field),
        `${what} names "${named}", which is no question${near ? `: did you mean "${near}"?` : ""}`,
      ));
      return undefined;
    }
    if (at >= (position.get(q.id) ?? 0)) {
      problems.push(json.problem(
        path(q, ...field),
        `${what} refers to "${named}", which is asked ${
          named === q.id ? "here" : "later"
        }: it can only depend on an earlier question`,
      ));
      return undefined;
    }
    return byId.get(named);
  };

  const unreachable = new Set<string>();
  for (const q of questions) {
    if (q.when === undefined) continue;
    const where = `The condition of "${q.id}"`;
    const dependency = reference(q, q.when.question, ["when", "question"], where);
    if (dependency === undefined) {
      unreachable.add(q.id);
      continue;
    }
    if (!canEqual(dependency, q.when.equals)) {
      unreachable.add(q.id);
      problems.push(json.problem(
        path(q, "when", "equals"),
        `Question "${q.id}" can never be asked: it waits for "${dependency.id}" to be "${q.when.equals}", and "${dependency.id}" is one of ${
          list(dependency.options)
        }`,
      ));
    } else if (unreachable.has(dependency.id)) {
      unreachable.add(q.id);
      problems.push(json.problem(
        path(q, "when", "question"),
        `Question "${q.id}" can never be asked: it depends on "${dependency.id}", which can never be asked`,
      ));
    }
  }

  for (const q of questions) {
    for (const rule of DATE_RULES) {
      const other = q[rule];
      if (typeof other !== "string" || other === TODAY) continue;
      const dependency = reference(q, other, [rule], `The rule ${rule} of "${q.id}"`);
      if (dependency !== undefined && dependency.type !== "date") {
        problems.push(json.problem(
          path(q, rule),
          `The rule ${rule} of "${q.id}" compares with "${other}", a ${dependency.type} question: it needs a date question or "today"`,
        ));
      }
    }
  }
  const dated = questions.filter((q) => q.type === "date");
  for (const { edge, chain } of conflictingDateRules(dateRuleEdges(dated))) {
    const q = byId.get(edge.question);
    if (q === undefined) continue;
    problems.push(json.problem(
      path(q, edge.rule),
      `The date rules of "${q.id}" can never all be met: ${chain}`,
    ));
  }
  return problems;
}

export function list(values: readonly string[]): string {
  return values.length === 0 ? "(no options)" : values.map((v) => `"${v}"`).join(", ");
}
