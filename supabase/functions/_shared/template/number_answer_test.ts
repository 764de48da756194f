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
    for (
      const raw of ["", "thirty-ish", "1,00", "1.2.3", "1e3", "12,34", "-", ".", "a", "hundred"]
    ) {
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

  await t.step("reads whole numbers in words, up to nine hundred and ninety-nine", () => {
    const cases: [string, string][] = [
      ["three", "3"],
      ["Twenty-one", "21"],
      ["ninety nine", "99"],
      ["ninety-nine", "99"],
      ["twelve", "12"],
      ["zero", "0"],
      ["one hundred and twenty", "120"],
      ["a hundred", "100"],
      ["nine hundred ninety-nine", "999"],
    ];
    for (const [raw, value] of cases) {
      assert.deepEqual(parseNumberAnswer(raw), { ok: true, value }, raw);
    }
  });

  await t.step("takes the question's unit, in words or digits", () => {
    const years = { unit: "year" as const, min: 1, max: 10 };
    const cases: [string, string][] = [
      ["3 years", "3"],
      ["3years", "3"],
      ["three years", "3"],
      ["3 yrs.", "3"],
      ["a year", "1"],
      ["1 year", "1"],
      ["Ten Years", "10"],
      ["3 years!", "3"],
    ];
    for (const [raw, value] of cases) {
      assert.deepEqual(parseNumberAnswer(raw, years), { ok: true, value }, raw);
    }
    const months = { unit: "month" as const, min: 1, max: 24 };
    assert.deepEqual(parseNumberAnswer("twelve months", months), { ok: true, value: "12" });
    const hours = { unit: "hour" as const, min: 1, max: 39 };
    assert.deepEqual(parseNumberAnswer("20 hours", hours), { ok: true, value: "20" });
    assert.deepEqual(parseNumberAnswer("20h", hours), { ok: true, value: "20" });
    const days = { unit: "day" as const, min: 1, max: 120 };
    assert.deepEqual(parseNumberAnswer("30 days", days), { ok: true, value: "30" });
  });

  await t.step("refuses another unit in the user's words, never converting", () => {
    const years = { unit: "year" as const, min: 1, max: 10 };
    assert.deepEqual(parseNumberAnswer("twelve months", years), {
      ok: false,
      problem: "This asks for a number of years, not months.",
    });
    assert.deepEqual(parseNumberAnswer("2 weeks", { unit: "day" }), {
      ok: false,
      problem: "This asks for a number of days, not weeks.",
    });
    assert.deepEqual(parseNumberAnswer("30 days"), {
      ok: false,
      problem: 'Please give just the number, without "days".',
    });
  });

  await t.step("a number of a unit out of range names the unit and the range", () => {
    assert.deepEqual(parseNumberAnswer("eleven years", { unit: "year", min: 1, max: 10 }), {
      ok: false,
      problem: "Please give a number of years from 1 to 10.",
    });
    assert.deepEqual(parseNumberAnswer("a lot of years", { unit: "year" }), {
      ok: false,
      problem: "Please give a number such as 30.",
    });
  });

  await t.step("a number asked per a period takes it after the unit, and no other", () => {
    const weekly = { unit: "hour" as const, per: "week" as const, min: 1, max: 39 };
    for (
      const raw of ["20 hours a week", "twenty hours per week", "20 hrs/week", "20 hours weekly"]
    ) {
      assert.deepEqual(parseNumberAnswer(raw, weekly), { ok: true, value: "20" }, raw);
    }
    assert.deepEqual(parseNumberAnswer("20", weekly), { ok: true, value: "20" });
    assert.deepEqual(parseNumberAnswer("4 hours a day", weekly), {
      ok: false,
      problem: "This asks for hours per week, not per day.",
    });
    assert.deepEqual(parseNumberAnswer("20 hours a week", { unit: "hour" }), {
      ok: false,
      problem: 'Please give just the number of hours, without "a week".',
    });
    assert.deepEqual(parseNumberAnswer("a year", { unit: "year" }), { ok: true, value: "1" });
  });
});
