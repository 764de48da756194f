import assert from "node:assert/strict";
import { type Question, questionSchema } from "./template.ts";
import { understoodAnswer } from "./understood.ts";

function question(fields: Record<string, unknown>): Question {
  return questionSchema.parse({ id: "q", text: "Question?", ...fields });
}

Deno.test("understoodAnswer", async (t) => {
  await t.step("an answer read differently is echoed as stored", () => {
    const date = question({ type: "date" });
    assert.equal(understoodAnswer(date, "next Monday", "December 14, 2026"), "December 14, 2026");
    assert.equal(understoodAnswer(date, "2026-12-14", "December 14, 2026"), "December 14, 2026");
    const years = question({ type: "number", unit: "year" });
    assert.equal(understoodAnswer(years, "three years", "3"), "3");
    const choice = question({ type: "choice", options: ["Full-time", "Part-time"] });
    assert.equal(understoodAnswer(choice, "ft", "Full-time"), "Full-time");
    assert.equal(
      understoodAnswer(question({ type: "amount" }), "120k", "$120,000.00"),
      "$120,000.00",
    );
  });
  await t.step("case, spacing, grouping and the asked unit are not worth an echo", () => {
    assert.equal(
      understoodAnswer(question({ type: "date" }), "december 14,  2026", "December 14, 2026"),
      undefined,
    );
    assert.equal(understoodAnswer(question({ type: "yes_no" }), "yes", "Yes"), undefined);
    assert.equal(understoodAnswer(question({ type: "number" }), "1000", "1,000"), undefined);
    const years = question({ type: "number", unit: "year" });
    assert.equal(understoodAnswer(years, "3 years", "3"), undefined);
    assert.equal(understoodAnswer(years, "1 year", "1"), undefined);
    const weekly = question({ type: "number", unit: "hour", per: "week" });
    assert.equal(understoodAnswer(weekly, "20 hours a week", "20"), undefined);
    assert.equal(understoodAnswer(weekly, "twenty hours a week", "20"), "20");
  });
  await t.step("text answers and skips are stored as typed", () => {
    assert.equal(
      understoodAnswer(question({ type: "short_text" }), " Acme  Ltd ", "Acme Ltd"),
      undefined,
    );
    assert.equal(
      understoodAnswer(question({ type: "date", required: false }), "skip", ""),
      undefined,
    );
  });
});
