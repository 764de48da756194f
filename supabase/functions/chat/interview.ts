import type { Logger } from "../_shared/platform/logger.ts";
import { describeError } from "../_shared/platform/logger.ts";
import {
  AiRejectedError,
  AiUnavailableError,
  type NextQuestionSource,
  type SourcedResult,
  type TemplateRecord,
} from "./adapters/http_next_question_source.ts";
import {
  type ClientFrame,
  CloseCode,
  type ServerMessage,
  type UserMessage,
} from "../_shared/wire/protocol.ts";
import {
  type Claims,
  type OpenedSession,
  type SessionStore,
  StoreUnavailableError,
  WriteRefusedError,
} from "./adapters/postgres_session_store.ts";
import { hasAnswer, pendingQuestion, type Turn } from "../_shared/wire/turns.ts";

/** What an interview needs from the outside world; the transport supplies send and close. */
export interface InterviewPorts {
  store: SessionStore;
  questions: NextQuestionSource;
  now: () => Date;
  send: (message: ServerMessage) => void;
  close: (code: number, reason: string) => void;
  log: Logger;
}

export interface InterviewContext {
  claims: Claims;
  userId: string;
  connectionId: string;
  template: TemplateRecord;
}

/**
 * One connection's interview: what to persist and what to send, in order. Every turn is stored
 * before it is acted on; the database fences each write by connection and turn count, so this
 * object may hold a stale copy of the history and still never corrupt it.
 */
export class Interview {
  #ports: InterviewPorts;
  #context: InterviewContext;
  #sessionId = "";
  #history: Turn[] = [];
  #turnCount = 0;
  #stale = false;
  #closed = false;

  constructor(ports: InterviewPorts, context: InterviewContext) {
    this.#ports = ports;
    this.#context = context;
  }

  get sessionId(): string {
    return this.#sessionId;
  }

  get isOpen(): boolean {
    return !this.#closed;
  }

