import assert from "node:assert/strict";
import { draftTitle } from "./draft_title.ts";
import { parseTemplate, type Template, type TemplateInput } from "./template.ts";

function nda(title?: string): TemplateInput {
  return {
    id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
    slug: "nda",
    name: "Mutual Non-Disclosure Agreement",
    ...(title === undefined ? {} : { title }),
    questions: [
      { id: "party_a_name", text: "First party?", type: "short_text" },
      { id: "party_b_name", text: "Other party?", type: "short_text" },
      { id: "note", text: "Anything else?", type: "long_text", required: false },
    ],
    body: "# NDA\n\n{{party_a_name}} and {{party_b_name}}.{{#if note}} {{note}}{{/if}}",
  };
}

const RULE = "NDA: {{party_a_name}} and {{party_b_name}}";
const answers = (entries: Record<string, string>) => new Map(Object.entries(entries));

function rejects(input: unknown, message: string) {
  assert.throws(() => parseTemplate(input), (error: unknown) => {
    assert.ok(error instanceof TypeError, `expected a TypeError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

Deno.test("draftTitle fills the rule from the answers", async (t) => {
  const template: Template = parseTemplate(nda(RULE));
  await t.step("every answer the rule names is given", () => {
    assert.equal(
      draftTitle(template, answers({ party_a_name: "Acme Ltd", party_b_name: "Beta GmbH" })),
      "NDA: Acme Ltd and Beta GmbH",
    );
  });
  await t.step("answers the rule does not name change nothing", () => {
    assert.equal(
      draftTitle(template, answers({ party_a_name: "Acme", party_b_name: "Beta", note: "x" })),
      "NDA: Acme and Beta",
    );
  });
  await t.step("filters apply as in the body", () => {
    const titled = parseTemplate(nda("NDA with {{party_b_name | title}}"));
    assert.equal(
      draftTitle(titled, answers({ party_b_name: "beta and sons" })),
      "NDA with Beta and Sons",
    );
  });
});

Deno.test("draftTitle falls back to the template name", async (t) => {
  const template = parseTemplate(nda(RULE));
  await t.step("before any answer", () => {
    assert.equal(draftTitle(template, answers({})), "Mutual Non-Disclosure Agreement");
  });
  await t.step("while an answer the rule names is missing", () => {
    assert.equal(
      draftTitle(template, answers({ party_a_name: "Acme Ltd" })),
      "Mutual Non-Disclosure Agreement",
    );
  });
  await t.step("when that answer was skipped or is blank", () => {
    assert.equal(
      draftTitle(template, answers({ party_a_name: "Acme", party_b_name: "  " })),
      "Mutual Non-Disclosure Agreement",
    );
  });
  await t.step("for a template without a rule", () => {
    assert.equal(
      draftTitle(parseTemplate(nda()), answers({ party_a_name: "A", party_b_name: "B" })),
      "Mutual Non-Disclosure Agreement",
    );
  });
});

Deno.test("draftTitle makes one clean line of at most 500 characters", async (t) => {
  const template = parseTemplate(nda(RULE));
  await t.step("line breaks and runs of spaces become one space", () => {
    assert.equal(
      draftTitle(template, answers({ party_a_name: "Acme\n  Ltd", party_b_name: "Beta\tGmbH" })),
      "NDA: Acme Ltd and Beta GmbH",
    );
  });
  await t.step("invisible characters are dropped", () => {
    assert.equal(
      draftTitle(template, answers({ party_a_name: "Ac\u202Eme", party_b_name: "Be\u200Bta" })),
      "NDA: Acme and Beta",
    );
  });
  await t.step("markup in an answer stays as typed: a title is plain text", () => {
    assert.equal(
      draftTitle(template, answers({ party_a_name: "**Acme**", party_b_name: "<b>Beta</b>" })),
      "NDA: **Acme** and <b>Beta</b>",
    );
  });
  await t.step("a long title is cut at 500 characters with an ellipsis", () => {
    const title = draftTitle(
      template,
      answers({ party_a_name: "A".repeat(400), party_b_name: "B".repeat(400) }),
    );
    assert.equal([...title].length, 500);
    assert.ok(title.endsWith("B…"));
  });
});

Deno.test("parseTemplate checks the title rule", async (t) => {
  await t.step("a placeholder must name a question", () => {
    rejects(
      nda("NDA: {{party_c_name}}"),
      'Template "nda": title: placeholder "{{party_c_name}}" names no question',
    );
  });
  await t.step("blocks are not allowed", () => {
    rejects(
      nda("NDA{{#if note}} (noted){{/if}}"),
      'Template "nda": title: "{{#if note}}" is not allowed in a title, only placeholders',
    );
  });
  await t.step("a malformed tag is named", () => {
    rejects(nda("NDA: {{party_a_name"), 'Template "nda": title: unclosed tag "{{party_a_name"');
  });
  await t.step("an empty rule is refused", () => {
    rejects(nda("  "), 'Template "nda": title: Too small: expected string to have >=1 characters');
  });
  await t.step("a rule without placeholders is allowed: every title is that text", () => {
    assert.equal(draftTitle(parseTemplate(nda("NDA")), answers({})), "NDA");
  });
});

Deno.test("the shipped templates make titles that tell two interviews apart", async () => {
  const dir = new URL("../../../templates/", import.meta.url);
  for (const slug of ["mutual-nda", "employment-offer-letter", "consulting-services-agreement"]) {
    const json = JSON.parse(await Deno.readTextFile(new URL(`${slug}.json`, dir)));
    const body = await Deno.readTextFile(new URL(`${slug}.md`, dir));
    const template = parseTemplate({ ...json, body });
    assert.ok(template.title !== undefined, `${slug} has a title rule`);
    const filled = (party: string) =>
      draftTitle(template, new Map(template.questions.map((q) => [q.id, `${party} ${q.id}`])));
    assert.notEqual(filled("Acme"), filled("Beta"), `${slug}: titles differ by the answers`);
    assert.equal(
      draftTitle(template, new Map()),
      template.name,
      `${slug}: the name until answered`,
    );
  }
});
