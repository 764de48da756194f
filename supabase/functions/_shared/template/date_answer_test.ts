import assert from "node:assert/strict";
import { dateHint, parseDateAnswer } from "./date_answer.ts";

const DATE_HINT = dateHint();

Deno.test("parseDateAnswer", async (t) => {
  await t.step("accepts ISO and common written forms, normalised to Month D, YYYY", () => {
    const cases: [string, string][] = [
      ["2026-03-01", "March 1, 2026"],
      [" 2026-3-1 ", "March 1, 2026"],
      ["2026/03/01", "March 1, 2026"],
      ["13/01/2026", "January 13, 2026"],
      ["06/30/2026", "June 30, 2026"],
      ["30.06.2026", "June 30, 2026"],
      ["30-6-2026", "June 30, 2026"],
      ["03/03/2026", "March 3, 2026"],
      ["March 1, 2026", "March 1, 2026"],
      ["march 1 2026", "March 1, 2026"],
      ["Mar. 1, 2026", "March 1, 2026"],
      ["March 1st, 2026", "March 1, 2026"],
      ["1 March 2026", "March 1, 2026"],
      ["1 Mar 2026", "March 1, 2026"],
      ["1st of March, 2026", "March 1, 2026"],
      ["the 22nd of Sept 2026", "September 22, 2026"],
      ["1-Mar-2026", "March 1, 2026"],
      ["DECEMBER 31, 2099", "December 31, 2099"],
      ["2028-02-29", "February 29, 2028"],
      ["2000-02-29", "February 29, 2000"],
    ];
    for (const [raw, value] of cases) {
      assert.deepEqual(parseDateAnswer(raw), { ok: true, value }, raw);
    }
  });

  await t.step("asks which was meant when day and month could be swapped", () => {
    for (const raw of ["03/01/2026", "3/1/2026", "03.01.2026"]) {
      assert.deepEqual(parseDateAnswer(raw), {
        ok: false,
        problem: "Did you mean January 3, 2026 or March 1, 2026? Please write the month as a word.",
      }, raw);
    }
  });

  await t.step("refuses impossible calendar dates, naming them", () => {
    assert.deepEqual(parseDateAnswer("2026-02-30"), {
      ok: false,
      problem: `There is no February 30, 2026. ${DATE_HINT}`,
    });
    assert.deepEqual(parseDateAnswer("February 29, 2027"), {
      ok: false,
      problem: `There is no February 29, 2027. ${DATE_HINT}`,
    });
    assert.equal(parseDateAnswer("1900-02-29").ok, false);
    assert.equal(parseDateAnswer("April 31 2026").ok, false);
    assert.equal(parseDateAnswer("2026-03-00").ok, false);
  });

  await t.step("refuses other input with the generic hint", () => {
    for (
      const raw of [
        "",
        "tomorrow",
        "next Friday",
        "2026-13-01",
        "13/13/2026",
        "03/01/26",
        "0999-01-01",
        "March 2026",
        "Marchember 1, 2026",
        "2026-03-01T10:00:00Z",
        "1 2 3",
      ]
    ) {
      assert.deepEqual(parseDateAnswer(raw), { ok: false, problem: DATE_HINT }, raw);
    }
  });

  await t.step("the hint's example is a week after today, never in the past", () => {
    assert.equal(
      dateHint("2026-12-07"),
      "Please give a date such as December 14, 2026, tomorrow or next Monday.",
    );
    assert.equal(
      dateHint("2026-12-28"),
      "Please give a date such as January 4, 2027, tomorrow or next Monday.",
    );
    assert.deepEqual(parseDateAnswer("soon", { today: "2026-12-07" }), {
      ok: false,
      problem: "Please give a date such as December 14, 2026, tomorrow or next Monday.",
    });
    assert.equal(DATE_HINT, "Please give the date in full, such as March 1, 2030.");
  });

  await t.step("with today known, relative and partial dates, in the one date style", () => {
    // Monday, December 7, 2026.
    const today = { today: "2026-12-07" };
    const cases: [string, string][] = [
      ["today", "December 7, 2026"],
      ["Tomorrow", "December 8, 2026"],
      ["next Monday", "December 14, 2026"],
      ["Friday", "December 11, 2026"],
      ["in two weeks", "December 21, 2026"],
      ["Dec 14", "December 14, 2026"],
      ["14 Dec", "December 14, 2026"],
      ["14/12", "December 14, 2026"],
      ["12/14", "December 14, 2026"],
      ["Jan 5", "January 5, 2027"],
      ["2026-12-14", "December 14, 2026"],
    ];
    for (const [raw, value] of cases) {
      assert.deepEqual(parseDateAnswer(raw, today), { ok: true, value }, raw);
    }
  });

  await t.step("a yearless 3/4 is asked, like a dated one", () => {
    assert.deepEqual(parseDateAnswer("3/4", { today: "2026-12-07" }), {
      ok: false,
      problem: "Did you mean April 3, 2027 or March 4, 2027? Please write the month as a word.",
    });
  });

  await t.step("a yearless day that does not exist is named", () => {
    assert.deepEqual(parseDateAnswer("April 31", { today: "2026-12-07" }), {
      ok: false,
      problem:
        "There is no April 31. Please give a date such as December 14, 2026, tomorrow or next Monday.",
    });
    assert.equal(parseDateAnswer("31/31", { today: "2026-12-07" }).ok, false);
  });
});
