import assert from "node:assert/strict";
import type { TemplateRecord } from "../ports/session_store.ts";
import { sharedTemplate } from "./shared_templates.ts";

const record = (body: string): TemplateRecord => ({
  id: "8d5c2b1e-0000-4000-8000-000000000001",
  slug: "nda",
  name: "NDA",
  description: "",
  questions: [{ id: "q1", text: "Who?", type: "choice", options: ["A", "B"] }],
  body,
  version: 1,
  hash: "a".repeat(64),
});

Deno.test("sharedTemplate", async (t) => {
  await t.step("gives every load of the same content one record", () => {
    const first = sharedTemplate(record("Between {{q1}}."));
    const again = sharedTemplate(record("Between {{q1}}."));
    assert.equal(again, first);
  });

  await t.step("keeps a changed template apart", () => {
    const before = sharedTemplate(record("Between {{q1}}."));
    const edited = sharedTemplate(record("Between {{q1}} and us."));
    assert.notEqual(edited, before);
    assert.equal(edited.body, "Between {{q1}} and us.");
  });

  await t.step("is frozen to the bottom, so no session changes another's", () => {
    const shared = sharedTemplate(record("Frozen."));
    const question = shared.questions[0] as { options: string[] };
    assert.throws(() => question.options.push("C"), TypeError);
    assert.throws(() => {
      (shared as { body: string }).body = "changed";
    }, TypeError);
  });
});
