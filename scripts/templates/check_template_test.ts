import assert from "node:assert/strict";
import { checkTemplate } from "./check_template.ts";
import { formatProblem } from "./source_position.ts";
import { DEFAULT_TEMPLATES_DIR, templateFilesAt } from "./template_files.ts";

const TESTDATA = "scripts/templates/testdata";

async function problemsIn(path: string): Promise<string[]> {
  const files = await templateFilesAt(path);
  return files.flatMap((f) => checkTemplate(f).map(formatProblem));
}

Deno.test("the shipped templates have no problems", async () => {
  assert.deepEqual(await problemsIn(DEFAULT_TEMPLATES_DIR), []);
});

Deno.test("each seeded fault of the broken templates is found at its line and column", async () => {
  const json = `${TESTDATA}/broken-nda.json`;
  const md = `${TESTDATA}/broken-nda.md`;
  // [where, the start of the sentence]: every fault written into testdata/, in reading order.
  const expected: [string, string][] = [
    [`${json}:8:13`, `Question "party_b_name" is never used in the body`],
    [
      `${json}:13:20`,
      `The date rules of "effective_date" can never all be met: "effective_date" must be on or after today, and "effective_date" must be before today`,
    ],
    [
      `${json}:20:29`,
      `The condition of "early_question" refers to "include_non_solicit", which is asked later`,
    ],
    [
      `${json}:26:43`,
      `The choice "California" of "governing_law" is handled by no condition or body branch`,
    ],
    [
      `${json}:33:62`,
      `Question "non_solicit_months" can never be asked: it waits for "include_non_solicit" to be "Maybe"`,
    ],
    [`${json}:35:61`, `Question "years", type: Invalid option`],
    [`${json}:37:13`, `Question "never_used" is never used in the body`],
    [`${json}:39:3`, `Unexpected key "color"`],
    [`${md}:3:30`, `"{{party_b_nme}}" names no question: did you mean "party_b_name"?`],
    [
      `${md}:3:52`,
      `"{{effective_date | title}}" applies title to "effective_date", a date question`,
    ],
    [
      `${md}:11:1`,
      `"{{#if governing_law == "Texas"}}" compares "governing_law" with "Texas", which it can never be`,
    ],
    [`${md}:15:63`, `Unknown tag "{{> partial}}"`],
    [`${md}:15:81`, `Unclosed tag: "{{" has no "}}"`],
    [`${md}:21:61`, `Unknown filter "upper" in "{{years | upper}}"`],
    [`${md}:23:1`, `"{{additional_terms}}" may be left unfilled: "additional_terms" is optional`],
    [`${md}:25:1`, `"{{#unless governing_law}}" is never closed`],
    [`${TESTDATA}/trailing-comma.json:7:3`, `JSON syntax: value expected`],
  ];
  const found = await problemsIn(TESTDATA);
  assert.equal(found.length, expected.length, found.join("\n"));
  expected.forEach(([where, start], i) => {
    assert.ok(
      found[i]?.startsWith(`${where}: ${start}`),
      `expected ${where}: ${start}\n got ${found[i]}`,
    );
  });
});

Deno.test("a .md file is checked with the .json beside it", async () => {
  const viaBody = await problemsIn(`${TESTDATA}/broken-nda.md`);
  const viaJson = await problemsIn(`${TESTDATA}/broken-nda.json`);
  assert.deepEqual(viaBody, viaJson);
  assert.equal(viaBody.length, 16);
});

Deno.test("a template the loader refuses is never passed", async (t) => {
  const [nda] = await templateFilesAt(`${DEFAULT_TEMPLATES_DIR}/mutual-nda.json`);
  assert.ok(nda?.bodyText !== undefined);
  await t.step("a missing body", () => {
    const problems = checkTemplate({ ...nda, bodyText: undefined });
    assert.match(problems[0]?.message ?? "", /has no body: .*mutual-nda\.md is missing/);
  });
  await t.step("a slug that differs from the file name", () => {
    const problems = checkTemplate({ ...nda, jsonFile: "elsewhere/other-nda.json" });
    assert.ok(problems.some((p) => p.message.startsWith(`The slug "mutual-nda" differs`)));
  });
  await t.step("a condition on a later question is reported once, at the condition", () => {
    const json = JSON.parse(nda.jsonText);
    const [first] = json.questions;
    first.when = { question: "additional_terms", equals: "x" };
    const text = JSON.stringify(json, null, 2);
    const problems = checkTemplate({ ...nda, jsonText: text }).filter((p) =>
      p.file === nda.jsonFile
    );
    assert.equal(problems.length, 1, problems.map(formatProblem).join("\n"));
    assert.equal(problems[0]?.line, text.split("\n").findIndex((l) => l.includes('"when"')) + 2);
  });
});
