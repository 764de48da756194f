// The interviewer process and the chat's built-in engine, given the same natural answers
// ("three years", "next Monday", "twelve months"), answer the same: one engine behind both. And
// the interviewer reads a relative date in the time zone the request says.
import assert from "node:assert/strict";
import { INTERVIEWER_KEY, startInterviewer } from "../../../../test_support/interviewer.ts";
import { loadTemplates } from "../../../../scripts/seed/seeded_templates.ts";
import { createBuiltinNextQuestionSource } from "../../chat/adapters/builtin_next_question_source.ts";
import type { TemplateRecord } from "../../chat/ports/session_store.ts";
import type { Turn } from "../../_shared/wire/protocol.ts";

const templates = await loadTemplates();
const bySlug = (slug: string): TemplateRecord => {
  const template = templates.find((t) => t.slug === slug);
  if (!template) throw new Error(`the ${slug} seed template is missing`);
  return { ...template, questions: template.questions };
};

/** Answers as a person types them, by question id; anything else gets a plain answer. */
const NATURAL: Record<string, string> = {
  effective_date: "tomorrow",
  confidentiality_years: "three years",
  include_non_solicit: "yes",
  non_solicit_months: "twelve months",
  governing_law: "NY",
  start_date: "next Monday",
  employment_type: "part time",
  weekly_hours: "20 hours a week",
  base_salary: "85k a year",
  pay_frequency: "biweekly",
  signing_bonus: "skip",
  offers_equity: "no",
  offer_expiry_date: "in 3 days",
};

function plainAnswer(question: { id: string; type: string; options?: string[] }): string {
  switch (question.type) {
    case "email":
      return `${question.id.replaceAll("_", ".")}@example.com`;
    case "choice":
      return question.options?.[0] ?? "";
    case "yes_no":
      return "no";
    case "long_text":
      return "Evaluating a possible partnership.";
    default:
      return "Acme Ltd";
  }
}

/** The interviewer's answer, as much of it as these steps read. */
interface StepBody {
  status: "in_progress" | "complete";
  nextQuestion: {
    id: string;
    type: string;
    text: string;
    options?: string[];
    problem?: string;
    hint?: string;
  };
  understood?: { questionId: string; answer: string };
}

async function askInterviewer(baseUrl: string, body: Record<string, unknown>): Promise<StepBody> {
  const response = await fetch(`${baseUrl}/v1/chat/next-question`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${INTERVIEWER_KEY}` },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200);
  return await response.json();
}

Deno.test("the interviewer and the built-in engine agree on natural answers", async (t) => {
  const interviewer = await startInterviewer();
  const builtin = createBuiltinNextQuestionSource();
  try {
    for (const slug of ["mutual-nda", "employment-offer-letter"]) {
      await t.step(slug, async () => {
        const template = bySlug(slug);
        const history: Turn[] = [];
        const understood: Record<string, string> = {};
        for (let turn = 0; turn <= template.questions.length; turn++) {
          const request = {
            sessionId: crypto.randomUUID(),
            templateId: template.id,
            history,
            template,
            protocol: "v2" as const,
          };
          const fromInterviewer = await askInterviewer(interviewer.baseUrl, request);
          const { source, ...fromBuiltin } = await builtin.next(request);
          assert.equal(source, "builtin");
          assert.deepEqual(fromBuiltin, fromInterviewer, `after ${history.length} turns`);
          if (fromInterviewer.understood) {
            understood[fromInterviewer.understood.questionId] = fromInterviewer.understood.answer;
          }
          if (fromInterviewer.status === "complete") break;
          const question = fromInterviewer.nextQuestion;
          assert.equal(question.problem, undefined, `${question.id} was asked again`);
          const at = new Date().toISOString();
          history.push(
            { role: "assistant", content: question.text, questionId: question.id, at },
            {
              role: "user",
              content: NATURAL[question.id] ?? plainAnswer(question),
              questionId: question.id,
              at,
            },
          );
        }
        if (slug === "mutual-nda") {
          assert.equal(understood.confidentiality_years, "3");
          assert.equal(understood.non_solicit_months, "12");
          assert.match(understood.effective_date ?? "", /^[A-Z][a-z]+ \d{1,2}, \d{4}$/);
        } else {
          assert.equal(understood.weekly_hours, undefined, "20 hours a week is 20, as typed");
          assert.match(understood.start_date ?? "", /^[A-Z][a-z]+ \d{1,2}, \d{4}$/);
          assert.equal(understood.base_salary, "$85,000.00");
        }
      });
    }

    await t.step("a unit that is not the question's is refused by both alike", async () => {
      const template = bySlug("mutual-nda");
      const at = new Date().toISOString();
      const history: Turn[] = [
        { role: "user", content: "twelve months", questionId: "confidentiality_years", at },
      ];
      const request = {
        sessionId: crypto.randomUUID(),
        templateId: template.id,
        history,
        template,
        protocol: "v2" as const,
      };
      const fromInterviewer = await askInterviewer(interviewer.baseUrl, request);
      const { source: _, ...fromBuiltin } = await builtin.next(request);
      assert.deepEqual(fromBuiltin, fromInterviewer);
      assert.equal(fromInterviewer.nextQuestion.id, "confidentiality_years");
      assert.equal(
        fromInterviewer.nextQuestion.problem,
        "This asks for a number of years, not months.",
      );
      assert.equal(
        fromInterviewer.nextQuestion.hint,
        "A number of years from 1 to 10, such as 3 or three years.",
      );
    });

    await t.step("the interviewer reads tomorrow where the person is", async () => {
      const template = bySlug("mutual-nda");
      // 23:30 UTC: the next day already in Tokyo.
      const at = "2026-12-07T23:30:00.000Z";
      const history: Turn[] = [{
        role: "user",
        content: "tomorrow",
        questionId: "effective_date",
        at,
      }];
      const base = {
        sessionId: crypto.randomUUID(),
        templateId: template.id,
        history,
        template,
        protocol: "v2",
      };
      const utc = await askInterviewer(interviewer.baseUrl, base);
      assert.deepEqual(utc.understood, {
        questionId: "effective_date",
        answer: "December 8, 2026",
      });
      const tokyo = await askInterviewer(interviewer.baseUrl, { ...base, tz: "Asia/Tokyo" });
      assert.deepEqual(tokyo.understood, {
        questionId: "effective_date",
        answer: "December 9, 2026",
      });
    });
  } finally {
    await interviewer.stop();
  }
});
