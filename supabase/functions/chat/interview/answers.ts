/**
 * What a v2 client is shown of the answers (on resume, in review, after an edit), the session's
 * title and the position of the question asked: through the template engine when the template is
 * in its format, so that questions are listed in question order with their normalised answers,
 * the ones that no longer apply marked with the value kept for them. Otherwise (an AI service's
 * own format) the latest answer to each question asked, in the order they were first asked, and
 * no title.
 */
import { validateAnswer } from "../../_shared/template/answer_validation.ts";
import { draftTitle } from "../../_shared/template/draft_title.ts";
import {
  type InterviewState as EngineState,
  readInterview,
  validateEdit,
} from "../../_shared/template/interview_state.ts";
import { parseTemplate, type Template } from "../../_shared/template/template.ts";
import { calendarDayIn } from "../../_shared/template/time_zone.ts";
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

/** The answers, title and positions of one history, read once for one frame. */
export interface InterviewView {
  /** Every answered question in question order; `applies: false` on those that no longer do. */
  answers: Answer[];
  /** The title by the template's rule; undefined for a template the engine cannot read. */
  title?: string;
  /** The position (from 1) of a question among those that apply; undefined when it does not. */
  positionOf(questionId: string): number | undefined;
}

export function viewInterview(
  record: TemplateRecord,
  history: readonly Turn[],
  timeZone?: string,
): InterviewView {
  const template = engineTemplate(record);
  if (!template) return { answers: askedAnswers(history), positionOf: () => undefined };
  const state = readInterview(template, history, timeZone === undefined ? {} : { timeZone });
  const kept = keptAnswers(template, history, state, timeZone);
  const answers = template.questions.flatMap((question): Answer[] => {
    const applies = state.applicable.includes(question);
    const answer = applies ? state.answers.get(question.id) : kept.get(question.id);
    if (answer === undefined) return [];
    return [{
      questionId: question.id,
      question: question.text,
      answer,
      ...(applies ? {} : { applies: false }),
      ...(answer === "" ? { skipped: true } : {}),
    }];
  });
  return {
    answers,
    title: draftTitle(template, state.answers),
    positionOf: (questionId) => {
      const index = state.applicable.findIndex((question) => question.id === questionId);
      return index < 0 ? undefined : index + 1;
    },
  };
}

/**
 * The value kept for each answered question that no longer applies: its latest reply the engine
 * accepts, read against the current answers, so that it is what counts again if the condition
 * comes back.
 */
function keptAnswers(
  template: Template,
  history: readonly Turn[],
  state: EngineState,
  timeZone: string | undefined,
): Map<string, string> {
  const kept = new Map<string, string>();
  const context = { answers: state.answers, questions: template.questions, today: state.today };
  let asked: string | undefined;
  for (const turn of history) {
    if (turn.role === "assistant") {
      asked = turn.questionId ?? asked;
      continue;
    }
    const question = template.questions.find((q) => q.id === (turn.questionId ?? asked));
    if (!question || state.applicable.includes(question)) continue;
    const typedOn = calendarDayIn(turn.at, timeZone) ?? state.today;
    const result = validateAnswer(question, turn.content, { ...context, typedOn });
    if (result.ok) kept.set(question.id, result.value);
  }
  return kept;
}

/** Without the engine: the latest answer to each question asked, in the order first asked. */
function askedAnswers(history: readonly Turn[]): Answer[] {
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
