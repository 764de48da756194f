/**
 * A document from a set of answers without an interview: the answers are given to the same
 * engine the chat uses, question by question in the order it asks them (so conditions, skips,
 * date rules and normalising all apply), and the document it assembles is rendered by the
 * documents function's own renderers.
 */
import { nextStep, type Turn } from "../../supabase/functions/_shared/template/interview_engine.ts";
import type { Template } from "../../supabase/functions/_shared/template/template.ts";
import {
  type DownloadFile,
  type DownloadFormat,
  renderDownload,
} from "../../supabase/functions/documents/download.ts";

export interface PreviewResult {
  title: string;
  content: string;
  /** Answers given for questions that were never asked (their condition did not hold). */
  unused: string[];
}

/**
 * @throws {TypeError} when an answer is refused ("answers.json: "x": <why>") or a question
 * that applies has no answer.
 */
export function previewDocument(
  template: Template,
  answers: Readonly<Record<string, string>>,
  options: { now?: Date } = {},
): PreviewResult {
  const at = (options.now ?? new Date()).toISOString();
  const history: Turn[] = [];
  const asked = new Set<string>();
  // Each applicable question is asked once; one more round is the document.
  for (let round = 0; round <= template.questions.length; round++) {
    const step = nextStep(template, history, { protocol: "v2" });
    if (step.status === "complete") {
      const unused = Object.keys(answers).filter((id) => !asked.has(id));
      return { title: step.document.title, content: step.document.content, unused };
    }
    const question = step.nextQuestion;
    if (asked.has(question.id)) {
      throw new TypeError(
        `The answer to "${question.id}" is not accepted: ${
          step.nextQuestion.problem ?? "it was refused"
        } (given: "${answers[question.id]}")`,
      );
    }
    const answer = answers[question.id];
    if (answer === undefined) {
      throw new TypeError(
        `No answer to "${question.id}" (${question.text}): add it${
          template.questions.find((q) => q.id === question.id)?.required === false
            ? ', or "skip" to leave it out'
            : ""
        }`,
      );
    }
    asked.add(question.id);
    history.push({ role: "assistant", content: question.text, questionId: question.id, at });
    history.push({ role: "user", content: answer, questionId: question.id, at });
  }
  throw new TypeError(`The interview of "${template.slug}" did not finish`);
}

export async function renderPreview(
  preview: PreviewResult,
  format: DownloadFormat,
): Promise<DownloadFile> {
  return await renderDownload(
    { title: preview.title, content: preview.content, format: "markdown" },
    format,
  );
}

/** The answers file: one JSON object of question id to the answer as a person would type it. */
export function parseAnswers(text: string, file: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`Cannot read "${file}": ${error instanceof Error ? error.message : error}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(
      `Cannot read "${file}": it must be one JSON object of question id to answer`,
    );
  }
  const answers: Record<string, string> = {};
  for (const [id, answer] of Object.entries(value)) {
    if (typeof answer !== "string") {
      throw new TypeError(
        `Cannot read "${file}": the answer to "${id}" must be a string, as typed`,
      );
    }
    answers[id] = answer;
  }
  return answers;
}
