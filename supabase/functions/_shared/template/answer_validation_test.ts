import assert from "node:assert/strict";
import { validateAnswer } from "./answer_validation.ts";
import { type Question, questionSchema } from "./template.ts";

function question(fields: Record<string, unknown>): Question {
  return questionSchema.parse({ id: "q", text: "Question?", ...fields });
}

function accepts(q: Question, cases: [raw: string, value: string][]) {
  for (const [raw, value] of cases) {
    assert.deepEqual(validateAnswer(q, raw), { ok: true, value }, raw);
  }
}

function refuses(q: Question, problem: string, raws: string[]) {
  for (const raw of raws) assert.deepEqual(validateAnswer(q, raw), { ok: false, problem }, raw);
}

Deno.test("validateAnswer: short_text", () => {
  const q = question({ type: "short_text" });
  accepts(q, [["  Acme   Corp ", "Acme Corp"], ["x", "x"], ["a".repeat(200), "a".repeat(200)]]);
  refuses(q, "Please type an answer.", ["", "   "]);
  refuses(q, "Please answer on a single line.", ["Acme\nCorp"]);
  refuses(q, "Please keep the answer under 200 characters.", ["a".repeat(201)]);
});

Deno.test("validateAnswer: long_text", () => {
  const q = question({ type: "long_text" });
  accepts(q, [
    ["  Line one\r\nLine two  ", "Line one\nLine two"],
    ["Para one\n\n\n\n  \nPara two", "Para one\n\nPara two"],
  ]);
  refuses(q, "Please type an answer.", ["", "\n \n"]);
  refuses(q, "Please keep the answer under 5,000 characters.", ["a".repeat(5001)]);
});

Deno.test("validateAnswer: date, number and amount delegate with the question's settings", () => {
  accepts(question({ type: "date" }), [["1 Mar 2026", "March 1, 2026"]]);
  refuses(question({ type: "date" }), "Please give the date in full, such as March 1, 2030.", [
    "soon",
  ]);
  accepts(question({ type: "number", min: 1, max: 12 }), [["12", "12"]]);
  refuses(question({ type: "number", min: 1, max: 12 }), "Please give a number from 1 to 12.", [
    "13",
  ]);
  accepts(question({ type: "amount" }), [["120k", "$120,000.00"]]);
  accepts(question({ type: "amount", currency: "EUR" }), [["€ 1,500.50", "EUR 1,500.50"]]);
});

Deno.test("validateAnswer: email", () => {
  const q = question({ type: "email" });
  accepts(q, [
    [" Jane.Doe+nda@Example.COM ", "Jane.Doe+nda@example.com"],
    ["mailto:legal@acme.co.uk", "legal@acme.co.uk"],
  ]);
  refuses(q, "Please give an email address such as name@example.com.", [
    "",
    "jane",
    "jane@",
    "@example.com",
    "jane@example",
    "jane@@example.com",
    "jane doe@example.com",
    "jane..doe@example.com",
    ".jane@example.com",
    "jane@-example.com",
    `${"a".repeat(65)}@example.com`,
  ]);
});

Deno.test("validateAnswer: choice", async (t) => {
  const q = question({ type: "choice", options: ["Delaware", "New York", "England and Wales"] });
  await t.step("matches ignoring case, spaces and punctuation", () => {
    accepts(q, [
      ["delaware", "Delaware"],
      ["  NEW YORK. ", "New York"],
      ["new-york!", "New York"],
      ["england and wales", "England and Wales"],
    ]);
  });
  await t.step("matches by 1-based number", () => {
    accepts(q, [["2", "New York"], [" 3. ", "England and Wales"], ["#1", "Delaware"]]);
  });
  await t.step("refuses other answers, listing the options", () => {
    refuses(
      q,
      "Please choose one of: Delaware, New York, England and Wales (or answer with its number).",
      [
        "Texas",
        "0",
        "4",
        "",
        "New",
      ],
    );
  });
  await t.step("numbers are taken as text when an option is a number", () => {
    const days = question({ type: "choice", options: ["30", "60", "90"] });
    accepts(days, [["60", "60"], ["90 ", "90"]]);
    refuses(days, "Please choose one of: 30, 60, 90.", ["2", "1"]);
  });
  await t.step("matches declared aliases like the option's own text", () => {
    const pay = question({
      type: "choice",
      options: ["Weekly", "Every two weeks", "Monthly"],
      aliases: { "Every two weeks": ["biweekly", "fortnightly"] },
    });
    accepts(pay, [["Biweekly", "Every two weeks"], ["every two weeks", "Every two weeks"]]);
    refuses(
      pay,
      "Please choose one of: Weekly, Every two weeks, Monthly (or answer with its number).",
      [
        "bi-weekly",
      ],
    );
    accepts(pay, [["fortnightly.", "Every two weeks"], ["3", "Monthly"]]);
  });
  await t.step("an option that is a skip word is an answer", () => {
    const q = question({ type: "choice", options: ["None", "Some"], required: true });
    accepts(q, [["none", "None"]]);
  });
});

