// Every seeded template assembled under every combination of its branches (each condition both
// ways, each choice that picks a block, each optional question skipped and given, numbers at
// one and at many), and the text checked as a reader would: test_support/document_prose.ts.
import assert from "node:assert/strict";
import { nextStep, type Turn } from "../supabase/functions/_shared/template/interview_engine.ts";
import { type BodyNode, parseBody } from "../supabase/functions/_shared/template/template_body.ts";
import type { Question, Template } from "../supabase/functions/_shared/template/template.ts";
import { proseProblems } from "../test_support/document_prose.ts";
import { loadTemplates } from "./seed/seeded_templates.ts";

const templates = await loadTemplates();
const TODAY = "2026-12-01";
const AT = `${TODAY}T12:00:00.000Z`;
/** In an answer set, "answer this optional question" (with the answer of its type). */
const GIVE = "(given)";

/** Question ids a block of the body tests. */
function blockIds(nodes: readonly BodyNode[], into = new Set<string>()): Set<string> {
  for (const node of nodes) {
    if (node.kind !== "block") continue;
    into.add(node.id);
    blockIds(node.children, into);
  }
  return into;
}

/** The raw answers a question can branch on: each value that changes what is kept or asked. */
function branches(template: Template, question: Question): string[] | undefined {
  const tested = blockIds(parseBody(template.body)).has(question.id) ||
    template.questions.some((q) => q.when?.question === question.id);
  if (!question.required) return ["skip", GIVE];
  if (!tested) return undefined;
  if (question.type === "yes_no") return ["yes", "no"];
  if (question.type === "choice") return question.options;
  return undefined;
}

/** A realistic answer of the question's type; `index` spaces dates apart. */
function answer(question: Question, index: number, numbers: "one" | "many"): string {
  switch (question.type) {
    case "short_text":
      return `${question.id.replaceAll("_", " ")} value`;
    case "long_text":
      return `The first paragraph for ${question.id}.\n\nThe second paragraph.`;
    case "date": {
      const early = question.before !== undefined || question.notAfter !== undefined;
      const date = new Date(Date.UTC(2027, early ? 0 : 1, early ? 20 : 1 + 7 * index));
      return date.toISOString().slice(0, 10);
    }
    case "number": {
      const wanted = numbers === "one" ? 1 : 12;
      return String(Math.min(question.max ?? wanted, Math.max(question.min ?? wanted, wanted)));
    }
    case "amount":
      return "12.5k";
    case "email":
      return `${question.id.replaceAll("_", ".")}@example.com`;
    case "choice":
      return question.options?.[0] ?? "";
    case "yes_no":
      return "yes";
  }
}

type AnswerSet = { name: string; choose: Map<string, string>; numbers: "one" | "many" };

/** The cartesian product of every branching question's values, with numbers at 1 and at 12. */
function answerSets(template: Template): AnswerSet[] {
  let sets: Map<string, string>[] = [new Map()];
  for (const question of template.questions) {
    const values = branches(template, question);
    if (values === undefined) continue;
    sets = sets.flatMap((set) => values.map((value) => new Map([...set, [question.id, value]])));
  }
  return sets.flatMap((choose) =>
    (["one", "many"] as const).map((numbers) => ({
      name: [...choose].map(([id, value]) => `${id}=${value}`).join(", ") +
        `, numbers=${numbers}`,
      choose,
      numbers,
    }))
  );
}

/** Interviews `template` with the answer set; every answer must be accepted. */
function assemble(template: Template, set: AnswerSet): string {
  const history: Turn[] = [];
  for (let index = 0; index <= template.questions.length; index++) {
    const step = nextStep(template, history, { protocol: "v2", today: TODAY });
    if (step.status === "complete") return step.document.content;
    const question = template.questions.find((q) => q.id === step.nextQuestion.id)!;
    assert.equal(step.nextQuestion.problem, undefined, `${set.name}: ${question.id} refused`);
    const chosen = set.choose.get(question.id);
    const content = chosen === undefined || chosen === GIVE
      ? answer(question, index, set.numbers)
      : chosen;
    history.push(
      { role: "assistant", content: step.nextQuestion.text, questionId: question.id, at: AT },
      { role: "user", content, questionId: question.id, at: AT },
    );
  }
  throw new Error(`${template.slug} (${set.name}): the interview did not complete`);
}

Deno.test("every seeded document reads cleanly under every answer set", async (t) => {
  for (const template of templates) {
    await t.step(template.slug, () => {
      const sets = answerSets(template);
      assert.ok(sets.length >= 8, `${template.slug}: only ${sets.length} answer sets`);
      const seen = new Set<string>();
      for (const set of sets) {
        const content = assemble(template, set);
        seen.add(content);
        assert.deepEqual(proseProblems(content), [], `${template.slug} (${set.name})`);
      }
      assert.ok(seen.size > sets.length / 2, "the answer sets give different documents");
    });
  }
});

Deno.test("proseProblems finds what a reader would notice", async (t) => {
  await t.step("a clean document has none", () => {
    const clean = [
      "# Title",
      "",
      "**Acme Inc.**",
      "",
      "Dear Jane,",
      "",
      "## 1. Terms",
      "",
      "| Term | Detail |",
      "| --- | --- |",
      "| Term | 3 years |",
      "",
      'It lasts 3 years ("the Term").',
      "Each party agrees:",
      "",
      "- to this;",
      "",
      "## 2. General",
      "",
      "This is governed by the laws of Delaware.",
      "",
      "## Signatures",
      "",
      "Name: Jane Doe",
      "",
    ].join("\n");
    assert.deepEqual(proseProblems(clean), []);
  });

  await t.step("each kind of problem", () => {
    const broken = [
      "# Title",
      "",
      "Between the parties.",
      "",
      "## 1. Term",
      "",
      "It lasts 3 year(s) and",
      "ends on {{end_date}}.",
      "",
      "## 3. Empty",
      "",
      "## General",
      "",
      "Pay frequency: Every two weeks",
      "in arrears.",
      "",
      "## 4. Last",
      "",
      "The end.",
      "",
    ].join("\n");
    assert.deepEqual(proseProblems(broken), [
      '"(s)" on line 7 "It lasts 3 year(s) and"',
      'a sentence is broken off at line 7 "It lasts 3 year(s) and"',
      'a tag is left on line 8 "ends on {{end_date}}."',
      'an empty section under line 10 "## 3. Empty"',
      'a sentence is broken off at line 14 "Pay frequency: Every two weeks"',
      'section "## 3. Empty" should be number 2',
      'section "## General" has no number',
    ]);
  });
});
