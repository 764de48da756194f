/**
 * The interview as a pure state machine: `step(state, event)` returns the next state and the
 * effects to carry out, in order. No await, no I/O, no clock: time comes in the event. Every turn
 * is stored before it is acted on; the database fences each write by connection and turn count,
 * so the state may hold a stale copy of the history and still never corrupt it.
 */
import {
  CloseCode,
  type DocumentPreview,
  LIMITS,
  type ServerMessage,
  type Turn,
} from "../../_shared/wire/protocol.ts";
import { type DocumentOversize, documentOversize } from "../../_shared/document/document_size.ts";
import type { SourcedResult } from "../ports/next_question_source.ts";
import type { LoadedSession, OpenedSession, Review } from "../ports/session_store.ts";
import { answersOf, editDoesNotApply } from "./answers.ts";
import { documentTooLargeMessage } from "./document_refusal.ts";
import { answerFits } from "./session_limits.ts";
import {
  type Ask,
  hasAnswer,
  latestAnswers,
  pendingAsk,
  pendingQuestion,
  wasAsked,
} from "./history.ts";
import type {
  AiFailure,
  Awaiting,
  Effect,
  InterviewContext,
  InterviewEvent,
  InterviewFrame,
  InterviewState,
  LogLevel,
  Step,
  StoreFailure,
} from "./state.ts";

/** The refusals of what a write would store, as opposed to whether it may write at all. */
type StoredContentRefusal =
  | "too_large"
  | "unsupported_format"
  | "invisible_character"
  | "no_answer"
  | "malformed";

export function initialState(context: InterviewContext): InterviewState {
  return {
    context,
    sessionId: "",
    history: [],
    turnCount: 0,
    stale: false,
    review: null,
    awaiting: null,
    closed: false,
  };
}

/** Whether a v2 interview is in review: its preview stands while the history is unchanged. */
export function inReview(state: InterviewState): boolean {
  return state.review !== null && state.review.turnCount === state.turnCount;
}

export function step(state: InterviewState, event: InterviewEvent): Step {
  if (state.closed) return { state, effects: [] };
  const machine = new Machine(state);
  switch (event.type) {
    case "connected":
      machine.await({ for: "open" }, { kind: "open_session", restart: event.restart });
      break;
    case "frame":
      machine.onFrame(event.frame, event.at);
      break;
    case "session_opened":
      machine.onOpened(event.session, event.review ?? null);
      break;
    case "session_loaded":
      machine.onLoaded(event.session, event.review ?? null, event.at);
      break;
    case "review_stored":
      machine.onReviewStored();
      break;
    case "turns_stored":
      machine.onStored(event.turnCount);
      break;
    case "question_answered":
      machine.onQuestion(event.result, event.at);
      break;
    case "session_completed":
      machine.onCompleted(event.documentId);
      break;
    case "store_failed":
      machine.onStoreFailed(event.failure);
      break;
    case "ai_failed":
      machine.onAiFailed(event.failure);
      break;
  }
  return machine.result();
}

/** One step's working copy: the state being built and the effects so far. */
class Machine {
  #state: InterviewState;
  #effects: Effect[] = [];

  constructor(state: InterviewState) {
    this.#state = state;
  }

