import assert from "node:assert/strict";
import { parseTitleInput } from "./title_input.ts";

const refused = (text: string) => {
  const input = parseTitleInput(text);
  assert.ok(!input.ok, `expected "${text}" to be refused`);
  return { code: input.code, message: input.message };
};

Deno.test("parseTitleInput takes a title, trimmed", () => {
  assert.deepEqual(parseTitleInput('{"title": "  NDA: Acme Ltd and Beta GmbH "}'), {
    ok: true,
    title: "NDA: Acme Ltd and Beta GmbH",
  });
  assert.deepEqual(parseTitleInput(JSON.stringify({ title: "Договор — 你好 🙂" })), {
    ok: true,
    title: "Договор — 你好 🙂",
  });
});

Deno.test("parseTitleInput refuses what is not a rename body", async (t) => {
  const shape = {
    code: "invalid_body",
    message: 'Send the new title as JSON: {"title": "NDA with Beta GmbH"}',
  };
  for (const text of ["", "NDA", "[]", "null", '"NDA"', "{}", '{"name": "NDA"'] as const) {
    await t.step(JSON.stringify(text), () => assert.deepEqual(refused(text), shape));
  }
  await t.step("fields other than the title are named", () => {
    assert.deepEqual(refused('{"title": "NDA", "content": "x", "userId": "y"}'), {
      code: "invalid_body",
      message: 'Only the title can be changed, not "content", "userId"',
    });
  });
});

Deno.test("parseTitleInput refuses a title a person would not want", async (t) => {
  const cases: [string, unknown, string][] = [
    ["not text", 42, "The title must be text"],
    ["null", null, "The title must be text"],
    ["empty", "", "The title cannot be empty"],
    ["spaces alone", "   ", "The title cannot be empty"],
    ["two lines", "NDA\nwith Beta", "The title is one line: remove its line breaks and tabs"],
    ["a tab", "NDA\twith Beta", "The title is one line: remove its line breaks and tabs"],
    ["501 characters", "x".repeat(501), "The title holds at most 500 characters, not 501"],
    [
      "a bidi control",
      "invoice\u202Efdp.exe",
      "The title holds an invisible character that changes how text displays (U+202E, " +
      "position 8): remove it",
    ],
    [
      "a zero-width space",
      "N\u200BDA",
      "The title holds an invisible character (U+200B, position 2): remove it",
    ],
  ];
  for (const [name, title, message] of cases) {
    await t.step(name, () => {
      assert.deepEqual(refused(JSON.stringify({ title })), { code: "invalid_title", message });
    });
  }
  await t.step("500 characters, counted as code points, are allowed", () => {
    assert.equal(parseTitleInput(JSON.stringify({ title: "🙂".repeat(500) })).ok, true);
  });
});
