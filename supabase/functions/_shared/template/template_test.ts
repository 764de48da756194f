import assert from "node:assert/strict";
import { parseTemplate, type TemplateInput } from "./template.ts";

type QuestionInput = TemplateInput["questions"][number];

function template(questions: QuestionInput[], body: string): TemplateInput {
  return {
    id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
    slug: "nda",
    name: "NDA",
    description: "A test template",
    questions,
    body,
  };
}

const name: QuestionInput = { id: "name", text: "Your name?", type: "short_text" };
const kind: QuestionInput = {
  id: "kind",
  text: "Which kind?",
  type: "choice",
  options: ["Mutual", "One-way"],
};
const extra: QuestionInput = { id: "extra", text: "Extra?", type: "yes_no" };

function rejects(input: unknown, message: string | RegExp) {
  assert.throws(() => parseTemplate(input), (error: unknown) => {
    assert.ok(error instanceof TypeError, `expected a TypeError, got ${String(error)}`);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

Deno.test("parseTemplate accepts a valid template and applies defaults", () => {
  const parsed = parseTemplate({
    ...template(
      [
        name,
        { id: "fee", text: "Fee?", type: "amount" },
        { id: "note", text: "Note?", type: "long_text", required: false },
      ],
      "# {{name}}\n{{fee}}\n{{#if note}}{{note}}{{/if}}",
    ),
    created_at: "2026-01-01",
  });
  assert.equal(parsed.is_active, true);
  assert.equal(parsed.questions[0]?.required, true);
  assert.equal(parsed.questions[1]?.currency, "USD");
  assert.equal(parsed.questions[2]?.required, false);
  assert.equal("created_at" in parsed, false);
  assert.equal(
    parseTemplate({ ...template([name], "{{name}}"), description: null }).description,
    "",
  );
});

Deno.test("parseTemplate rejects malformed shapes", async (t) => {
  await t.step("not an object", () => rejects(null, /^Template "\(no slug\)": \(root\): /));
  await t.step("a name or body holding an invisible character", () => {
    rejects(
      { ...template([name], "Hello {{name}}"), name: "NDA\u202E" },
      'Template "nda": name: The text holds an invisible character that changes how text ' +
        "displays (U+202E, position 4): remove it",
    );
    rejects(
      template([name], "Hello\u200B {{name}}"),
      'Template "nda": body: The text holds an invisible character (U+200B, position 6): remove it',
    );
  });
  await t.step("bad question id", () =>
    rejects(
      template([{ ...name, id: "Name" }], "{{Name}}"),
      'Template "nda": questions[0].id: Must match /^[a-z][a-z0-9_]*$/',
    ));
  await t.step(
    "unknown type",
    () =>
      rejects(template([{ ...name, type: "color" as "date" }], "{{name}}"), /questions\[0\]\.type/),
  );
  await t.step(
    "unknown question key",
    () =>
      rejects(template([{ ...name, requried: false } as QuestionInput], "{{name}}"), /requried/),
  );
  await t.step("choice without options", () =>
    rejects(
      template([{ id: "kind", text: "?", type: "choice" }], "{{kind}}"),
      'Template "nda": questions[0].options: Required for a choice question',
    ));
  await t.step("options on a non-choice question", () =>
    rejects(
      template([{ ...name, options: ["a", "b"] }], "{{name}}"),
      'Template "nda": questions[0].options: Not allowed for a short_text question',
    ));
  await t.step("options that differ only by punctuation", () =>
    rejects(
      template([{ ...kind, options: ["Full-time", "full time"] }], "{{kind}}"),
      /Options must differ by more than case, spaces or punctuation/,
    ));
  await t.step("min and max", () => {
    rejects(template([{ ...name, min: 1 }], "{{name}}"), /questions\[0\]\.min: Not allowed/);
    rejects(
      template([{ id: "n", text: "?", type: "number", min: 5, max: 1 }], "{{n}}"),
      /questions\[0\]\.max: Must not be less than min/,
    );
    rejects(
      template([{ id: "n", text: "?", type: "amount", min: -1 }], "{{n}}"),
      /Amounts are never negative/,
    );
  });
  await t.step("currency", () => {
    rejects(template([{ ...name, currency: "EUR" }], "{{name}}"), /currency: Not allowed/);
    rejects(
      template([{ id: "n", text: "?", type: "amount", currency: "euro" }], "{{n}}"),
      /currency: Must be an ISO 4217 code/,
    );
  });
  await t.step("aliases", () => {
    rejects(template([{ ...name, aliases: { a: ["b"] } }], "{{name}}"), /aliases: Not allowed/);
    rejects(
      template([{ ...kind, aliases: { Other: ["x"] } }], "{{kind}}"),
      /aliases: "Other" is not one of the options/,
    );
    rejects(
      template([{ ...kind, aliases: { Mutual: ["one way"] } }], "{{kind}}"),
      /aliases: Alias "one way" is empty or names another option or alias/,
    );
    const parsed = parseTemplate(
      template([{ ...kind, aliases: { Mutual: ["both"] } }], "{{kind}}"),
    );
    assert.deepEqual(parsed.questions[0]?.aliases, { Mutual: ["both"] });
  });
  await t.step("per", () => {
    rejects(template([{ ...name, per: "hour" }], "{{name}}"), /per: Not allowed/);
    rejects(
      template([{ id: "n", text: "?", type: "amount", per: "fortnight" as "hour" }], "{{n}}"),
      /questions\[0\]\.per: /,
    );
  });
  await t.step("unit, and per on a number", () => {
    rejects(
      template([{ ...name, unit: "year" }], "{{name}}"),
      /unit: Not allowed for a short_text/,
    );
    rejects(
      template([{ id: "n", text: "?", type: "number", unit: "decade" as "year" }], "{{n}}"),
      /questions\[0\]\.unit: /,
    );
    rejects(
      template([{ id: "n", text: "?", type: "number", per: "week" }], "{{n}}"),
      /per: A number asked per a period needs its unit/,
    );
    const parsed = parseTemplate(
      template([{ id: "n", text: "?", type: "number", unit: "hour", per: "week" }], "{{n}}"),
    );
    assert.deepEqual([parsed.questions[0]?.unit, parsed.questions[0]?.per], ["hour", "week"]);
  });
  await t.step("date rules and labels", () => {
    rejects(template([{ ...name, after: "today" }], "{{name}}"), /after: Not allowed/);
    const parsed = parseTemplate(
      template(
        [
          { id: "start", text: "?", type: "date", label: "the start date", notBefore: "today" },
          { id: "end", text: "?", type: "date", after: "start" },
        ],
        "{{start}} {{end}}",
      ),
    );
    assert.equal(parsed.questions[0]?.label, "the start date");
    assert.equal(parsed.questions[1]?.after, "start");
  });
  await t.step("bad id and slug", () => {
    rejects({ ...template([name], "{{name}}"), id: "42" }, /id: /);
    rejects({ ...template([name], "{{name}}"), slug: "My NDA" }, /slug: Must be kebab-case/);
  });
});

Deno.test("parseTemplate checks cross-references", async (t) => {
  await t.step(
    "duplicate ids",
    () =>
      rejects(template([name, name], "{{name}}"), 'Template "nda": duplicate question id "name"'),
  );
  await t.step("when refers to a later or unknown question", () => {
    const conditional = { ...name, when: { question: "extra", equals: "Yes" } };
    rejects(
      template([conditional, extra], "{{#if extra}}{{name}}{{/if}}{{extra}}"),
      'Template "nda": question "name" depends on "extra", which is not an earlier question',
    );
    rejects(
      template([{ ...name, when: { question: "name", equals: "x" } }], "{{name}}"),
      /question "name" depends on "name", which is not an earlier question/,
    );
  });
  await t.step("a date rule names today or an earlier date question", () => {
    const start: QuestionInput = { id: "start", text: "?", type: "date" };
    rejects(
      template(
        [{ id: "end", text: "?", type: "date", after: "start" }, start],
        "{{end}} {{start}}",
      ),
      'Template "nda": question "end" after "start", which is neither "today" nor an earlier date question',
    );
    rejects(
      template(
        [name, { id: "end", text: "?", type: "date", notAfter: "name" }],
        "{{name}} {{end}}",
      ),
      /question "end" notAfter "name", which is neither/,
    );
    rejects(
      template([{ id: "end", text: "?", type: "date", before: "tomorrow" }], "{{end}}"),
      /question "end" before "tomorrow"/,
    );
  });
  await t.step("when compares with an impossible value", () => {
    rejects(
      template([kind, { ...name, when: { question: "kind", equals: "Unilateral" } }], "{{kind}}"),
      'Template "nda": question "name" condition compares "kind" with "Unilateral", which is not one of its options (Mutual, One-way)',
    );
    rejects(
      template([extra, { ...name, when: { question: "extra", equals: "Maybe" } }], "{{extra}}"),
      /compares "extra" with "Maybe": a yes_no answer is "Yes" or "No"/,
    );
  });
  await t.step("placeholder names no question", () =>
    rejects(
      template([name], "{{name}} {{foo}}"),
      'Template "nda": placeholder "{{foo}}" names no question',
    ));
  await t.step("block names no question or compares with an impossible value", () => {
    rejects(
      template([name], "{{name}}{{#if foo}}x{{/if}}"),
      'Template "nda": block "{{#if foo}}" names no question',
    );
    rejects(
      template([kind], '{{kind}}{{#if kind == "mutual"}}ok{{/if}}{{#if kind == "Other"}}x{{/if}}'),
      /block "\{\{#if kind == "Other"\}\}" compares "kind" with "Other"/,
    );
  });
  await t.step("plural on a question that is not a number", () =>
    rejects(
      template([name], '{{name | plural: "year"}}'),
      'Template "nda": placeholder "{{name | plural: "year"}}" uses plural, which needs a number question, and "name" is short_text',
    ));
  await t.step("question missing from the body", () =>
    rejects(
      template([name, extra], "{{name}}{{#if extra}}x{{/if}}"),
      'Template "nda": question "extra" has no placeholder "{{extra}}" in the body',
    ));
  await t.step(
    "body syntax errors carry the template name",
    () =>
      rejects(
        template([name], "{{#if name}}{{name}}"),
        'Template "nda": unclosed block "{{#if name}}"',
      ),
  );
});

Deno.test("parseTemplate requires optional and conditional placeholders to be guarded", async (t) => {
  const note: QuestionInput = { id: "note", text: "Note?", type: "long_text", required: false };
  const detail: QuestionInput = {
    id: "detail",
    text: "Detail?",
    type: "short_text",
    when: { question: "extra", equals: "Yes" },
  };
  const oneWay: QuestionInput = {
    id: "discloser",
    text: "Who discloses?",
    type: "short_text",
    when: { question: "kind", equals: "One-way" },
  };

  await t.step("an optional placeholder outside its own block", () => {
    rejects(
      template([note], "{{note}}"),
      'Template "nda": placeholder "{{note}}" may be left unfilled: question "note" is optional, so use it inside {{#if note}}...{{/if}}',
    );
    rejects(
      template([note, extra], "{{extra}}{{#if extra}}{{note}}{{/if}}"),
      /"\{\{note\}\}" may be left unfilled/,
    );
    rejects(template([note], "{{#unless note}}{{note}}{{/unless}}"), /may be left unfilled/);
  });
  await t.step("an optional placeholder inside its own block", () => {
    parseTemplate(template([note], "{{#if note}}{{note}}{{/if}}"));
    parseTemplate(
      template([note, extra], "{{extra}}{{#if note}}{{#unless extra}}{{note}}{{/unless}}{{/if}}"),
    );
  });
  await t.step("a conditional placeholder outside any guard", () =>
    rejects(
      template([extra, detail], "{{extra}} {{detail}}"),
      'Template "nda": placeholder "{{detail}}" may be left unfilled: question "detail" is asked only when "extra" is "Yes", so use it inside {{#if detail}} or {{#if extra == "Yes"}}',
    ));
  await t.step("a conditional placeholder guarded by its condition", () => {
    parseTemplate(template([extra, detail], "{{extra}}{{#if extra}}{{detail}}{{/if}}"));
    parseTemplate(template([extra, detail], '{{extra}}{{#if extra == "yes"}}{{detail}}{{/if}}'));
    parseTemplate(template([extra, detail], "{{extra}}{{#if detail}}{{detail}}{{/if}}"));
    parseTemplate(
      template([kind, oneWay], '{{kind}}{{#if kind == "One-way"}}{{discloser}}{{/if}}'),
    );
  });
  await t.step("a guard that does not imply the condition", () => {
    rejects(
      template([kind, oneWay], "{{kind}}{{#if kind}}{{discloser}}{{/if}}"),
      /may be left unfilled/,
    );
    rejects(
      template([kind, oneWay], '{{kind}}{{#if kind == "Mutual"}}{{discloser}}{{/if}}'),
      /may be left unfilled/,
    );
    rejects(
      template([extra, detail], "{{extra}}{{#unless extra}}{{detail}}{{/unless}}"),
      /may be left unfilled/,
    );
  });
  await t.step("an optional conditional question needs its own guard", () => {
    const optional = { ...detail, required: false };
    rejects(template([extra, optional], "{{extra}}{{#if extra}}{{detail}}{{/if}}"), /is optional/);
    parseTemplate(template([extra, optional], "{{extra}}{{#if detail}}{{detail}}{{/if}}"));
  });
});
