import assert from "node:assert/strict";
import type { Turn } from "../../_shared/wire/protocol.ts";
import { hasAnswer, pendingQuestion } from "./history.ts";

const at = "2026-11-26T00:00:00.000Z";
const asked: Turn = { role: "assistant", content: "Who?", questionId: "party", at };
const answered: Turn = {
  role: "user",
  content: "Acme",
  questionId: "party",
  at,
  clientMessageId: "c1",
};

Deno.test("pendingQuestion is the last turn when it is a question", () => {
  assert.equal(pendingQuestion([]), null);
  assert.deepEqual(pendingQuestion([asked]), { id: "party", text: "Who?" });
  assert.equal(pendingQuestion([asked, answered]), null);
  assert.equal(pendingQuestion([{ role: "assistant", content: "Hello", at }]), null);
});

Deno.test("hasAnswer finds a stored answer by its client id", () => {
  assert.equal(hasAnswer([asked, answered], "c1"), true);
  assert.equal(hasAnswer([asked, answered], "c2"), false);
  assert.equal(hasAnswer([{ ...asked, clientMessageId: "c1" } as Turn], "c1"), false);
});