Deno.test("validateAnswer: yes_no", () => {
  const q = question({ type: "yes_no" });
  accepts(
    q,
    ["yes", "Y", "yeah", "Yep", "TRUE", "sure", "ok", "OK!", "okay", "1", " Yes. "].map((
      raw,
    ) => [raw, "Yes"]),
  );
  accepts(q, ["no", "N", "nope", "nah", "False", "0", "No."].map((raw) => [raw, "No"]));
  refuses(q, "Please answer yes or no.", ["maybe", "", "yes no", "2"]);
});

Deno.test("validateAnswer: skipping", async (t) => {
  await t.step("an optional question may be skipped with skip, no, none, n/a or -", () => {
    for (const type of ["short_text", "long_text", "date", "number", "amount", "email", "yes_no"]) {
      const q = question({ type, required: false });
      accepts(q, [
        ["skip", ""],
        ["SKIP", ""],
        [" n/a ", ""],
        ["None", ""],
        ["-", ""],
        [
          "Skip.",
          "",
        ],
        ["nothing", ""],
        ["Not  applicable", ""],
      ]);
      if (type !== "yes_no") accepts(q, [["No", ""], ["no.", ""]]);
    }
    accepts(question({ type: "yes_no", required: false }), [["no", "No"]]);
    const choice = question({ type: "choice", options: ["A", "B"], required: false });
    accepts(choice, [["skip", ""], ["b", "B"]]);
  });
  await t.step("a required question cannot be skipped", () => {
    for (const type of ["short_text", "date", "email", "yes_no"]) {
      refuses(question({ type }), "This question is required and cannot be skipped.", [
        "skip",
        "N/A",
        "-",
      ]);
    }
  });
  await t.step("an empty answer to an optional question is not a skip", () => {
    refuses(question({ type: "short_text", required: false }), "Please type an answer.", [""]);
  });
});

Deno.test("validateAnswer: the question's own hint is not part of the problem", () => {
  const q = question({ type: "date", hint: "Use the date the agreement is signed." });
  refuses(q, "Please give the date in full, such as March 1, 2030.", ["soon"]);
  accepts(q, [["2026-03-01", "March 1, 2026"]]);
});

Deno.test("validateAnswer: an answer that would display differently from its text", () => {
  for (const type of ["short_text", "long_text", "email", "choice"] as const) {
    const q = question({ type, ...(type === "choice" ? { options: ["Acme", "Globex"] } : {}) });
    refuses(
      q,
      "Your answer holds an invisible character that changes how text displays " +
        "(U+202E, position 5): remove it.",
      ["Acme\u202E"],
    );
    refuses(q, "Your answer holds an invisible character (U+200B, position 3): remove it.", [
      "Ac\u200Bme",
    ]);
    refuses(q, "Your answer holds a control character (U+0001, position 1): remove it.", [
      "\x01Acme",
    ]);
  }
  accepts(question({ type: "short_text" }), [["پیمان\u200Cنامه", "پیمان\u200Cنامه"]]);
});

Deno.test("validateAnswer: natural answers", async (t) => {
  await t.step("a relative date is read against the day it was typed", () => {
    const q = question({ type: "date", notBefore: "today" });
    const typed = { today: "2026-12-07", typedOn: "2026-12-07" };
    assert.deepEqual(validateAnswer(q, "next Monday", typed), {
      ok: true,
      value: "December 14, 2026",
    });
    assert.deepEqual(
      validateAnswer(q, "tomorrow", { today: "2026-12-09", typedOn: "2026-12-07" }),
      {
        ok: false,
        problem: "Please give a date that is today (December 9, 2026) or later.",
      },
      "the template's rules still hold on the date it was read as",
    );
    assert.deepEqual(validateAnswer(q, "Dec 14", { today: "2026-12-07" }), {
      ok: true,
      value: "December 14, 2026",
    }, "without typedOn, today");
  });
  await t.step("a number question takes its unit and refuses another", () => {
    const years = question({ type: "number", unit: "year", min: 1, max: 10 });
    accepts(years, [["3 years", "3"], ["three years", "3"], ["a year", "1"], ["Ten", "10"]]);
    refuses(years, "This asks for a number of years, not months.", ["twelve months"]);
    refuses(years, "Please give a number of years from 1 to 10.", ["twenty years"]);
  });
  await t.step("skip words still skip an optional date", () => {
    assert.deepEqual(
      validateAnswer(question({ type: "date", required: false }), "skip", {
        today: "2026-12-07",
      }),
      { ok: true, value: "" },
    );
  });
});
