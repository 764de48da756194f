// The shipped templates cannot make a document over the one maximum (LIMITS.maxDocumentChars):
// every question answered with the longest answer the engine accepts, made of characters that
// the engine's escaping doubles (`*` becomes `\*`), and every optional section included.
import assert from "node:assert/strict";
import { loadTemplates } from "../../../../scripts/seed/seeded_templates.ts";
import { characterCount } from "../document/document_size.ts";
import { LIMITS } from "../wire/constants.ts";
import { nextStep, type Turn } from "./interview_engine.ts";
import type { Template } from "./template.ts";

const longest = "*".repeat(LIMITS.maxAnswerChars);

/** Answers to try for a question, the largest first; the engine takes the first it accepts. */
function candidates(type: string, options: readonly string[] = []): string[] {
  switch (type) {
    case "short_text":
    case "long_text":
      return [longest, "x".repeat(LIMITS.maxAnswerChars), "x".repeat(500), "Acme"];
    case "email":
      return [`${"a".repeat(64)}@${"b".repeat(60)}.example`, "a@b.example"];
    case "date":
      return ["September 30, 2099", "2099-12-31", "2027-01-01"];
    case "number":
      return ["999999999", "9999", "99", "12", "3"];
    case "amount":
      return ["999,999,999,999.99", "999999999", "1000"];
    case "choice":
      return [...options].sort((a, b) => b.length - a.length);
    default:
      return ["Yes"];
  }
}

/** The largest document the engine assembles from `template`. */
function largestDocument(template: Template): { title: string; content: string } {
  const history: Turn[] = [];
  const tried = new Map<string, number>();
  for (let turns = 0; turns < 1_000; turns++) {
    const step = nextStep(template, history);
    if (step.status === "complete") return step.document;
    const { id } = step.nextQuestion;
    const question = template.questions.find((q) => q.id === id)!;
    const attempt = tried.get(id) ?? 0;
    tried.set(id, attempt + 1);
    const options = "options" in question ? question.options as string[] : [];
    const answer = candidates(question.type ?? "short_text", options)[attempt];
    if (answer === undefined) throw new Error(`No answer to "${id}" was accepted`);
    const at = new Date(0).toISOString();
    history.push({ role: "assistant", content: step.nextQuestion.text, questionId: id, at });
    history.push({ role: "user", content: answer, questionId: id, at });
  }
  throw new Error(`The interview on "${template.slug}" did not end`);
}

Deno.test("no shipped template can assemble a document over the maximum", async () => {
  const templates = await loadTemplates();
  assert.ok(templates.length >= 3);
  for (const template of templates) {
    const document = largestDocument(template);
    const characters = characterCount(document.content);
    assert.ok(
      characters <= LIMITS.maxDocumentChars / 2,
      `"${template.slug}" can make ${characters} characters`,
    );
    assert.ok(characterCount(document.title) <= LIMITS.maxDocumentTitleChars);
  }
});
