import assert from "node:assert/strict";
import { AMOUNT_HINT, parseAmountAnswer } from "./amount_answer.ts";

Deno.test("parseAmountAnswer", async (t) => {
  await t.step("accepts symbols, codes, words and multipliers in USD", () => {
    const cases: [string, string][] = [
      ["$120,000", "$120,000.00"],
      ["120000", "$120,000.00"],
      ["120k", "$120,000.00"],
      ["120 K", "$120,000.00"],
      ["$1.5m", "$1,500,000.00"],
      ["1.5 million dollars", "$1,500,000.00"],
      ["2bn", "$2,000,000,000.00"],
      ["USD 1,500.50", "$1,500.50"],
      ["1,500.5 usd", "$1,500.50"],
      ["US$ 99.99", "$99.99"],
      ["120000usd", "$120,000.00"],
      ["0", "$0.00"],
      [".5", "$0.50"],
      ["1.2345k", "$1,234.50"],
      ["$85k", "$85,000.00"],
      ["85,000.50", "$85,000.50"],
    ];
    for (const [raw, value] of cases) {
      assert.deepEqual(parseAmountAnswer(raw), { ok: true, value }, raw);
    }
  });

  await t.step("other currencies are written with their code", () => {
    const eur = { currency: "EUR" };
    assert.deepEqual(parseAmountAnswer("€1,500.50", eur), { ok: true, value: "EUR 1,500.50" });
    assert.deepEqual(parseAmountAnswer("EUR 1500.5", eur), { ok: true, value: "EUR 1,500.50" });
    assert.deepEqual(parseAmountAnswer("2k euros", eur), { ok: true, value: "EUR 2,000.00" });
    assert.deepEqual(parseAmountAnswer("1500", { currency: "GBP" }), {
      ok: true,
      value: "GBP 1,500.00",
    });
    assert.deepEqual(parseAmountAnswer("¥1,500", { currency: "JPY" }), {
      ok: true,
      value: "JPY 1,500",
    });
    assert.deepEqual(parseAmountAnswer("$10", { currency: "CAD" }), {
      ok: true,
      value: "CAD 10.00",
    });
  });

  await t.step("refuses another currency, naming the expected one", () => {
    assert.deepEqual(parseAmountAnswer("EUR 100"), {
      ok: false,
      problem: "Please give the amount in USD, such as $120,000.00 or 120k.",
    });
    assert.deepEqual(parseAmountAnswer("$100", { currency: "EUR" }), {
      ok: false,
      problem: "Please give the amount in EUR, such as EUR 120,000.00 or 120k.",
    });
    assert.equal(parseAmountAnswer("£5 usd").ok, false);
  });

  await t.step("refuses negative amounts", () => {
    for (const raw of ["-5", "$-5", "-$5", "USD -1,000"]) {
      assert.deepEqual(
        parseAmountAnswer(raw),
        { ok: false, problem: `The amount cannot be negative. ${AMOUNT_HINT}` },
        raw,
      );
    }
  });

  await t.step("refuses more precision than the currency has", () => {
    assert.deepEqual(parseAmountAnswer("10.505"), {
      ok: false,
      problem: "Please give the amount in at most 2 decimal places, such as $120,000.00 or 120k.",
    });
    assert.equal(parseAmountAnswer("1.5", { currency: "JPY" }).ok, false);
    assert.deepEqual(parseAmountAnswer("1.234567k"), parseAmountAnswer("10.505"));
    assert.deepEqual(parseAmountAnswer("1.23456k"), { ok: true, value: "$1,234.56" });
  });

  await t.step("refuses what is not an amount", () => {
    for (
      const raw of [
        "",
        "lots",
        "$",
        "12,34",
        "1.2.3",
        "120kusd",
        "5 apples",
        "1,5000",
        "1e6",
        "$1 000",
      ]
    ) {
      assert.deepEqual(parseAmountAnswer(raw), { ok: false, problem: AMOUNT_HINT }, raw);
    }
    assert.equal(parseAmountAnswer("1".repeat(16)).ok, false);
    assert.equal(parseAmountAnswer("999,999,999,999,999.99").ok, true);
  });

  await t.step("an amount asked per a period takes the period, and no other", () => {
    const hourly = { per: "hour" } as const;
    for (const raw of ["175 per hour", "$175/hr", "175 an hour", "USD 175 per hr.", "175 hourly"]) {
      assert.deepEqual(parseAmountAnswer(raw, hourly), { ok: true, value: "$175.00" }, raw);
    }
    assert.deepEqual(parseAmountAnswer("85k a year", { per: "year" }), {
      ok: true,
      value: "$85,000.00",
    });
    assert.deepEqual(parseAmountAnswer("2,000 monthly", { per: "month" }), {
      ok: true,
      value: "$2,000.00",
    });
    assert.deepEqual(parseAmountAnswer("7k a month", { per: "year" }), {
      ok: false,
      problem: "Please give the amount per year, for example 150 per year.",
    });
    assert.deepEqual(parseAmountAnswer("175 per hour"), {
      ok: false,
      problem: "Please give one amount, not an amount per hour.",
    });
  });

  await t.step("words get the plain hint, not the range", () => {
    assert.deepEqual(parseAmountAnswer("a lot", { min: 1 }), { ok: false, problem: AMOUNT_HINT });
    assert.equal(AMOUNT_HINT, "Please give an amount as a number, for example 85,000.");
  });

  await t.step("respects min and max, naming them in the currency", () => {
    const range = { min: 1000, max: 500000 };
    assert.deepEqual(parseAmountAnswer("1k", range), { ok: true, value: "$1,000.00" });
    const problem = "Please give an amount from $1,000.00 to $500,000.00.";
    assert.deepEqual(parseAmountAnswer("999.99", range), { ok: false, problem });
    assert.deepEqual(parseAmountAnswer("0.6m", range), { ok: false, problem });
    assert.deepEqual(parseAmountAnswer("5", { currency: "EUR", min: 10 }), {
      ok: false,
      problem: "Please give an amount of at least EUR 10.00.",
    });
  });

  await t.step("the number may be in words", () => {
    const cases: [string, string][] = [
      ["fifty thousand dollars", "$50,000.00"],
      ["one hundred twenty thousand", "$120,000.00"],
      ["Twenty-five k", "$25,000.00"],
      ["a hundred dollars", "$100.00"],
      ["two million", "$2,000,000.00"],
    ];
    for (const [raw, value] of cases) {
      assert.deepEqual(parseAmountAnswer(raw), { ok: true, value }, raw);
    }
    assert.deepEqual(parseAmountAnswer("one hundred fifty an hour", { per: "hour" }), {
      ok: true,
      value: "$150.00",
    });
    assert.deepEqual(parseAmountAnswer("fifty euros", { currency: "EUR" }), {
      ok: true,
      value: "EUR 50.00",
    });
    assert.equal(parseAmountAnswer("lots of money").ok, false);
  });
});
