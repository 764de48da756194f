import assert from "node:assert/strict";
import { applyFilters, type Filter } from "./body_filters.ts";

const apply = (value: string, ...filters: Filter[]) => applyFilters(value, filters);

Deno.test("applyFilters", async (t) => {
  await t.step("plural: one is singular, anything else plural", () => {
    const year: Filter = { name: "plural", arg: "year" };
    assert.equal(apply("1", year), "1 year");
    assert.equal(apply("3", year), "3 years");
    assert.equal(apply("0", year), "0 years");
    assert.equal(apply("1.5", year), "1.5 years");
    assert.equal(apply("1,000", year), "1,000 years");
    assert.equal(apply("2", { name: "plural", arg: "business day" }), "2 business days");
    assert.equal(apply("2", { name: "plural", arg: "inch" }), "2 inches");
    assert.equal(apply("2", { name: "plural", arg: "party" }), "2 parties");
    assert.equal(apply("2", { name: "plural", arg: "day" }), "2 days");
    assert.equal(apply("2", { name: "plural", arg: "person|people" }), "2 people");
    assert.equal(apply("1", { name: "plural", arg: "person|people" }), "1 person");
  });

  await t.step("lower: for option texts mid-sentence, acronyms kept", () => {
    assert.equal(apply("Every two weeks", { name: "lower" }), "every two weeks");
    assert.equal(apply("Twice a month", { name: "lower" }), "twice a month");
    assert.equal(apply("US Dollars", { name: "lower" }), "US dollars");
  });

  await t.step("title: words capitalised, minor words and the user's capitals kept", () => {
    assert.equal(apply("senior data analyst", { name: "title" }), "Senior Data Analyst");
    assert.equal(
      apply("head of people and culture", { name: "title" }),
      "Head of People and Culture",
    );
    assert.equal(apply("VP of engineering", { name: "title" }), "VP of Engineering");
    assert.equal(apply("iOS developer", { name: "title" }), "iOS Developer");
    assert.equal(apply("the full-time lead", { name: "title" }), "The Full-Time Lead");
  });

  await t.step("article: a or an by the sound of the first word", () => {
    const cases: [string, string][] = [
      ["Senior Data Analyst", "a Senior Data Analyst"],
      ["Engineer", "an Engineer"],
      ["Hourly Associate", "an Hourly Associate"],
      ["University Liaison", "a University Liaison"],
      ["European Sales Lead", "a European Sales Lead"],
      ["SEO Specialist", "an SEO Specialist"],
      ["UX Designer", "a UX Designer"],
      ["HR Partner", "an HR Partner"],
      ["8-week contract", "an 8-week contract"],
      ["11-month term", "an 11-month term"],
      ["12-month term", "a 12-month term"],
    ];
    for (const [value, expected] of cases) {
      assert.equal(apply(value, { name: "article" }), expected);
    }
  });

  await t.step("filters chain left to right and leave an empty value empty", () => {
    assert.equal(
      apply("senior data analyst", { name: "title" }, { name: "article" }),
      "a Senior Data Analyst",
    );
    assert.equal(apply("", { name: "article" }, { name: "plural", arg: "year" }), "");
  });
});
