/**
 * The current answers a v2 client is shown (on resume and in review): through the template
 * engine when the template is in its format, so that only questions that apply are listed, in
 * question order, with their normalised answers; otherwise the latest answer to each question
 * asked, in the order they were first asked.
 */
import { currentAnswers, validateEdit } from "../../_shared/template/interview_state.ts";
import { parseTemplate, type Template } from "../../_shared/template/template.ts";
import type { Answer, Turn } from "../../_shared/wire/protocol.ts";
import type { TemplateRecord } from "../ports/session_store.ts";

// Parsing a template is the costly part; a connection's record is the same object throughout.
const parsed = new WeakMap<TemplateRecord, Template | null>();

function engineTemplate(record: TemplateRecord): Template | null {
  if (!parsed.has(record)) {
    let template: Template | null = null;
    try {
      template = parseTemplate(record);
    } catch {
      template = null; // a template the engine cannot read: an external AI service's format
    }
    parsed.set(record, template);
  }
  return parsed.get(record)!;
}

export function answersOf(record: TemplateRecord, history: readonly Turn[]): Answer[] {
  const template = engineTemplate(record);
  if (template) return currentAnswers(template, history);
  const questions = new Map<string, string>();
  const answers = new Map<string, string>();
  for (const turn of history) {
    if (!turn.questionId) continue;
    if (turn.role === "assistant") questions.set(turn.questionId, turn.content);
    else answers.set(turn.questionId, turn.content);
  }
  return [...questions].filter(([id]) => answers.has(id)).map(([questionId, question]) => ({
    questionId,
    question,
    answer: answers.get(questionId)!,
  }));
}

/**
 * Whether an edit of `questionId` is one the template engine knows cannot count: the question
 * exists in the template but its condition fails given the current answers, so the edit would be
 * stored and ignored. False for a template the engine cannot read (the AI service decides).
 */
export function editDoesNotApply(
  record: TemplateRecord,
  history: readonly Turn[],
  questionId: string,
): boolean {
  const template = engineTemplate(record);
  if (!template) return false;
  // Only applicability is checked here: whether the content is accepted is the AI's to say.
  const check = validateEdit(template, history, { questionId, content: "x" });
  return !check.ok && check.code === "not_applicable";
}
