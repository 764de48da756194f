/**
 * One step of the interview in the making: the state being built, the effects so far and the one
 * effect to await, with what the handlers of step.ts and failures.ts do through them (send, ask,
 * store, close, log). The shape of `Step` says the rule and this class keeps it: at most one effect
 * to await, and nothing after it. Pure: no I/O.
 */
import type { DocumentOversize } from "../../_shared/document/document_size.ts";
import type { DocumentPreview, ServerMessage } from "../../_shared/wire/protocol.ts";
import type { Review, WriteFence } from "../ports/session_store.ts";
import { answersOf } from "./answers.ts";
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
    this.send({
      type: "next_question",
      sessionId,
      question: ask.question,
      ...(ask.progress ? { progress: ask.progress } : {}),
      ...(ask.problem ? { problem: ask.problem } : {}),
    });
  }

  sendReview(document: DocumentPreview): void {
    this.send({
      type: "review",
      sessionId: this.sessionId(),
      answers: this.answers(),
      document,
    });
  }

  answers() {
    return answersOf(this.#state.context.template, this.#state.history);
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

  append(phase: Extract<Phase, { name: "storing_answer" | "storing_question" }>): void {
    this.await(phase, { kind: "append_turns", fence: this.fence(), turns: phase.turns });
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
