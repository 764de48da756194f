/**
 * One step of the interview in the making: the state being built, the effects so far and the one
 * effect to await, with what the handlers of step.ts and failures.ts do through them (send, ask,
 * store, close, log). The shape of `Step` says the rule and this class keeps it: at most one effect
 * to await, and nothing after it. Pure: no I/O.
 */
import type { DocumentOversize } from "../../_shared/document/document_size.ts";
import {
  type DocumentPreview,
  LIMITS,
  type Question,
  type ServerMessage,
  type Understood,
} from "../../_shared/wire/protocol.ts";
import type { Review, WriteFence } from "../ports/session_store.ts";
import { type InterviewView, viewInterview } from "./answers.ts";
import { type Ask, latestAnswers, pendingAsk } from "./history.ts";
import { type Close, refusals } from "./refusals.ts";
import type { AsyncEffect, InterviewState, LogLevel, Phase, Step, SyncEffect } from "./state.ts";

/** A step being built: handlers change it through these calls, then `result()` is the Step. */
export class StepDraft {
  #state: InterviewState;
  #effects: SyncEffect[] = [];
  #next: AsyncEffect | undefined;

  constructor(state: InterviewState) {
    this.#state = state;
  }

  get state(): InterviewState {
    return this.#state;
  }

  result(): Step {
    return {
      state: this.#state,
      effects: this.#effects,
      ...(this.#next ? { next: this.#next } : {}),
    };
  }

  documentTooLarge(oversize: DocumentOversize | undefined, error?: string): void {
    this.log("warn", "document_too_large", { ...oversize, ...(error ? { error } : {}) });
    this.send(refusals.documentTooLarge(oversize, this.#state.context.version));
  }

  /** Re-sends the review or the pending question, or asks the engine what comes next. */
  askOrRepeat(): void {
    const phase = this.#state.phase;
    if (phase.name === "in_review") return this.sendReview(phase.document);
    const pending = pendingAsk(this.#state.history);
    if (pending) return this.sendQuestion(pending);
    this.askNext();
  }

  askNext(): void {
    const { history, context } = this.#state;
    this.await({ name: "waiting_for_ai" }, {
      kind: "ask_ai",
      request: {
        sessionId: this.sessionId(),
        templateId: context.template.id,
        history,
        template: context.template,
        answers: latestAnswers(history),
        protocol: context.version,
        ...(this.#state.timeZone === undefined ? {} : { tz: this.#state.timeZone }),
      },
    });
  }

  /** A question as the connection's protocol shows it: v1 only its id and text. */
  sendQuestion(ask: Ask): void {
    const sessionId = this.sessionId();
    if (!this.v2) {
      const { id, text } = ask.question;
      return this.send({ type: "next_question", sessionId, question: { id, text } });
    }
    const view = this.view();
    const current = view.positionOf(ask.question.id);
    this.send({
      type: "next_question",
      sessionId,
      question: { ...ask.question, maxLength: maxLength(ask.question) },
      ...(ask.progress
        ? { progress: { ...ask.progress, ...(current === undefined ? {} : { current }) } }
        : {}),
      ...(ask.problem ? { problem: ask.problem } : {}),
      ...(ask.understood ? { understood: ask.understood } : {}),
      ...(ask.editing ? { editing: true } : {}),
      ...(ask.afterEdit ? { answers: view.answers } : {}),
      ...this.marks(view),
    });
  }

  sendReview(document: DocumentPreview, understood?: Understood): void {
    const view = this.view();
    this.send({
      type: "review",
      sessionId: this.sessionId(),
      answers: view.answers,
      document,
      ...(understood ? { understood } : {}),
      ...this.marks(view),
    });
  }

  /** The answers, title and positions of the history as it stands, read once per frame. */
  view(): InterviewView {
    const { context, history, timeZone } = this.#state;
    return viewInterview(context.template, history, timeZone);
  }

  /** What every v2 interview frame carries: the title, and the connection's generation. */
  marks(view: InterviewView): { title?: string; generation?: string } {
    const { generation } = this.#state;
    return {
      ...(view.title === undefined ? {} : { title: view.title }),
      ...(generation === null ? {} : { generation }),
    };
  }

  get v2(): boolean {
    return this.#state.context.version === "v2";
  }

  /** The phase that waits for the client: in review while a stored preview stands. */
  waitingPhase(review: Review | null): Phase {
    return review && review.turnCount === this.#state.turnCount
      ? { name: "in_review", document: review.document }
      : { name: "asking" };
  }

  /** The last write's outcome is unknown: the next frame reloads the session first. */
  unsync(): void {
    this.update({ phase: { name: "unsynced" } });
  }

  /** Stores the phase's turns; with `title`, the session's title after them, in the same call. */
  append(
    phase: Extract<Phase, { name: "storing_answer" | "storing_question" }>,
    title?: string,
  ): void {
    this.await(phase, {
      kind: "append_turns",
      fence: this.fence(),
      turns: phase.turns,
      ...(title === undefined ? {} : { title }),
    });
  }

  /** The current phase, which the table in phases.ts already guarantees is `name`. */
  phase<N extends Phase["name"]>(name: N): Extract<Phase, { name: N }> {
    const phase = this.#state.phase;
    if (phase.name !== name) throw new Error(`Expected to be ${name}, not ${phase.name}`);
    return phase as Extract<Phase, { name: N }>;
  }

  sessionId(): string {
    const { sessionId } = this.#state;
    if (sessionId === null) throw new Error("The session is not open yet");
    return sessionId;
  }

  fence(): WriteFence {
    return {
      sessionId: this.sessionId(),
      connectionId: this.#state.context.connectionId,
      expectedTurnCount: this.#state.turnCount,
    };
  }

  /** The one effect that answers with an event: after it, this step adds nothing. */
  await(phase: Phase, effect: AsyncEffect): void {
    if (this.#next) throw new Error(`A second effect to await: "${effect.kind}"`);
    this.update({ phase });
    this.#next = effect;
  }

  push(effect: SyncEffect): void {
    if (this.#next) throw new Error(`An effect after the awaited one: "${effect.kind}"`);
    this.#effects.push(effect);
  }

  send(message: ServerMessage): void {
    this.push({ kind: "send", message });
  }

  shut({ code, reason }: Close): void {
    this.update({ phase: { name: "closed" } });
    this.push({ kind: "close", code, reason });
  }

  /** A log line with the interview's fields; the open's failure has no session yet. */
  log(level: LogLevel, event: string, fields: Record<string, unknown> = {}, withSession = true) {
    const { context, sessionId } = this.#state;
    this.push({
      kind: "log",
      level,
      event,
      fields: {
        ...(withSession ? { sessionId } : {}),
        userId: context.userId,
        connectionId: context.connectionId,
        templateId: context.template.id,
        ...fields,
      },
    });
  }

  update(changes: Partial<InterviewState>): void {
    this.#state = { ...this.#state, ...changes };
  }
}

/** The longest answer a question takes, from the one table of limits. */
function maxLength(question: Question): number {
  return question.type === "short_text" ? LIMITS.maxShortAnswerChars : LIMITS.maxAnswerChars;
}
