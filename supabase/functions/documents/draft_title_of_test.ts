import assert from "node:assert/strict";
import { draftTitleOf } from "./draft_title_of.ts";
import type { StoredTemplate } from "./interview_progress.ts";
import type { Turn } from "../_shared/wire/interview_turn.ts";

const stored: StoredTemplate = {
  id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
  slug: "nda",
  name: "Mutual NDA",
  description: null,
  title: "NDA: {{party_a}} and {{party_b}}",
  questions: [
    { id: "party_a", text: "First party?", type: "short_text" },
    { id: "party_b", text: "Other party?", type: "short_text" },
  ],
  body: "# NDA\n\n{{party_a}} and {{party_b}}",
};
const at = "2026-12-07T10:00:00.000Z";
const answered = (...answers: [string, string][]): Turn[] =>
  answers.flatMap(([questionId, content]) => [
    { role: "assistant" as const, content: `${questionId}?`, questionId, at },
    { role: "user" as const, content, questionId, at },
  ]);

Deno.test("draftTitleOf", async (t) => {
  await t.step("the title the chat stored wins", () => {
    assert.equal(
      draftTitleOf(stored, answered(["party_a", "Acme"]), "NDA: Acme and Beta"),
      "NDA: Acme and Beta",
    );
  });
  await t.step("without one, the rule is filled from the stored answers", () => {
    assert.equal(
      draftTitleOf(stored, answered(["party_a", "Acme Ltd"], ["party_b", "Beta GmbH"]), null),
      "NDA: Acme Ltd and Beta GmbH",
    );
  });
  await t.step("the latest answer to a question counts, as in the chat", () => {
    const history = answered(["party_a", "Acme"], ["party_b", "Beta"], ["party_a", "Gamma"]);
    assert.equal(draftTitleOf(stored, history, null), "NDA: Gamma and Beta");
  });
  await t.step("the template's name while an answer the rule names is missing", () => {
    assert.equal(draftTitleOf(stored, answered(["party_a", "Acme"]), null), "Mutual NDA");
    assert.equal(draftTitleOf(stored, [], "  "), "Mutual NDA");
  });
  await t.step("the name for a template the engine cannot read", () => {
    assert.equal(draftTitleOf({ ...stored, questions: "external" }, [], null), "Mutual NDA");
  });
});