  /** Sends what a new or resumed session needs: the history, then the pending question. */
  async start(opened: OpenedSession): Promise<void> {
    this.#sessionId = opened.sessionId;
    this.#history = opened.history;
    this.#turnCount = opened.turnCount;
    const { log } = this.#ports;
    if (opened.created) {
      log.info("session_created", this.#logFields());
    } else {
      log.info("session_resumed", { ...this.#logFields(), turns: opened.turnCount });
      this.#send({ type: "session_resumed", sessionId: this.#sessionId, history: this.#history });
    }
    try {
      await this.#askOrRepeat();
    } catch (error: unknown) {
      this.#onFailure(error);
    }
  }

  /** Handles one validated client frame. Callers must not run two at once. */
  async handle(frame: ClientFrame): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.#stale) await this.#reload();
      if (this.#closed) return;
      switch (frame.type) {
        case "user_message":
          return await this.#answer(frame);
        case "retry":
          return await this.#askOrRepeat();
        case "ping":
          return this.#send({ type: "pong", ...(frame.id ? { id: frame.id } : {}) });
        case "refresh_token":
          // Token refresh is handled by the transport, which owns the connection's identity.
          return;
      }
    } catch (error: unknown) {
      this.#onFailure(error);
    }
  }

  async #answer(message: UserMessage): Promise<void> {
    if (message.clientMessageId && hasAnswer(this.#history, message.clientMessageId)) {
      // A resend of an answer already stored: answer it the same way, store nothing.
      this.#ports.log.debug("answer_resent", this.#logFields());
      return await this.#askOrRepeat();
    }
    const pending = pendingQuestion(this.#history);
    if (!pending) {
      return this.#send({
        type: "error",
        code: "no_pending_question",
        message: 'No question is waiting for an answer; send {"type":"retry"} to ask for it',
        retryable: true,
      });
    }
    if (message.questionId !== undefined && message.questionId !== pending.id) {
      return this.#send({
        type: "error",
        code: "stale_question",
        message: `Question "${message.questionId}" is no longer pending; "${pending.id}" is`,
        retryable: false,
      });
    }
    const turn: Turn = {
      role: "user",
      content: message.content,
      questionId: pending.id,
      at: this.#ports.now().toISOString(),
      ...(message.clientMessageId ? { clientMessageId: message.clientMessageId } : {}),
    };
    await this.#append([turn]);
    await this.#askNext();
  }

  /** Re-sends the pending question, or asks the engine for one when none is pending. */
  async #askOrRepeat(): Promise<void> {
    const pending = pendingQuestion(this.#history);
    if (pending) {
      return this.#send({ type: "next_question", sessionId: this.#sessionId, question: pending });
    }
    await this.#askNext();
  }

  async #askNext(): Promise<void> {
    let result: SourcedResult;
    try {
      result = await this.#ports.questions.next({
        sessionId: this.#sessionId,
        templateId: this.#context.template.id,
        history: this.#history,
        template: this.#context.template,
      });
    } catch (error: unknown) {
      return this.#onAiFailure(error);
    }
    if (this.#closed) return;

    if (result.status === "in_progress") {
      const question = result.nextQuestion;
      await this.#append([{
        role: "assistant",
        content: question.text,
        questionId: question.id,
        at: this.#ports.now().toISOString(),
        source: result.source,
      }]);
      this.#send({ type: "next_question", sessionId: this.#sessionId, question });
      return;
    }

    const documentId = await this.#ports.store.completeSession(
      this.#context.claims,
      this.#fence(),
      [],
      "document" in result ? { document: result.document } : { documentId: result.documentId },
    );
    this.#ports.log.info("session_completed", { ...this.#logFields(), documentId });
    this.#send({ type: "session_complete", sessionId: this.#sessionId, documentId });
    this.#shut(CloseCode.complete, "interview complete");
  }

  async #append(turns: Turn[]): Promise<void> {
    this.#stale = true; // until the database confirms, the outcome is unknown
    this.#turnCount = await this.#ports.store.appendTurns(
      this.#context.claims,
      this.#fence(),
      turns,
    );
    this.#history = [...this.#history, ...turns];
    this.#stale = false;
  }

  async #reload(): Promise<void> {
    const loaded = await this.#ports.store.loadSession(this.#context.claims, this.#sessionId);
    if (loaded?.isComplete && loaded.documentId) {
      // Completed, but the acknowledgement was lost with the database connection: say so now.
      this.#send({
        type: "session_complete",
        sessionId: this.#sessionId,
        documentId: loaded.documentId,
      });
      this.#shut(CloseCode.complete, "interview complete");
      return;
    }
    if (!loaded || loaded.isComplete || loaded.ownedBy !== this.#context.connectionId) {
      this.#shut(CloseCode.superseded, "superseded by a newer connection");
      return;
    }
    this.#history = loaded.history;
    this.#turnCount = loaded.turnCount;
    this.#stale = false;
  }

  #fence() {
    return {
      sessionId: this.#sessionId,
      connectionId: this.#context.connectionId,
      expectedTurnCount: this.#turnCount,
    };
  }

  #onAiFailure(error: unknown): void {
    const status = error instanceof AiUnavailableError || error instanceof AiRejectedError
      ? error.status
      : undefined;
    this.#ports.log.warn("ai_error", { ...this.#logFields(), status, error: describeError(error) });
    if (error instanceof AiRejectedError) {
      return this.#send({
        type: "error",
        code: "ai_rejected",
        message: "The question service refused the request; your answers are saved",
        retryable: false,
      });
    }
    this.#send({
      type: "error",
      code: "ai_unavailable",
      message: 'The question service is unavailable; your answers are saved. Send {"type":"retry"}',
      retryable: true,
    });
  }

  #onFailure(error: unknown): void {
    if (error instanceof WriteRefusedError) {
      if (error.reason === "conflict") {
        this.#stale = true;
        return this.#send({
          type: "error",
          code: "conflict",
          message: "The session changed elsewhere; send the message again",
          retryable: true,
        });
      }
      if (error.reason === "superseded" || error.reason === "closed") {
        return this.#shut(CloseCode.superseded, "superseded by a newer connection");
      }
      if (error.reason === "no_user") {
        // The user was deleted mid-interview: their token no longer opens anything.
        return this.#shut(CloseCode.unauthorized, "unauthorized");
      }
      this.#ports.log.error("write_refused", { ...this.#logFields(), reason: error.reason });
      return this.#shut(CloseCode.internalError, "session unavailable");
    }
    if (error instanceof StoreUnavailableError) {
      this.#stale = true;
      this.#ports.log.warn("store_unavailable", { ...this.#logFields(), error: error.message });
      return this.#send({
        type: "error",
        code: "storage_unavailable",
        message: "Your answer could not be saved right now; send it again",
        retryable: true,
      });
    }
    this.#ports.log.error("interview_failed", {
      ...this.#logFields(),
      error: describeError(error),
    });
    this.#shut(CloseCode.internalError, "internal error");
  }

  #send(message: ServerMessage): void {
    if (!this.#closed) this.#ports.send(message);
  }

  #shut(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ports.close(code, reason);
  }

  #logFields() {
    return {
      sessionId: this.#sessionId,
      userId: this.#context.userId,
      connectionId: this.#context.connectionId,
      templateId: this.#context.template.id,
    };
  }
}
