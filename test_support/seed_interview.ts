// Drives an interview of a seeded template through the chat function over a real WebSocket,
// answering each question with a valid answer of its type (and one invalid answer first).
import assert from "node:assert/strict";
import { validateAnswer } from "../supabase/functions/_shared/template/answer_validation.ts";
import { questionText } from "../supabase/functions/_shared/template/interview_engine.ts";
import { MONTH_NAMES } from "../supabase/functions/_shared/template/date_answer.ts";
import type { Question, Template } from "../supabase/functions/_shared/template/template.ts";
import type { Message, TestClient } from "./ws_client.ts";

/** Which conditional branch to take and whether to skip optional questions. */
export interface AnswerPlan {
  /** Question id to the answer that opens a conditional question (the `when.equals` value). */
  gates: Map<string, string>;
  skipOptional: boolean;
}

/** One plan per conditional question, taking the branches that ask it. */
export function plansFor(template: Template): AnswerPlan[] {
  const conditional = template.questions.filter((q) => q.when !== undefined);
  return conditional.map((question, index) => {
    const gates = new Map<string, string>();
    for (let when = question.when; when !== undefined;) {
      gates.set(when.question, when.equals);
      when = template.questions.find((other) => other.id === when?.question)?.when;
    }
    return { gates, skipOptional: index % 2 === 1 };
  });
}

/**
 * A date next year in one of the forms people type, and its normalised value. Later questions
 * get later dates (a week apart from February 1), so "after" rules between them hold; a
 * question that must be on or before another gets January 20, before all of them.
 */
function dateAnswer(question: Question, index: number): [string, string] {
  const year = new Date().getUTCFullYear() + 1;
  const early = question.before !== undefined || question.notAfter !== undefined;
  const date = new Date(Date.UTC(year, early ? 0 : 1, early ? 20 : 1 + 7 * index));
  const [month, day] = [MONTH_NAMES[date.getUTCMonth()]!, date.getUTCDate()];
  const iso = date.toISOString().slice(0, 10);
  const forms = [
    iso,
    `${month} ${day}, ${year}`,
    `${day} ${month} ${year}`,
    `${month.slice(0, 3)}. ${day} ${year}`,
  ];
  return [forms[index % forms.length]!, `${month} ${day}, ${year}`];
}

// The documents write a whole amount without cents (answer_wording.ts: "$120,000").
const AMOUNTS = [
  ["120k", "$120,000"],
  ["$1,500.50", "$1,500.50"],
  ["2.5 million dollars", "$2,500,000"],
] as const;
const NUMBERS = [12, 7, 30, 5];

/** An answer that fails validation, for each type that can fail on a non-empty answer. */
export const INVALID: Partial<Record<Question["type"], string>> = {
  email: "jane at example",
  date: "sometime soon",
  number: "about thirty days",
  amount: "a lot",
  choice: "Mars",
  yes_no: "maybe",
};

/**
 * A raw answer in a form users type (spacing, case, written dates, `120k`) and the normalised
 * value the document must show ("" when skipped). `index` varies answers of the same type.
 */
export function answerFor(question: Question, plan: AnswerPlan, index: number): [string, string] {
  const gate = plan.gates.get(question.id);
  if (!question.required && plan.skipOptional) return ["skip", ""];
  switch (question.type) {
    case "short_text":
      return [`  Party   ${question.id} `, `Party ${question.id}`];
    case "long_text":
      return [
        `Terms for ${question.id}.\r\n\r\n\r\nSecond paragraph.`,
        `Terms for ${question.id}.\n\nSecond paragraph.`,
      ];
    case "date":
      return dateAnswer(question, index);
    case "number": {
      const n = Math.min(question.max ?? 1000, Math.max(question.min ?? 0, NUMBERS[index % 4]!));
      return [String(n), String(n)];
    }
    case "amount":
      return [...AMOUNTS[index % AMOUNTS.length]!];
    case "email":
      return [`Jane.${question.id}@Example.COM`, `Jane.${question.id}@example.com`];
    case "choice": {
      const option = gate ?? question.options![0]!;
      return [option.toLowerCase().replaceAll("-", " "), option];
    }
    case "yes_no":
      return gate === "Yes" ? ["yep", "Yes"] : ["nope", "No"];
  }
}

export interface InterviewRun {
  sessionId: string;
  documentId: string;
  /** Question id to the normalised value given. */
  given: Map<string, string>;
  /** The question re-asked after the invalid answer, and the text it was asked with. */
  reasked: { id: string; text: string };
}

/**
 * Answers every question `client` is asked until `session_complete`; the first question of a
 * type in INVALID first gets an invalid answer, which must be re-asked with a hint.
 */
export async function runInterview(
  client: TestClient,
  template: Template,
  plan: AnswerPlan,
): Promise<InterviewRun> {
  const given = new Map<string, string>();
  let reasked: InterviewRun["reasked"] | undefined;
  let message: Message = await client.next("next_question", 10_000);
  const sessionId: string = message.sessionId;
  for (let asked = 0; message.type === "next_question"; asked++) {
    assert.ok(asked <= template.questions.length * 2, "the interview does not end");
    const question = template.questions.find((q) => q.id === message.question.id);
    assert.ok(question, `asked an unknown question "${message.question.id}"`);
    assert.equal(message.question.text, questionText(question));

    const invalid = INVALID[question.type];
    if (!reasked && invalid !== undefined) {
      client.send({ type: "user_message", content: invalid, questionId: question.id });
      const again = await client.next(undefined, 10_000);
      assert.equal(again.type, "next_question", JSON.stringify(again));
      assert.equal(again.question.id, question.id, "the same question is re-asked");
      const refused = validateAnswer(question, invalid);
      assert.ok(!refused.ok);
      assert.equal(again.question.text, questionText(question, refused.problem), "with why");
      reasked = again.question;
    }

    const [raw, normalised] = answerFor(question, plan, given.size);
    given.set(question.id, normalised);
    client.send({
      type: "user_message",
      content: raw,
      questionId: question.id,
      clientMessageId: crypto.randomUUID(),
    });
    message = await client.next(undefined, 10_000);
  }
  assert.equal(message.type, "session_complete", JSON.stringify(message));
  assert.ok(reasked, "no question could be answered invalidly");
  return { sessionId, documentId: message.documentId, given, reasked };
}