  result(): Step {
    return { state: this.#state, effects: this.#effects };
  }

  onFrame(frame: InterviewFrame, at: string): void {
    if (this.#state.awaiting) {
      throw new Error(`A frame arrived while waiting for "${this.#state.awaiting.for}"`);
    }
    if (this.#state.stale) {
      return this.await({ for: "reload", frame }, {
        kind: "load_session",
        sessionId: this.#state.sessionId,
      });
    }
    this.#handle(frame, at);
  }

  /** Sends what a new or resumed session needs: the history, then the pending question. */
  onOpened(opened: OpenedSession | null, review: Review | null): void {
    if (!opened) return this.#shut(CloseCode.superseded, "superseded by a newer connection");
    this.#update({
      sessionId: opened.sessionId,
      history: opened.history,
      turnCount: opened.turnCount,
      review,
      awaiting: null,
    });
    if (opened.created) {
      this.#log("info", "session_created");
    } else {
      this.#log("info", "session_resumed", { turns: opened.turnCount });
      this.#send({
        type: "session_resumed",
        sessionId: opened.sessionId,
        history: [...opened.history],
        ...(this.#v2 ? { answers: this.#answers() } : {}),
      });
    }
    this.#askOrRepeat();
  }

  onLoaded(loaded: LoadedSession | null, review: Review | null, at: string): void {
    const awaiting = this.#take("reload");
    if (loaded?.isComplete && loaded.documentId) {
      // Completed, but the acknowledgement was lost with the database connection: say so now.
      this.#send({
        type: "session_complete",
        sessionId: this.#state.sessionId,
        documentId: loaded.documentId,
      });
      return this.#shut(CloseCode.complete, "interview complete");
    }
    if (!loaded || loaded.isComplete || loaded.ownedBy !== this.#state.context.connectionId) {
      return this.#shut(CloseCode.superseded, "superseded by a newer connection");
    }
    this.#update({
      history: loaded.history,
      turnCount: loaded.turnCount,
      review,
      stale: false,
    });
    this.#handle(awaiting.frame, at);
  }

  onStored(turnCount: number): void {
    const awaiting = this.#state.awaiting;
    if (awaiting?.for !== "answer_stored" && awaiting?.for !== "question_stored") {
      throw new Error(`Turns were stored while waiting for "${awaiting?.for}"`);
    }
    this.#update({
      history: [...this.#state.history, ...awaiting.turns],
      turnCount,
      stale: false,
      awaiting: null,
    });
    if (awaiting.for === "answer_stored") return this.#askNext();
    this.#sendQuestion(awaiting.ask);
  }

  onReviewStored(): void {
    const { document } = this.#take("review_stored");
    this.#update({ review: { document, turnCount: this.#state.turnCount } });
    this.#sendReview(document);
  }

  onQuestion(result: SourcedResult, at: string): void {
    this.#take("question");
    if (result.status === "in_progress") {
      const { id, text, problem, ...details } = result.nextQuestion;
      // A v1 turn stays as it always was; a v2 turn keeps what a resumed v2 client is told.
      const v2 = this.#v2
        ? {
          ...(Object.keys(details).length > 0 ? { details } : {}),
          ...(result.progress ? { progress: result.progress } : {}),
          ...(problem ? { problem } : {}),
        }
        : {};
      const turn: Turn = {
        role: "assistant",
        content: text,
        questionId: id,
        at,
        source: result.source,
        ...v2,
      };
      const ask: Ask = pendingAsk([turn])!;
      return this.#append([turn], { for: "question_stored", turns: [turn], ask });
    }
    // Refused before anything is stored: the one maximum of a stored document.
    const oversize = "document" in result ? documentOversize(result.document) : undefined;
    if (oversize) return this.#documentTooLarge(oversize);
    if (this.#v2 && "document" in result) {
      // v2 opens the review: the preview is stored with the session, nothing is generated yet.
      const document: DocumentPreview = { ...result.document };
      return this.await({ for: "review_stored", document }, {
        kind: "store_review",
        fence: this.#fence(),
        document,
      });
    }
    this.await({ for: "completion" }, {
      kind: "complete_session",
      fence: this.#fence(),
      result: "document" in result
        ? { document: result.document }
        : { documentId: result.documentId },
    });
  }

  onCompleted(documentId: string): void {
    this.#take("completion");
    this.#log("info", "session_completed", { documentId });
    this.#send({ type: "session_complete", sessionId: this.#state.sessionId, documentId });
    this.#shut(CloseCode.complete, "interview complete");
  }

  onStoreFailed(failure: StoreFailure): void {
    const during = this.#state.awaiting?.for;
    this.#update({ awaiting: null });
    if (during === "open") return this.#openFailed(failure);
    if (failure.kind === "refused") {
      switch (failure.reason) {
        case "conflict":
          this.#update({ stale: true });
          return this.#sendError(
            "conflict",
            "The session changed elsewhere; send the message again",
            true,
          );
        case "superseded":
        case "closed":
          return this.#shut(CloseCode.superseded, "superseded by a newer connection");
        case "no_user":
          // The user was deleted mid-interview: their token no longer opens anything.
          return this.#shut(CloseCode.unauthorized, "unauthorized");
        case "not_in_review":
          this.#update({ stale: true });
          return this.#notInReview();
        case "document_too_large":
          this.#update({ stale: true });
          return this.#documentTooLarge(undefined, failure.error);
        case "quota_exceeded":
          // Refused whole, so nothing changed: the session stays open (in review) as it was.
          return this.#quotaExceeded(failure);
        case "too_large":
        case "unsupported_format":
        case "invisible_character":
        case "no_answer":
        case "malformed":
          return this.#notStored(failure.reason, failure.error, during);
        default:
          this.#log("error", "write_refused", { reason: failure.reason });
          return this.#shut(CloseCode.internalError, "session unavailable");
      }
    }
    if (failure.kind === "unavailable") {
      this.#update({ stale: true });
      this.#log("warn", "store_unavailable", { error: failure.message });
      return this.#sendError(
        "storage_unavailable",
        "Your answer could not be saved right now; send it again",
        true,
      );
    }
    this.#log("error", "interview_failed", { error: failure.error });
    this.#shut(CloseCode.internalError, "internal error");
  }

  onAiFailed(failure: AiFailure): void {
    this.#take("question");
    this.#log("warn", "ai_error", { status: failure.status, error: failure.error });
    if (failure.kind === "rejected") {
      return this.#sendError(
        "ai_rejected",
        "The question service refused the request; your answers are saved",
        false,
      );
    }
    this.#sendError(
      "ai_unavailable",
      'The question service is unavailable; your answers are saved. Send {"type":"retry"}',
      true,
    );
  }

  await(awaiting: Awaiting, effect: Effect): void {
    this.#update({ awaiting });
    this.#effects.push(effect);
  }

  #handle(frame: InterviewFrame, at: string): void {
    switch (frame.type) {
      case "user_message":
        return this.#answer(frame, at);
      case "retry":
        return this.#askOrRepeat();
      case "ping":
        return this.#send({ type: "pong", ...(frame.id ? { id: frame.id } : {}) });
      case "edit_answer":
        return this.#edit(frame, at);
      case "confirm":
        return this.#confirm();
    }
  }

  /** v2: a new turn for a question already asked; what comes next is the AI's to say. */
  #edit(edit: Extract<InterviewFrame, { type: "edit_answer" }>, at: string): void {
    const { history } = this.#state;
    if (edit.clientMessageId && hasAnswer(history, edit.clientMessageId)) {
      this.#log("debug", "answer_resent");
      return this.#askOrRepeat();
    }
    if (!wasAsked(history, edit.questionId)) {
      return this.#sendError(
        "unknown_question",
        `Question "${edit.questionId}" was never asked in this interview`,
        false,
      );
    }
    if (editDoesNotApply(this.#state.context.template, history, edit.questionId)) {
      // Stored, it would change nothing the user sees: say so and store nothing.
      return this.#sendError(
        "question_not_applicable",
        `Question "${edit.questionId}" does not apply given your other answers; ` +
          "change the answer it depends on first",
        false,
      );
    }
    const turn: Turn = {
      role: "user",
      content: edit.content,
      questionId: edit.questionId,
      at,
      edit: true,
      ...(edit.clientMessageId ? { clientMessageId: edit.clientMessageId } : {}),
    };
    if (!answerFits(history, turn)) return this.#sessionFull();
    this.#append([turn], { for: "answer_stored", turns: [turn] });
  }

  /** v2: stores exactly the previewed document; only in review. */
  #confirm(): void {
    if (!inReview(this.#state)) return this.#notInReview();
    this.await({ for: "completion" }, { kind: "confirm_review", fence: this.#fence() });
  }

  /** The session holds as many turns or bytes as it may: nothing more is stored. */
  #sessionFull(): void {
    this.#sendError(
      "session_full",
      `This interview is full: it holds at most ${LIMITS.maxSessionTurns} messages and ` +
        `${LIMITS.maxSessionHistoryBytes.toLocaleString("en-US")} bytes, so this answer was not ` +
        "saved. Your earlier answers are kept; reconnect with restart=1 to start over",
      false,
    );
  }

  /** What the database refused to store; the chat checks all of it first, so this is rare. */
  #notStored(reason: StoredContentRefusal, error: string, during: Awaiting["for"] | undefined) {
    this.#update({ stale: true });
    this.#log("warn", "write_refused", { reason, error });
    if (during === "completion" || during === "review_stored") return this.#documentRefused(reason);
    if (reason === "too_large") return this.#sessionFull();
    this.#sendError(
      "message_refused",
      "This step of the interview could not be saved because it is malformed. " +
        'Your answers so far are kept; send {"type":"retry"} to ask again',
      false,
    );
  }

  #documentRefused(reason: StoredContentRefusal): void {
    const why = {
      too_large: "the interview's history is full",
      unsupported_format: "it is not Markdown",
      invisible_character:
        "it holds an invisible or control character that changes how it displays",
      no_answer: "no question has been answered yet",
      malformed: "it has no title or no content",
    }[reason];
    this.#sendError(
      "document_refused",
      `The finished document could not be saved: ${why}. Your answers are kept`,
      false,
    );
  }

  /** Over the maximum: nothing stored, the socket stays open, the message says what to do. */
  #documentTooLarge(oversize: DocumentOversize | undefined, error?: string): void {
    this.#log("warn", "document_too_large", { ...oversize, ...(error ? { error } : {}) });
    this.#sendError(
      "document_too_large",
      documentTooLargeMessage(oversize, this.#state.context.version),
      false,
    );
  }

  /** The error frame of a quota: the database's sentence says which quota and when to retry. */
  #quotaExceeded(failure: Extract<StoreFailure, { kind: "refused" }>, withSession = true): void {
    const wait = failure.quota?.retryAfterSeconds;
    this.#log("warn", "quota_exceeded", { error: failure.error }, withSession);
    this.#send({
      type: "error",
      code: "quota_exceeded",
      message: failure.quota?.message ??
        "You have reached a limit of this service; try again later",
      retryable: wait !== undefined,
      ...(wait !== undefined ? { retryAfterSeconds: wait } : {}),
    });
  }

  #notInReview(): void {
    this.#sendError(
      "not_in_review",
      "There is nothing to confirm yet: the interview is not in review",
      false,
    );
  }

  #answer(message: Extract<InterviewFrame, { type: "user_message" }>, at: string): void {
    const { history } = this.#state;
    if (message.clientMessageId && hasAnswer(history, message.clientMessageId)) {
      // A resend of an answer already stored: answer it the same way, store nothing.
      this.#log("debug", "answer_resent");
      return this.#askOrRepeat();
    }
    const pending = pendingQuestion(history);
    if (!pending && inReview(this.#state)) {
      return this.#sendError(
        "no_pending_question",
        "Every question is answered: confirm the document, or edit an answer",
        false,
      );
    }
    if (!pending) {
      return this.#sendError(
        "no_pending_question",
        'No question is waiting for an answer; send {"type":"retry"} to ask for it',
        true,
      );
    }
    if (message.questionId !== undefined && message.questionId !== pending.id) {
      return this.#sendError(
        "stale_question",
        `Question "${message.questionId}" is no longer pending; "${pending.id}" is`,
        false,
      );
    }
    const turn: Turn = {
      role: "user",
      content: message.content,
      questionId: pending.id,
      at,
      ...(message.clientMessageId ? { clientMessageId: message.clientMessageId } : {}),
    };
    if (!answerFits(history, turn)) return this.#sessionFull();
    this.#append([turn], { for: "answer_stored", turns: [turn] });
  }

  /** Re-sends the review or the pending question, or asks the engine what comes next. */
  #askOrRepeat(): void {
    if (this.#v2 && inReview(this.#state)) return this.#sendReview(this.#state.review!.document);
    const pending = pendingAsk(this.#state.history);
    if (pending) return this.#sendQuestion(pending);
    this.#askNext();
  }

  #askNext(): void {
    const { sessionId, history, context } = this.#state;
    this.await({ for: "question" }, {
      kind: "ask_ai",
      request: {
        sessionId,
        templateId: context.template.id,
        history,
        template: context.template,
        answers: latestAnswers(history),
        protocol: context.version,
      },
    });
  }

  /** A question as the connection's protocol shows it: v1 only its id and text. */
  #sendQuestion(ask: Ask): void {
    const { sessionId } = this.#state;
    if (!this.#v2) {
      const { id, text } = ask.question;
      return this.#send({ type: "next_question", sessionId, question: { id, text } });
    }
    this.#send({
      type: "next_question",
      sessionId,
      question: ask.question,
      ...(ask.progress ? { progress: ask.progress } : {}),
      ...(ask.problem ? { problem: ask.problem } : {}),
    });
  }

  #sendReview(document: DocumentPreview): void {
    this.#send({
      type: "review",
      sessionId: this.#state.sessionId,
      answers: this.#answers(),
      document,
    });
  }

  #answers() {
    return answersOf(this.#state.context.template, this.#state.history);
  }

  get #v2(): boolean {
    return this.#state.context.version === "v2";
  }

  #append(turns: Turn[], awaiting: Awaiting): void {
    // Until the database confirms, the outcome is unknown.
    this.#update({ stale: true });
    this.await(awaiting, { kind: "append_turns", fence: this.#fence(), turns });
  }

  #openFailed(failure: StoreFailure): void {
    if (failure.kind === "refused" && failure.reason === "quota_exceeded") {
      // Past a quota no reconnect helps before the wait: a 45xx close tells clients not to.
      this.#quotaExceeded(failure, false);
      return this.#shut(CloseCode.quotaExceeded, "quota exceeded");
    }
    this.#log("error", "session_open_failed", { error: failure.error }, false);
    if (failure.kind === "refused" && failure.reason === "no_user") {
      return this.#shut(CloseCode.unauthorized, "unauthorized");
    }
    if (failure.kind === "refused" && failure.reason === "superseded") {
      return this.#shut(CloseCode.superseded, "superseded by a newer connection");
    }
    this.#shut(CloseCode.internalError, "internal error");
  }

  #take<F extends Awaiting["for"]>(expected: F): Extract<Awaiting, { for: F }> {
    const awaiting = this.#state.awaiting;
    if (awaiting?.for !== expected) {
      throw new Error(`Expected to wait for "${expected}", not "${awaiting?.for}"`);
    }
    this.#update({ awaiting: null });
    return awaiting as Extract<Awaiting, { for: F }>;
  }

  #fence() {
    return {
      sessionId: this.#state.sessionId,
      connectionId: this.#state.context.connectionId,
      expectedTurnCount: this.#state.turnCount,
    };
  }

  #send(message: ServerMessage): void {
    this.#effects.push({ kind: "send", message });
  }

  #sendError(code: string, message: string, retryable: boolean): void {
    this.#send({ type: "error", code, message, retryable });
  }

  #shut(code: number, reason: string): void {
    this.#update({ closed: true, awaiting: null });
    this.#effects.push({ kind: "close", code, reason });
  }

  /** A log line with the interview's fields; the open's failure has no session yet. */
  #log(level: LogLevel, event: string, fields: Record<string, unknown> = {}, withSession = true) {
    const { context, sessionId } = this.#state;
    this.#effects.push({
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

  #update(changes: Partial<InterviewState>): void {
    this.#state = { ...this.#state, ...changes };
  }
}
