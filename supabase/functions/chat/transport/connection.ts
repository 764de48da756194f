/**
 * One WebSocket's lifetime: the frame guard, the ordered queue of frames, token expiry and
 * refresh, registration for last-connection-wins, and the hand-off of each frame to the
 * interview. The interview gets `send`, `close` and `openSession` and never sees the socket.
 *
 * A connection is one object: its state in fields, its steps as methods, and itself as the
 * socket's listener (`handleEvent`) and the interview's ports. An idle session is held for as
 * long as its socket is open, and a closure per step cost each one about a kilobyte of heap
 * (BENCHMARKS.md, "Idle memory").
 */
import { describeError, type Logger } from "../../_shared/platform/logger.ts";
import {
  TokenError,
  type TokenVerifier,
  type VerifiedToken,
} from "../../_shared/platform/token_verifier.ts";
import { CloseCode } from "../../_shared/wire/close_codes.ts";
import { type ProtocolVersion, type ServerMessage } from "../../_shared/wire/protocol.ts";
import { parseClientFrame } from "../codec/client_frame.ts";
import { type InterviewPorts, InterviewRunner } from "../interview/runner.ts";
import type { Clock } from "../ports/clock.ts";
import type { NextQuestionSource } from "../ports/next_question_source.ts";
import type { OpenedSession, SessionStore, TemplateRecord } from "../ports/session_store.ts";
import type { ConnectionRegistry, RegisteredConnection } from "./connection_registry.ts";
import type { Deadlines } from "./deadlines.ts";
import { FrameGuard } from "./frame_guard.ts";

/** What a connection needs from its process: the ports, and the process-wide bookkeeping. */
export interface ConnectionDeps {
  verifier: TokenVerifier;
  store: SessionStore;
  questions: NextQuestionSource;
  clock: Clock;
  log: Logger;
  registry: ConnectionRegistry;
  /** The tokens' expiries, one timer for every connection: closes each as its token expires. */
  tokenExpiries: Deadlines<RegisteredConnection>;
  /** Runs a user's session opens of this process one after another, in arrival order. */
  openInOrder<T>(userId: string, work: () => Promise<T>): Promise<T>;
  /** The newest claim of this user another instance made while this one was opening, if any. */
  takeClaimHeard(userId: string): bigint | undefined;
  /** Counts a frame's work as in flight, so a drain can wait for it. */
  track(work: Promise<unknown>): void;
  /** Keeps the hosting runtime alive while a socket is open (EdgeRuntime.waitUntil). */
  keepAlive?: (until: Promise<unknown>) => void;
  onClosed(connection: RegisteredConnection): void;
  /** Whether the process is draining: a socket that opens then is sent elsewhere at once. */
  draining(): boolean;
}

export interface AcceptedConnection {
  version: ProtocolVersion;
  identity: VerifiedToken;
  template: TemplateRecord;
  restart: boolean;
  /** A reconnect's last generation: its claim is refused when a newer one came since. */
  heldGeneration?: bigint;
  /** The client's IANA time zone from the connect URL (`tz`), when known. */
  timeZone?: string;
  /** The open draft the connect URL names (`sessionId`), to continue rather than the newest. */
  sessionHint?: string;
  /** `draft=new`: the first open starts a draft beside the open ones. */
  newDraft?: boolean;
}

export function serveConnection(
  socket: WebSocket,
  accepted: AcceptedConnection,
  deps: ConnectionDeps,
): void {
  new ServedConnection(socket, accepted, deps);
}

/** A frame queue that has nothing in it: where every connection's queue starts. */
const SETTLED: Promise<void> = Promise.resolve();

/** Which draft an open claims: the handshake's hint or a new one, then the session it holds. */
type DraftChoice = { sessionId?: string; newDraft?: boolean };

