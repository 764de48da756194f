/**
 * The state of an interview derived from its history alone: which questions apply, the
 * current answer to each, and why the latest answer to a question was refused. History is
 * append-only, so an edit is one more user turn for a question; the latest accepted turn for
 * a question is its answer. Pure and deterministic: no I/O, no clock.
 */
import { type AnswerContext, type AnswerResult, validateAnswer } from "./answer_validation.ts";
import { todayAt } from "./date_rules.ts";
import { calendarDayIn, resolveTimeZone } from "./time_zone.ts";
import type { Turn } from "../wire/interview_turn.ts";
import type { Question, Template } from "./template.ts";

/** The current answer to one question that applies (interview v2). */
export interface Answer {
  questionId: string;
  /** The question's text as the template words it. */
  question: string;
  /** The normalised answer; "" for a skipped optional question. */
  answer: string;
}

export interface InterviewOptions {
  /**
   * Today as `YYYY-MM-DD`, for date rules naming "today" (from the request's time through
   * `todayAt`, or `calendarDayIn` with the person's time zone). Default: the day of the latest
   * turn's `at` (in `timeZone` when given, else in the earliest zone); with no turns, such
   * rules hold.
   */
  today?: string;
  /**
   * The person's IANA time zone ("Europe/Berlin"): a relative date ("tomorrow") is read against
   * the day its turn was typed there. Absent or unknown: UTC.
   */
  timeZone?: string;
}

/** The history's latest user turn, when it was accepted as the answer to a question. */
export interface LatestAnswer {
  question: Question;
  /** What was typed. */
  content: string;
  /** What was stored. */
  value: string;
}

export interface InterviewState {
  /** The questions that apply given the current answers, in template order. */
  applicable: Question[];
  /** Normalised current answers of applicable questions, by id. */
  answers: Map<string, string>;
  /** Why the latest user turn for a question was not accepted, when it was not. */
  problems: Map<string, string>;
  /** The question of the history's latest user turn, when that turn was not accepted. */
  refusedLast?: Question;
  /** The `today` the answers were checked against. */
  today?: string;
  /** The latest user turn, when it was accepted and its question applies. */
  latest?: LatestAnswer;
}

/**
 * Replays `history` against `template`. Questions are walked in order; a question applies
 * when its `when` condition holds on the current answers of the questions before it. Each
 * user turn for an applicable question is validated against those answers and today; the
 * last accepted one is the answer, and refused ones never undo it. So an edit that changes a
 * condition drops the questions that no longer apply (their turns stay in history and count
 * again if the condition comes back) and makes newly applying ones unanswered.
 *
 * A user turn without `questionId` answers the question of the latest assistant turn before
 * it; user turns for questions the template does not have are ignored.
 */
export function readInterview(
  template: Template,
  history: readonly Turn[],
  options: InterviewOptions = {},
): InterviewState {
  const today = options.today ?? todayOfHistory(history, options.timeZone);
  const { replies, last } = repliesByQuestion(history);
  const lastReply = replies.get(last ?? "")?.at(-1);
  const state: InterviewState = {
    applicable: [],
    answers: new Map(),
    problems: new Map(),
    ...(today === undefined ? {} : { today }),
  };
  const context = { answers: state.answers, questions: template.questions, today };
  for (const question of template.questions) {
    if (!conditionHolds(question, state.answers)) continue;
    state.applicable.push(question);
    let result: AnswerResult | undefined;
    let answer: string | undefined;
    for (const reply of replies.get(question.id) ?? []) {
      // Only a date reads the day it was typed; the other types skip the time-zone work.
      // A date answered before the latest user turn, refused now, was broken by a later answer
      // (an edit of the date it must follow): its problem names the conflict.
      const typed = question.type === "date"
        ? {
          ...context,
          typedOn: calendarDayIn(reply.at, options.timeZone) ?? today,
          ...(question.id === last ? {} : { conflict: true }),
        }
        : context;
      result = validateAnswer(question, reply.content, typed);
      if (result.ok) answer = result.value;
      if (reply === lastReply && result.ok) {
        state.latest = { question, content: reply.content, value: result.value };
      }
    }
    if (answer !== undefined) state.answers.set(question.id, answer);
    if (result !== undefined && !result.ok) {
      state.problems.set(question.id, result.problem);
      if (question.id === last) state.refusedLast = question;
    }
  }
  return state;
}

