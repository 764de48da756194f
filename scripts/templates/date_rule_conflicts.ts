/**
 * Date rules that can never all hold. Each rule is an order between two dates (`after: x` is
 * x < this, `notBefore: x` is x <= this, `before` and `notAfter` the other way; "today" is a
 * date too). The rules of a template can be met together exactly when no chain of them leads
 * from a date back to itself through a strict step (a < b <= a), which the closure below finds.
 */
import { DATE_RULES, type DateRule } from "../../supabase/functions/_shared/template/date_rules.ts";

export interface DateRuleEdge {
  /** The question that holds the rule. */
  question: string;
  rule: DateRule;
  /** The date it names: an earlier question's id or "today". */
  other: string;
}

/** The rule edges of every date question, in question order. */
export function dateRuleEdges(
  questions: readonly { id: string; [rule: string]: unknown }[],
): DateRuleEdge[] {
  const edges: DateRuleEdge[] = [];
  for (const question of questions) {
    for (const rule of DATE_RULES) {
      const other = question[rule];
      if (typeof other === "string") edges.push({ question: question.id, rule, other });
    }
  }
  return edges;
}

/** Order: 0 none, 1 "not later than", 2 "earlier than". */
type Order = 0 | 1 | 2;

/**
 * The first rule of each question whose rules, with the rules they lean on, contradict each
 * other, with the chain that shows it ("x must be after y, and y after x").
 */
export function conflictingDateRules(
  edges: readonly DateRuleEdge[],
): { edge: DateRuleEdge; chain: string }[] {
  const nodes = [...new Set(edges.flatMap((e) => [e.question, e.other]))];
  const index = new Map(nodes.map((node, i) => [node, i]));
  const n = nodes.length;
  const order: Order[][] = nodes.map(() => new Array<Order>(n).fill(0));
  const via: (DateRuleEdge | undefined)[][] = nodes.map(() => new Array(n).fill(undefined));
  for (const edge of edges) {
    const [from, to, strict] = edge.rule === "after" || edge.rule === "notBefore"
      ? [edge.other, edge.question, edge.rule === "after"]
      : [edge.question, edge.other, edge.rule === "before"];
    const i = index.get(from) ?? 0;
    const j = index.get(to) ?? 0;
    const value: Order = strict ? 2 : 1;
    if (value > (order[i]?.[j] ?? 0)) {
      order[i]![j] = value;
      via[i]![j] = edge;
    }
  }
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      const ik = order[i]![k]!;
      if (ik === 0) continue;
      for (let j = 0; j < n; j++) {
        const kj = order[k]![j]!;
        if (kj === 0) continue;
        const value = Math.max(ik, kj) as Order;
        if (value > order[i]![j]!) {
          order[i]![j] = value;
          via[i]![j] = via[i]![k];
        }
      }
    }
  }
  const found: { edge: DateRuleEdge; chain: string }[] = [];
  const reported = new Set<string>();
  for (const edge of edges) {
    const self = index.get(edge.question) ?? 0;
    if (order[self]![self] !== 2 || reported.has(edge.question)) continue;
    reported.add(edge.question);
    const involved = edges.filter((e) => {
      const a = index.get(e.question) ?? 0;
      const b = index.get(e.other) ?? 0;
      return order[self]![a]! > 0 && order[a]![self]! > 0 && order[self]![b]! > 0 &&
        order[b]![self]! > 0;
    });
    found.push({ edge, chain: involved.map(describeEdge).join(", and ") });
  }
  return found;
}

const WORDS: Record<DateRule, string> = {
  after: "after",
  notBefore: "on or after",
  before: "before",
  notAfter: "on or before",
};

function describeEdge(edge: DateRuleEdge): string {
  return `"${edge.question}" must be ${WORDS[edge.rule]} ${
    edge.other === "today" ? "today" : `"${edge.other}"`
  }`;
}
