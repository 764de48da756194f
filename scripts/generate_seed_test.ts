import assert from "node:assert/strict";
import { documentAmount } from "../supabase/functions/_shared/template/answer_wording.ts";
import { unescapeMarkdown } from "../supabase/functions/_shared/document/markdown_escape.ts";
import { validateAnswer } from "../supabase/functions/_shared/template/answer_validation.ts";
import { draftTitle } from "../supabase/functions/_shared/template/draft_title.ts";
import {
  nextStep,
  questionText,
  type Turn,
} from "../supabase/functions/_shared/template/interview_engine.ts";
import type { Question, Template } from "../supabase/functions/_shared/template/template.ts";
import { generateSeed, SEED_FILE } from "./generate_seed.ts";
import { dollarTag } from "./seed/seed_sql.ts";
import { loadTemplates } from "./seed/seeded_templates.ts";

const templates = await loadTemplates();

Deno.test("seed templates", async (t) => {
  await t.step("the three product templates are there and parse", () => {
    assert.deepEqual(templates.map((template) => template.slug), [
      "consulting-services-agreement",
      "employment-offer-letter",
      "mutual-nda",
    ]);
    for (const template of templates) {
      const count = template.questions.length;
      assert.ok(count >= 6 && count <= 15, `${template.slug} has ${count} questions`);
      assert.ok(template.questions.some((q) => q.when !== undefined), template.slug);
      assert.ok(template.questions.some((q) => !q.required), template.slug);
      assert.match(template.body, /\{\{#(if|unless) /, template.slug);
    }
  });

  await t.step("together they use every question type", () => {
    const types = new Set(templates.flatMap((template) => template.questions.map((q) => q.type)));
    assert.deepEqual([...types].sort(), [
      "amount",
      "choice",
      "date",
      "email",
      "long_text",
      "number",
      "short_text",
      "yes_no",
    ]);
  });

  await t.step("supabase/seed.sql is what the generator produces now", async () => {
    const committed = await Deno.readTextFile(SEED_FILE);
    assert.ok(
      committed === await generateSeed(),
      "supabase/seed.sql is stale: run scripts/generate_seed.ts",
    );
  });
});

Deno.test("dollarTag picks a tag no text can close early", () => {
  assert.equal(dollarTag(["plain", "costs $5"]), "$seed$");
  assert.equal(dollarTag(["a $seed$ b"]), "$seed_1$");
  assert.equal(dollarTag(["ends with $seed"]), "$seed_1$");
  assert.equal(dollarTag(["$seed$", "$seed_1$"]), "$seed_2$");
});

/** How a scenario answers: the value wanted for gating questions, and whether to skip. */
type Plan = { gates: Map<string, string>; skipOptional: boolean; fallback: "first" | "last" };

function rawAnswer(question: Question, plan: Plan): string {
  const gate = plan.gates.get(question.id);
  if (gate !== undefined) return gate;
  if (!question.required && plan.skipOptional) return "skip";
  switch (question.type) {
    case "short_text":
      return `Value of ${question.id}`;
    case "long_text":
      return `First paragraph of ${question.id}.\n\nSecond paragraph of ${question.id}.`;
    case "date":
      // After the interview's today (February 28, 2026); an end date after the start date.
      return question.after === undefined ? "1 March 2026" : "1 April 2026";
    case "number":
      return String(question.max ?? question.min ?? 7);
    case "amount":
      return "12.5k";
    case "email":
      return `${question.id.replaceAll("_", ".")}@Example.com`;
    case "choice": {
      const options = question.options ?? [];
      return (plan.fallback === "first" ? options[0] : options.at(-1)) ?? "";
    }
    case "yes_no":
      return plan.fallback === "first" ? "yes" : "no";
  }
}

/** Interviews `template` to completion; returns the document and the answers given. */
function interview(template: Template, plan: Plan) {
  const history: Turn[] = [];
  const given = new Map<string, string>();
  const at = "2026-03-01T00:00:00.000Z";
  for (let turn = 0; turn <= template.questions.length; turn++) {
    const step = nextStep(template, history);
    if (step.status === "complete") return { document: step.document, given };
    const question = template.questions.find((q) => q.id === step.nextQuestion.id);
    assert.ok(question, `unknown question ${step.nextQuestion.id}`);
    assert.equal(
      step.nextQuestion.text,
      questionText(question),
      "asked again: an answer was refused",
    );
    const raw = rawAnswer(question, plan);
    const result = validateAnswer(question, raw);
    assert.ok(result.ok, `${template.slug}: "${raw}" refused for ${question.id}`);
    given.set(question.id, result.value);
    history.push(
      { role: "assistant", content: step.nextQuestion.text, questionId: question.id, at },
      { role: "user", content: raw, questionId: question.id, at },
    );
  }
  throw new Error(`${template.slug}: the interview did not complete`);
}

/** One plan per conditional question, meeting its condition, plus one that meets none. */
function plans(template: Template): Plan[] {
  const conditional = template.questions.filter((q) => q.when !== undefined);
  const full = conditional.map((q): Plan => {
    const gates = new Map<string, string>();
    for (let when = q.when; when !== undefined;) {
      gates.set(when.question, when.equals);
      when = template.questions.find((other) => other.id === when?.question)?.when;
    }
    return { gates, skipOptional: false, fallback: "first" };
  });
  return [...full, { gates: new Map(), skipOptional: true, fallback: "last" }];
}

Deno.test("every seed template interviews to a complete, clean document", async (t) => {
  for (const template of templates) {
    await t.step(template.slug, () => {
      const asked = new Set<string>();
      for (const plan of plans(template)) {
        const { document, given } = interview(template, plan);
        assert.equal(document.format, "markdown");
        assert.match(document.content, /^# \S/, "the document opens with its heading");
        assert.equal(document.title, draftTitle(template, new Map(given)), "titled by the rule");
        assert.doesNotMatch(document.content, /\{\{|\}\}/, "an unfilled tag is left");
        assert.doesNotMatch(document.content, /\n[ \t]*\n[ \t]*\n/, "a blank-line run is left");
        for (const [id, value] of given) {
          asked.add(id);
          // The stored Markdown escapes what would otherwise autolink (an e-mail's @).
          const content = unescapeMarkdown(document.content).toLowerCase();
          if (value !== "") {
            // Amounts read without zero cents in the prose ("$120,000"): documentAmount.
            const written = template.questions.find((q) => q.id === id)?.type === "amount"
              ? documentAmount(value)
              : value;
            assert.ok(content.includes(written.toLowerCase()), `answer to ${id} missing`);
          }
        }
      }
      const never = template.questions.filter((q) => !asked.has(q.id)).map((q) => q.id);
      assert.deepEqual(never, [], "questions never asked by any scenario");
    });
  }
});