/**
 * The current answer to each question that applies, in question order: what a review shows.
 * A skipped optional question is listed with the answer "".
 */
export function currentAnswers(
  template: Template,
  history: readonly Turn[],
  options: InterviewOptions = {},
): Answer[] {
  const state = readInterview(template, history, options);
  return answersOf(state);
}

/** The answers of a state read by `readInterview`, in question order. */
export function answersOf(state: InterviewState): Answer[] {
  return state.applicable.flatMap((question) => {
    const answer = state.answers.get(question.id);
    return answer === undefined
      ? []
      : [{ questionId: question.id, question: question.text, answer }];
  });
}

/** The outcome of checking an edit before it is stored. */
export type EditCheck =
  | { ok: true; value: string }
  | {
    ok: false;
    /** `unknown_question`: not in the template; `not_applicable`: its condition fails. */
    code: "invalid_answer" | "unknown_question" | "not_applicable";
    problem: string;
  };

/**
 * Checks `content` as a new answer to `questionId` given the interview so far, exactly as
 * `readInterview` will once it is stored: the normalised value, or the problem with it.
 */
export function validateEdit(
  template: Template,
  history: readonly Turn[],
  edit: {
    questionId: string;
    content: string;
    /** When the edit is made (ISO); default: the latest turn's `at`. */
    at?: string;
  } & InterviewOptions,
): EditCheck {
  const question = template.questions.find((q) => q.id === edit.questionId);
  if (question === undefined) {
    return {
      ok: false,
      code: "unknown_question",
      problem: `This template has no question "${edit.questionId}".`,
    };
  }
  const state = readInterview(template, history, edit);
  if (!state.applicable.includes(question)) {
    return {
      ok: false,
      code: "not_applicable",
      problem: "This question does not apply given the other answers.",
    };
  }
  const at = edit.at ?? history.at(-1)?.at;
  const context: AnswerContext = {
    answers: state.answers,
    questions: template.questions,
    today: state.today,
    typedOn: (at === undefined ? undefined : calendarDayIn(at, edit.timeZone)) ?? state.today,
  };
  const result = validateAnswer(question, edit.content, context);
  return result.ok ? result : { ok: false, code: "invalid_answer", problem: result.problem };
}

/**
 * The day of the latest turn's `at`, the time the conversation has reached: in `timeZone` when
 * it is a known zone, otherwise in the earliest zone (`todayAt`).
 */
export function todayOfHistory(
  history: readonly Turn[],
  timeZone?: string,
): string | undefined {
  const at = history.at(-1)?.at;
  if (at !== undefined && timeZone !== undefined && resolveTimeZone(timeZone) === timeZone) {
    return calendarDayIn(at, timeZone);
  }
  const time = at === undefined ? NaN : Date.parse(at);
  // The earliest time a Date can hold is 8.64e15 ms before 1970; todayAt goes 12 hours back.
  return Number.isNaN(time) || time < -8.64e15 + 12 * 3_600_000
    ? undefined
    : todayAt(new Date(time));
}

function conditionHolds(question: Question, answers: ReadonlyMap<string, string>): boolean {
  if (question.when === undefined) return true;
  const answer = answers.get(question.when.question);
  if (answer === undefined || answer === "") return false;
  return answer.toLowerCase() === question.when.equals.trim().toLowerCase();
}

/** Each question's user replies in order, and the question of the latest user turn. */
function repliesByQuestion(history: readonly Turn[]) {
  const replies = new Map<string, Turn[]>();
  let asked: string | undefined;
  let last: string | undefined;
  for (const turn of history) {
    if (turn.role === "assistant") {
      asked = turn.questionId ?? asked;
      continue;
    }
    const id = turn.questionId ?? asked;
    last = id;
    if (id === undefined) continue;
    const list = replies.get(id) ?? [];
    list.push(turn);
    replies.set(id, list);
  }
  return { replies, last };
}
