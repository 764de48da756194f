import assert from "node:assert/strict";
import type { Turn } from "../../_shared/wire/protocol.ts";
import type { NextQuestionRequest } from "../ports/next_question_source.ts";
import { aiRequestBody } from "./ai_request_body.ts";

const template = {
  id: "t1",
  slug: "nda",
  name: "NDA",
  description: 'A "mutual" one',
  questions: [{ id: "q1", text: "Who?", type: "short_text" }],
  body: "Between {{q1}} and — ü\n",
  version: 1,
  hash: "a".repeat(64),
};
const at = "2026-12-07T10:00:00.000Z";

Deno.test("aiRequestBody", async (t) => {
  await t.step("is the request's JSON, every field kept, undefined ones left out", () => {
    const request: NextQuestionRequest = {
      sessionId: "s1",
      templateId: "t1",
      history: [
        { role: "assistant", content: "Who?", questionId: "q1", at },
        { role: "user", content: 'Acme "Ltd"\n\u2028', questionId: "q1", at },
      ],
      template,
      answers: { q1: "Acme" },
      protocol: undefined,
    };
    assert.deepEqual(JSON.parse(aiRequestBody(request)), JSON.parse(JSON.stringify(request)));
  });

  await t.step("stays right as the history grows on the same turns and template", () => {
    const history: Turn[] = [];
    for (let i = 0; i < 5; i++) {
      history.push({ role: i % 2 ? "user" : "assistant", content: `turn ${i}`, at });
      const request = { sessionId: "s1", templateId: "t1", history: [...history], template };
      assert.deepEqual(JSON.parse(aiRequestBody(request)), JSON.parse(JSON.stringify(request)));
    }
  });

  await t.step("an empty history is an empty array", () => {
    const body = JSON.parse(
      aiRequestBody({ sessionId: "s", templateId: "t", history: [], template }),
    );
    assert.deepEqual(body.history, []);
    assert.equal(body.template.body, template.body);
  });
});
