import assert from "node:assert/strict";
import { assembleDocument } from "./document_assembly.ts";
import { parseTemplate, type TemplateInput } from "./template.ts";

const questions: TemplateInput["questions"] = [
  { id: "party", text: "Party?", type: "short_text" },
  { id: "law", text: "Law?", type: "choice", options: ["Delaware", "New York"] },
  { id: "nonsolicit", text: "Non-solicit?", type: "yes_no" },
  {
    id: "months",
    text: "Months?",
    type: "number",
    when: { question: "nonsolicit", equals: "Yes" },
  },
  { id: "notes", text: "Notes?", type: "long_text", required: false },
];

function assemble(body: string, answers: Record<string, string>) {
  const template = parseTemplate({
    id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
    slug: "test",
    name: "Test Agreement",
    questions,
    body:
      `${body}\n<!-- {{party}} {{law}} {{nonsolicit}}{{#if nonsolicit}}{{months}}{{/if}}{{#if notes}}{{notes}}{{/if}} -->`,
  });
  const result = assembleDocument(template, new Map(Object.entries(answers)));
  return { ...result, content: result.content.replace(/\n*<!--[^]*-->\n$/, "\n") };
}

const base = { party: "Acme", law: "Delaware", nonsolicit: "No", notes: "" };

Deno.test("assembleDocument", async (t) => {
  await t.step("fills placeholders and takes the title from the first # heading", () => {
    const doc = assemble("Intro\n\n# Agreement with {{party}}\n\n# Second", base);
    assert.equal(doc.content, "Intro\n\n# Agreement with Acme\n\n# Second\n");
    assert.equal(doc.title, "Agreement with Acme");
    assert.equal(doc.format, "markdown");
  });

  await t.step("answers are text: their Markdown and HTML are escaped, the title unescaped", () => {
    const party = "<b>**Acme**</b> | [x](javascript:y) & Sons";
    const doc = assemble(
      "# Agreement with {{party}}\n\n| Term | Detail |\n| --- | --- |\n| Party | {{party}} |",
      {
        ...base,
        party,
      },
    );
    const escaped = "\\<b>\\*\\*Acme\\*\\*\\</b> \\| \\[x\\](javascript:y) & Sons";
    assert.equal(
      doc.content,
      `# Agreement with ${escaped}\n\n| Term | Detail |\n| --- | --- |\n| Party | ${escaped} |\n`,
    );
    assert.equal(doc.title, `Agreement with ${party}`);
  });

  await t.step("falls back to the template name for the title", () => {
    assert.equal(assemble("## Only a subheading", base).title, "Test Agreement");
  });

  await t.step("{{#if}} keeps its block for a present answer that is not No", () => {
    const body =
      "A{{#if notes}} notes: {{notes}}{{/if}}{{#if nonsolicit}} NS{{/if}}{{#if party}} P{{/if}}";
    assert.equal(assemble(body, base).content, "A P\n");
    assert.equal(
      assemble(body, { ...base, notes: "n1", nonsolicit: "Yes", months: "6" }).content,
      "A notes: n1 NS P\n",
    );
  });

  await t.step('{{#if id == "Value"}} compares ignoring case', () => {
    const body = '{{#if law == "delaware"}}DE{{/if}}{{#if law == "New York"}}NY{{/if}}';
    assert.equal(assemble(body, base).content, "DE\n");
    assert.equal(assemble(body, { ...base, law: "New York" }).content, "NY\n");
  });

  await t.step("{{#unless}} is the opposite of {{#if}}", () => {
    const body =
      'x{{#unless nonsolicit}} no-NS{{/unless}}{{#unless law == "Delaware"}} not-DE{{/unless}}';
    assert.equal(assemble(body, base).content, "x no-NS\n");
    assert.equal(
      assemble(body, { ...base, nonsolicit: "Yes", months: "3", law: "New York" }).content,
      "x not-DE\n",
    );
  });

  await t.step("blocks nest", () => {
    const body =
      '{{#if nonsolicit}}[{{months}}{{#if law == "Delaware"}} DE{{#unless notes}} plain{{/unless}}{{/if}}]{{/if}}';
    assert.equal(assemble(body, base).content, "\n");
    assert.equal(
      assemble(body, { ...base, nonsolicit: "Yes", months: "6" }).content,
      "[6 DE plain]\n",
    );
    assert.equal(
      assemble(body, { ...base, nonsolicit: "Yes", months: "6", notes: "n" }).content,
      "[6 DE]\n",
    );
  });

  await t.step("multi-line blocks on their own lines leave no blank-line runs", () => {
    const body = [
      "# Title",
      "",
      "## 1. Parties",
      "",
      "Between {{party}}.",
      "",
      "{{#if nonsolicit}}",
      "## Non-Solicitation",
      "",
      "For {{months}} months.",
      "",
      "{{/if}}",
      "{{#if notes}}",
      "## Notes",
      "",
      "{{notes}}",
      "{{/if}}",
      "",
      "## 2. Law",
      "",
      "{{law}}",
    ].join("\n");
    assert.equal(
      assemble(body, base).content,
      "# Title\n\n## 1. Parties\n\nBetween Acme.\n\n## 2. Law\n\nDelaware\n",
    );
    assert.equal(
      assemble(body, { ...base, nonsolicit: "Yes", months: "12", notes: "Line 1\n\nLine 2" })
        .content,
      "# Title\n\n## 1. Parties\n\nBetween Acme.\n\n## Non-Solicitation\n\nFor 12 months.\n\n## Notes\n\nLine 1\n\nLine 2\n\n## 2. Law\n\nDelaware\n",
    );
  });

  await t.step("an inline dropped block between blank lines collapses too", () => {
    const body = "A\n\n{{#if notes}}N{{/if}}\n\n  \n\nB";
    assert.equal(assemble(body, base).content, "A\n\nB\n");
  });

  await t.step("leading blank lines go and the document ends with one newline", () => {
    assert.equal(assemble("{{#if notes}}N{{/if}}\n\n# T\n\n\n", base).content, "# T\n");
  });

  await t.step("answers are inserted verbatim, never parsed as tags", () => {
    assert.equal(
      assemble("{{party}}", { ...base, party: "{{law}} {{#if x}}" }).content,
      "{{law}} {{#if x}}\n",
    );
  });
  await t.step("filters shape the answer; {{#}} numbers only the sections kept", () => {
    const body = [
      "## {{#}}. Parties",
      "",
      "With {{party | title | article}}, governed by {{law | lower}} law.",
      "",
      "{{#if nonsolicit}}",
      "## {{#}}. Non-Solicitation",
      "",
      'For {{months | plural: "month"}}.',
      "",
      "{{/if}}",
      "## {{#}}. General",
    ].join("\n");
    assert.equal(
      assemble(body, { ...base, party: "engineering firm" }).content,
      "## 1. Parties\n\nWith an Engineering Firm, governed by delaware law.\n\n## 2. General\n",
    );
    assert.equal(
      assemble(body, { ...base, nonsolicit: "Yes", months: "1" }).content,
      "## 1. Parties\n\nWith an Acme, governed by delaware law.\n\n## 2. Non-Solicitation\n\nFor 1 month.\n\n## 3. General\n",
    );
  });

  await t.step("a long answer alone on its line keeps its lines and lists", () => {
    const notes = "Line one\nline two\n\n- deliverable A\n- deliverable B\n1. first";
    assert.equal(
      assemble("Notes:\n{{#if notes}}\n{{notes}}\n{{/if}}\nEnd.", { ...base, notes }).content,
      "Notes:\n\nLine one\\\nline two\n\n- deliverable A\n- deliverable B\n\n1. first\n\nEnd.\n",
    );
  });

  await t.step("indented alone on its line, every line of it is indented", () => {
    assert.equal(
      assemble("- Item\n  {{#if notes}}{{notes}}{{/if}}", { ...base, notes: "a\nb\n\n- c" })
        .content,
      "- Item\n\n  a\\\n  b\n\n  - c\n",
    );
  });

  await t.step("anywhere else a long answer is one line, joined with spaces", () => {
    const body =
      "| Notes | {{#if notes}}{{notes}}{{/if}} |\n| --- | --- |\n\nSee {{#if notes}}{{notes}}{{/if}}.";
    assert.equal(
      assemble(body, { ...base, notes: "a\n- b\n\n# c" }).content,
      "| Notes | a - b # c |\n| --- | --- |\n\nSee a - b # c.\n",
    );
  });
});

Deno.test("assembleDocument writes amounts and the date as prose does", async (t) => {
  const template = parseTemplate({
    id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
    slug: "letter",
    name: "Letter",
    questions: [
      { id: "salary", text: "Salary?", type: "amount" },
      { id: "fee", text: "Fee?", type: "amount", currency: "EUR" },
    ],
    body: "{{@today}}\n\nSalary {{salary}}, fee {{fee}}.",
  });
  const letter = (salary: string, fee: string, today?: string) =>
    assembleDocument(
      template,
      new Map([["salary", salary], ["fee", fee]]),
      today === undefined ? {} : { today },
    ).content;

  await t.step("an amount loses its cents only when they are zero", () => {
    assert.equal(
      letter("$120,000.00", "EUR 1,500.50", "2026-12-07"),
      "December 7, 2026\n\nSalary $120,000, fee EUR 1,500.50.\n",
    );
  });

  await t.step("{{@today}} is the day given, or a blank to fill in without one", () => {
    assert.equal(letter("$1.00", "EUR 2.00"), "____________________\n\nSalary $1, fee EUR 2.\n");
  });
});
