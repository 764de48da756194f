/**
 * Carries out the interview's effects through the ports, in order, and feeds each result back to
 * `step` as an event until the interview waits for the client again. The transport hands in
 * `send`, `close` and `openSession` (which registers the session for last-connection-wins); those
 * three are the only calls back into it.
 */
import { describeError, type Logger } from "../../_shared/platform/logger.ts";
import type { ServerMessage } from "../../_shared/wire/protocol.ts";
import type { Clock } from "../ports/clock.ts";
import {
  AiRejectedError,
  AiUnavailableError,
  type NextQuestionSource,
} from "../ports/next_question_source.ts";
import {
  type Claims,
  type OpenedSession,
  QuotaExceededError,
  type Review,
  type SessionStore,
  StoreUnavailableError,
  WriteRefusedError,
} from "../ports/session_store.ts";
import type {
  AiFailure,
  AsyncEffect,
  InterviewContext,
  InterviewEvent,
  InterviewFrame,
  InterviewState,
  StoreFailure,
  SyncEffect,
} from "./state.ts";
import { initialState, step } from "./step.ts";

/** Distributes Omit over a union, so each event keeps its own fields. */
type Untimed<E> = E extends unknown ? Omit<E, "at"> : never;
type EventBody = Untimed<InterviewEvent>;

export interface InterviewPorts {
  /**
   * The verified claims of the token the connection holds now: read for every call, so that after
   * a refresh the database sees the new token's claims, not the first one's.
   */
  readonly claims: Claims;
  store: Pick<
    SessionStore,
    | "loadSession"
    | "appendTurns"
    | "completeSession"
    | "loadReview"
    | "storeReview"
    | "confirmReview"
  >;
  /**
   * Opens the session. The transport orders a user's opens and answers null when a newer
   * connection of the user came first.
   */
  openSession(restart: boolean): Promise<OpenedSession | null>;
  questions: NextQuestionSource;
  clock: Clock;
  send(message: ServerMessage): void;
  close(code: number, reason: string): void;
  log: Logger;
}

/** One connection's interview. Callers run `start` and then `handle`, one at a time. */
export class InterviewRunner {
  #state: InterviewState;
  #ports: InterviewPorts;

  constructor(context: InterviewContext, ports: InterviewPorts) {
    this.#state = initialState(context);
    this.#ports = ports;
  }

  /** The session's id once it is open. */
  get sessionId(): string | undefined {
    return this.#state.sessionId ?? undefined;
  }

  /** Whether the session is open and the interview still running. */
  get active(): boolean {
    const { phase } = this.#state;
    return phase.name !== "starting" && phase.name !== "opening" && phase.name !== "closed";
  }

  /** Opens (or resumes) the session and sends what comes first. */
  start(restart: boolean): Promise<void> {
    return this.#run({ type: "connected", restart });
  }

  /** Handles one validated client frame, through every effect it leads to. */
  handle(frame: InterviewFrame): Promise<void> {
    return this.#run({ type: "frame", frame });
  }

  async #run(first: EventBody): Promise<void> {
    let body: EventBody | undefined = first;
    while (body) {
      const event: InterviewEvent = { ...body, at: this.#ports.clock.now().toISOString() };
      const { state, effects, next } = step(this.#state, event);
      this.#state = state;
      for (const effect of effects) this.#apply(effect);
      body = next ? await this.#perform(next) : undefined;
    }
  }

  #apply(effect: SyncEffect): void {
    switch (effect.kind) {
      case "send":
        return this.#ports.send(effect.message);
      case "close":
        return this.#ports.close(effect.code, effect.reason);
      case "log":
        return this.#ports.log[effect.level](effect.event, effect.fields);
    }
  }

  /** A v2 session's standing review; v1 has none. */
  async #review(session: { sessionId: string } | null): Promise<Review | null> {
    if (!session || this.#state.context.version !== "v2") return null;
    return await this.#ports.store.loadReview(this.#ports.claims, session.sessionId);
  }

  async #perform(effect: AsyncEffect): Promise<EventBody> {
    const { store } = this.#ports;
    if (effect.kind === "ask_ai") {
      try {
        return {
          type: "question_answered",
          result: await this.#ports.questions.next(effect.request),
        };
      } catch (error: unknown) {
        return { type: "ai_failed", failure: aiFailure(error) };
      }
    }
    try {
      switch (effect.kind) {
        case "open_session": {
          const session = await this.#ports.openSession(effect.restart);
          return { type: "session_opened", session, review: await this.#review(session) };
        }
        case "load_session": {
          const session = await store.loadSession(this.#ports.claims, effect.sessionId);
          const review = session && !session.isComplete
            ? await this.#review({ sessionId: effect.sessionId })
            : null;
          return { type: "session_loaded", session, review };
        }
        case "store_review":
          await store.storeReview(this.#ports.claims, effect.fence, effect.document);
          return { type: "review_stored" };
        case "confirm_review":
          return {
            type: "session_completed",
            documentId: await store.confirmReview(this.#ports.claims, effect.fence),
          };
        case "append_turns":
          return {
            type: "turns_stored",
            turnCount: await store.appendTurns(
              this.#ports.claims,
              effect.fence,
              effect.turns,
              effect.title,
            ),
          };
        case "complete_session":
          return {
            type: "session_completed",
            documentId: await store.completeSession(
              this.#ports.claims,
              effect.fence,
              effect.result,
            ),
          };
      }
    } catch (error: unknown) {
      return { type: "store_failed", failure: storeFailure(error) };
    }
  }
}

function storeFailure(error: unknown): StoreFailure {
  if (error instanceof WriteRefusedError) {
    const failure = { kind: "refused", reason: error.reason, error: describeError(error) } as const;
    if (error.reason !== "quota_exceeded") return failure;
    const wait = error instanceof QuotaExceededError ? error.retryAfterSeconds : undefined;
    return {
      ...failure,
      quota: { message: error.message, ...(wait === undefined ? {} : { retryAfterSeconds: wait }) },
    };
  }
  if (error instanceof StoreUnavailableError) {
    return { kind: "unavailable", message: error.message, error: describeError(error) };
  }
  return { kind: "failed", error: describeError(error) };
}

function aiFailure(error: unknown): AiFailure {
  const status = error instanceof AiUnavailableError || error instanceof AiRejectedError
    ? error.status
    : undefined;
  return {
    kind: error instanceof AiRejectedError ? "rejected" : "unavailable",
    status,
    error: describeError(error),
  };
}
