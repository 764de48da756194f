/**
 * How far an open interview is, counted as the chat counts it (its "Question n of N"): through
 * the template engine, the questions answered of those that apply given the answers so far, so a
 * question whose condition fails is not counted as still to do. For a template the engine cannot
 * read (an external AI service's own format), the template's questions with a reply in the
 * history, of all its questions.
 */
import { readInterview } from "../_shared/template/interview_state.ts";
import { parseTemplate } from "../_shared/template/template.ts";
import type { Turn } from "../_shared/wire/interview_turn.ts";

export interface InterviewProgress {
  answered: number;
  total: number;
}

export interface StoredTemplate {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  /** The template's title rule (document_templates.title_rule), null without one. */
  title?: string | null;
  questions: unknown;
  body: string;
}

export function interviewProgress(
  stored: StoredTemplate,
  history: readonly Turn[],
): InterviewProgress {
  let template;
  try {
    template = parseTemplate(stored);
  } catch {
    return repliedOf(stored.questions, history);
  }
  const state = readInterview(template, history);
  return { answered: state.answers.size, total: state.applicable.length };
}

function repliedOf(questions: unknown, history: readonly Turn[]): InterviewProgress {
  const ids = new Set(
    (Array.isArray(questions) ? questions : [])
      .map((question) => (question as { id?: unknown })?.id)
      .filter((id): id is string => typeof id === "string"),
  );
  const replied = new Set(
    history.filter((turn) => turn.role === "user" && ids.has(turn.questionId ?? ""))
      .map((turn) => turn.questionId),
  );
  return { answered: replied.size, total: ids.size };
}
