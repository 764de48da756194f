import assert from "node:assert/strict";
import { groupThousands, parseNumberAnswer } from "./number_answer.ts";

Deno.test("parseNumberAnswer", async (t) => {
  await t.step("accepts integers, decimals, signs and thousands separators", () => {
    const cases: [string, string][] = [
      ["30", "30"],
      [" 1000 ", "1,000"],
      ["1,000", "1,000"],
      ["1234567.50", "1,234,567.5"],
      ["1000.5", "1,000.5"],
      ["-3", "-3"],
      ["- 3", "-3"],
      ["\u22123", "-3"],
      ["+2", "2"],
      [".5", "0.5"],
      ["007", "7"],
      ["-0", "0"],
      ["2.000", "2"],
    ];
    for (const [raw, value] of cases) {
      assert.deepEqual(parseNumberAnswer(raw), { ok: true, value }, raw);
    }
  });

  await t.step("refuses what is not a number", () => {
    for (const raw of ["", "thirty", "30 days", "1,00", "1.2.3", "1e3", "12,34", "-", "."]) {
      assert.deepEqual(parseNumberAnswer(raw), {
        ok: false,
        problem: "Please give a number such as 30.",
      }, raw);
    }
  });

  await t.step("respects min and max, naming the range", () => {
    const range = { min: 1, max: 1000 };
    assert.deepEqual(parseNumberAnswer("1", range), { ok: true, value: "1" });
    assert.deepEqual(parseNumberAnswer("1,000", range), { ok: true, value: "1,000" });
    const problem = "Please give a number from 1 to 1,000.";
    assert.deepEqual(parseNumberAnswer("0", range), { ok: false, problem });
    assert.deepEqual(parseNumberAnswer("1000.01", range), { ok: false, problem });
    assert.deepEqual(parseNumberAnswer("abc", range), { ok: false, problem });
    assert.deepEqual(parseNumberAnswer("-1", { min: 0 }), {
      ok: false,
      problem: "Please give a number of at least 0.",
    });
    assert.deepEqual(parseNumberAnswer("13", { max: 12 }), {
      ok: false,
      problem: "Please give a number of at most 12.",
    });
  });
});

Deno.test("groupThousands", async (t) => {
  await t.step("puts a comma before every third digit from the right", () => {
    const cases = [["", ""], ["1", "1"], ["12", "12"], ["123", "123"], ["1234", "1,234"]];
    cases.push(["123456", "123,456"], ["1234567", "1,234,567"]);
    for (const [digits, grouped] of cases) assert.equal(groupThousands(digits!), grouped);
  });

  await t.step("takes linear time, so a long answer cannot stall the engine", () => {
    const started = performance.now();
    const grouped = groupThousands("1".repeat(300_000));
    assert.equal(grouped.length, 399_999);
    assert.ok(performance.now() - started < 500);
    const answer = parseNumberAnswer("9".repeat(200_000));
    assert.ok(answer.ok && answer.value.startsWith("99,999,"));
  });
});