class ServedConnection implements RegisteredConnection, InterviewPorts, EventListenerObject {
  readonly connectionId = crypto.randomUUID();
  readonly #socket: WebSocket;
  readonly #deps: ConnectionDeps;
  readonly #version: ProtocolVersion;
  readonly #template: TemplateRecord;
  readonly #restart: boolean;
  readonly #heldGeneration: bigint | undefined;
  readonly #openedAt = performance.now();
  readonly #guard = new FrameGuard();
  readonly #interview: InterviewRunner;
  #identity: VerifiedToken;
  #closeCode: number | undefined;
  #closed = false;
  #generation: bigint | undefined;
  #draft: DraftChoice;
  /** Frames are handled strictly in order: each waits for the one before it. */
  #queue = SETTLED;
  #resolveClosed: (() => void) | undefined;

  constructor(socket: WebSocket, accepted: AcceptedConnection, deps: ConnectionDeps) {
    this.#socket = socket;
    this.#deps = deps;
    this.#version = accepted.version;
    this.#template = accepted.template;
    this.#restart = accepted.restart;
    this.#heldGeneration = accepted.heldGeneration;
    this.#identity = accepted.identity;
    // Which draft the first open claims (the handshake's hint or a new one); later opens (a
    // restart, a reload) claim the session this connection holds.
    this.#draft = {
      ...(accepted.sessionHint === undefined ? {} : { sessionId: accepted.sessionHint }),
      ...(accepted.newDraft ? { newDraft: true } : {}),
    };
    this.#interview = new InterviewRunner(
      {
        userId: this.#identity.userId,
        connectionId: this.connectionId,
        template: accepted.template,
        version: accepted.version,
        ...(accepted.timeZone === undefined ? {} : { timeZone: accepted.timeZone }),
      },
      this,
    );
    if (deps.keepAlive) {
      deps.keepAlive(new Promise<void>((resolve) => (this.#resolveClosed = resolve)));
    }
    // Open fires once; its listener goes once it has.
    socket.addEventListener("open", this, { once: true });
    socket.addEventListener("message", this);
    socket.addEventListener("close", this);
    socket.addEventListener("error", this);
  }

  // RegisteredConnection

  get userId(): string {
    return this.#identity.userId;
  }

  get active(): boolean {
    return this.#interview.active;
  }

  get generation(): bigint | undefined {
    return this.#generation;
  }

  get sessionId(): string | undefined {
    return this.#interview.sessionId || undefined;
  }

  close(code: number, reason: string): void {
    if (this.#closeCode !== undefined) return;
    this.#closeCode = code;
    // Closing from inside a message handler while more frames are buffered makes Deno drop
    // the connection without the close frame; deferring one tick keeps the handshake clean.
    setTimeout(() => {
      const socket = this.#socket;
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close(code, reason);
      }
    }, 0);
  }

  // InterviewPorts

  get claims(): Record<string, unknown> {
    return this.#identity.claims;
  }

  get store(): SessionStore {
    return this.#deps.store;
  }

  get questions(): NextQuestionSource {
    return this.#deps.questions;
  }

  get clock(): Clock {
    return this.#deps.clock;
  }

  get log(): Logger {
    return this.#deps.log;
  }

  send(message: ServerMessage): void {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  openSession(wantsRestart: boolean): Promise<OpenedSession | null> {
    const deps = this.#deps;
    const userId = this.#identity.userId;
    return deps.openInOrder(userId, async (): Promise<OpenedSession | null> => {
      if (this.#closeCode !== undefined) return null; // superseded before it began
      const opened = await deps.store.openSession(
        this.#identity.claims,
        this.#template.id,
        this.connectionId,
        wantsRestart,
        {
          ...(this.#heldGeneration === undefined ? {} : { heldGeneration: this.#heldGeneration }),
          ...(wantsRestart ? {} : this.#draft),
        },
      );
      this.#draft = { sessionId: opened.sessionId };
      this.#generation = opened.generation;
      const heard = deps.takeClaimHeard(userId);
      if (heard !== undefined && heard > opened.generation) return null;
      return opened;
    });
  }

  // The socket's events

  handleEvent(event: Event): void {
    switch (event.type) {
      case "open":
        return this.#onOpen();
      case "message":
        return this.#onMessage(event as MessageEvent);
      case "close":
        return this.#onClose(event as CloseEvent);
    }
  }

  #onOpen(): void {
    const { registry, log } = this.#deps;
    // Its handshake passed just before the process began to drain: 1012, so that the client
    // resumes on another instance, with nothing claimed here.
    if (this.#deps.draining()) return this.close(CloseCode.restarting, "server restarting");
    registry.register(this, (old) => {
      log.info("connection_superseded", { connectionId: old.connectionId, userId: old.userId });
      old.close(CloseCode.superseded, "superseded by a newer connection");
    });
    log.info("connection_opened", this.#fields());
    this.#armExpiry();
    this.#enqueue(() => this.#interview.start(this.#restart));
  }

  #onMessage(event: MessageEvent): void {
    if (this.#closeCode !== undefined) return;
    if (!this.#guard.admit()) {
      this.#deps.log.warn("connection_flooding", this.#fields());
      return this.close(CloseCode.policyViolation, "too many messages");
    }
    const parsed = parseClientFrame(event.data, this.#version);
    if (!parsed.ok) {
      this.send({ type: "error", code: parsed.code, message: parsed.message, retryable: false });
      if (this.#guard.recordInvalid()) {
        this.close(CloseCode.policyViolation, "too many invalid messages");
      }
      return;
    }
    const frame = parsed.frame;
    if (frame.type === "refresh_token") return this.#enqueue(() => this.#refresh(frame.token));
    this.#enqueue(() => this.#interview.handle(frame));
  }

  #onClose(event: CloseEvent): void {
    if (this.#closed) return; // Deno may report a heartbeat timeout's close twice
    this.#closed = true;
    this.#deps.tokenExpiries.disarm(this);
    this.#deps.onClosed(this);
    this.#deps.log.info("connection_closed", {
      ...this.#fields(),
      sessionId: this.#interview.sessionId || undefined,
      code: this.#closeCode ?? event.code,
      durationMs: Math.round(performance.now() - this.#openedAt),
    });
    this.#resolveClosed?.();
  }

  // Frames, expiry and refresh

  /** The fields every log line about this connection carries. */
  #fields(): { connectionId: string; userId: string; templateId: string } {
    return {
      connectionId: this.connectionId,
      userId: this.#identity.userId,
      templateId: this.#template.id,
    };
  }

  #armExpiry(): void {
    this.#deps.tokenExpiries.arm(this, this.#identity.expiresAt);
  }

  /**
   * Queues a frame's work behind the one before it. A frame queued behind one that closed the
   * connection (a refused token refresh, say) is dropped: nothing more happens on a closing socket.
   */
  #enqueue(work: () => Promise<void>): void {
    const next = this.#queue.then(() => this.#closeCode === undefined ? work() : undefined)
      .catch((error: unknown) => {
        this.#deps.log.error("frame_failed", { ...this.#fields(), error: describeError(error) });
        this.close(CloseCode.internalError, "internal error");
      });
    this.#queue = next;
    this.#deps.track(next);
  }

  async #refresh(token: string): Promise<void> {
    try {
      const fresh = await this.#deps.verifier.verify(token);
      if (fresh.userId !== this.#identity.userId) {
        throw new TokenError("bad_subject", "other user");
      }
      this.#identity = fresh;
      this.#armExpiry();
      this.send({ type: "token_refreshed", expiresAt: new Date(fresh.expiresAt).toISOString() });
    } catch (error: unknown) {
      this.#deps.log.warn("auth_failed", {
        ...this.#fields(),
        reason: error instanceof TokenError ? error.reason : "invalid",
        during: "refresh",
      });
      this.close(CloseCode.unauthorized, "unauthorized");
    }
  }
}
