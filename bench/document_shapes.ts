// The shapes of document that bench/documents_bench.ts renders: each one at the maximum
// (LIMITS.maxDocumentChars code points) in the form that costs a renderer most, and the seeded
// mutual NDA as a real document for scale.
import { loadTemplates } from "../scripts/seed/seeded_templates.ts";
import { nextStep, type Turn } from "../supabase/functions/_shared/template/interview_engine.ts";
import { LIMITS } from "../supabase/functions/_shared/wire/constants.ts";

export const SHAPES = [
  "prose",
  "cjk",
  "inline_runs",
  "wide_table",
  "long_table",
  "unbroken_line",
  "hostile_delimiters",
  "deep_nesting",
  "nda",
] as const;
export type Shape = typeof SHAPES[number];

/** `unit` repeated and cut to exactly `length` characters (every unit here is BMP). */
function fill(unit: string, length: number = LIMITS.maxDocumentChars): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

const SENTENCE = "The Receiving Party shall hold the Confidential Information in strict " +
  "confidence and use it solely for the Purpose. ";

function table(columns: number, cell: string): string {
  const row = (text: (i: number) => string) =>
    `|${Array.from({ length: columns }, (_, i) => ` ${text(i)} `).join("|")}|\n`;
  const head = row((i) => `Column ${i + 1}`) + row(() => "---");
  return head + fill(row(() => cell), LIMITS.maxDocumentChars - head.length);
}

/** Realistic answers to the seeded mutual NDA (supabase/templates/mutual-nda.json). */
const NDA_ANSWERS: Record<string, string> = {
  party_a_name: "Acme Robotics, Inc.",
  party_a_email: "legal@acme.example",
  party_b_name: "Beta Logistics GmbH",
  party_b_email: "notices@beta.example",
  effective_date: "April 15, 2026",
  purpose: "Evaluating a joint venture for warehouse automation in the European market.",
  confidentiality_years: "3",
  governing_law: "Delaware",
  include_non_solicit: "Yes",
  non_solicit_months: "12",
  additional_terms: "Each party bears its own costs.",
};

async function ndaDocument(): Promise<string> {
  const template = (await loadTemplates()).find((t) => t.slug === "mutual-nda");
  if (!template) throw new Error('Template "mutual-nda" is not in supabase/templates');
  const history: Turn[] = [];
  for (;;) {
    const step = nextStep(template, history);
    if (step.status === "complete") return step.document.content;
    const { id, text } = step.nextQuestion;
    const at = new Date(0).toISOString();
    history.push({ role: "assistant", content: text, questionId: id, at });
    history.push({ role: "user", content: NDA_ANSWERS[id] ?? "Yes", questionId: id, at });
  }
}

/** The Markdown of `shape`. */
export async function documentOf(shape: Shape): Promise<string> {
  switch (shape) {
    case "prose":
      return fill(`${SENTENCE.repeat(5)}\n\n`);
    case "cjk":
      return fill(`${"接收方应对保密信息严格保密，仅为目的使用。".repeat(20)}\n\n`);
    case "inline_runs":
      // Thousands of runs, ten bold and ten italic per paragraph: within the lexer's bound.
      return fill(`${"**Term** and *defined* ".repeat(10)}\n\n`);
    case "wide_table":
      return table(50, "cell");
    case "long_table":
      return table(3, "a cell of some length");
    case "unbroken_line":
      return fill("x");
    case "hostile_delimiters":
      // Quadratic in marked without the bound (212 s of CPU at this size), one paragraph.
      return fill("*_**__a ");
    case "deep_nesting":
      // A stack overflow in marked without the bound.
      return `${fill(">", LIMITS.maxDocumentChars - 2)} x`;
    case "nda":
      return await ndaDocument();
  }
}
