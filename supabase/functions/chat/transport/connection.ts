/**
 * One WebSocket's lifetime: the frame guard, the ordered queue of frames, token expiry and
 * refresh, registration for last-connection-wins, and the hand-off of each frame to the
 * interview. The interview gets `send`, `close` and `openSession` and never sees the socket.
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
import { InterviewRunner } from "../interview/runner.ts";
import type { Clock } from "../ports/clock.ts";
import type { NextQuestionSource } from "../ports/next_question_source.ts";
import type { OpenedSession, SessionStore, TemplateRecord } from "../ports/session_store.ts";
import type { ConnectionRegistry, RegisteredConnection } from "./connection_registry.ts";
import { FrameGuard } from "./frame_guard.ts";

const MAX_TIMER_MS = 2_147_483_647;

/** What a connection needs from its process: the ports, and the process-wide bookkeeping. */
export interface ConnectionDeps {
  verifier: TokenVerifier;
  store: SessionStore;
  questions: NextQuestionSource;
  clock: Clock;
  log: Logger;
  registry: ConnectionRegistry;
  /** Runs a user's session opens of this process one after another, in arrival order. */
  openInOrder<T>(userId: string, work: () => Promise<T>): Promise<T>;
  /** The newest claim of this user another instance made while this one was opening, if any. */
  takeClaimHeard(userId: string): bigint | undefined;
  /** Counts a frame's work as in flight, so a drain can wait for it. */
  track(work: Promise<unknown>): void;
  /** Keeps the hosting runtime alive while a socket is open (EdgeRuntime.waitUntil). */
  keepAlive?: (until: Promise<unknown>) => void;
  onClosed(connection: RegisteredConnection): void;
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
  const { log, registry } = deps;
  const { template, restart } = accepted;
  const connectionId = crypto.randomUUID();
  const openedAt = performance.now();
  let identity = accepted.identity;
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  let closeCode: number | undefined;
  let generation: bigint | undefined;
  const guard = new FrameGuard();
  const fields = { connectionId, userId: identity.userId, templateId: template.id };

  const close = (code: number, reason: string) => {
    if (closeCode !== undefined) return;
    closeCode = code;
    // Closing from inside a message handler while more frames are buffered makes Deno drop
    // the connection without the close frame; deferring one tick keeps the handshake clean.
    setTimeout(() => {
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close(code, reason);
      }
    }, 0);
  };
  const send = (message: ServerMessage) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };

  // Which draft the first open claims (the handshake's hint or a new one); later opens (a
  // restart, a reload) claim the session this connection holds.
  let draft: { sessionId?: string; newDraft?: boolean } = {
    ...(accepted.sessionHint === undefined ? {} : { sessionId: accepted.sessionHint }),
    ...(accepted.newDraft ? { newDraft: true } : {}),
  };
  const openSession = (wantsRestart: boolean) =>
    deps.openInOrder(identity.userId, async (): Promise<OpenedSession | null> => {
      if (closeCode !== undefined) return null; // superseded before it began
      const opened = await deps.store.openSession(
        identity.claims,
        template.id,
        connectionId,
        wantsRestart,
        {
          ...(accepted.heldGeneration === undefined
            ? {}
            : { heldGeneration: accepted.heldGeneration }),
          ...(wantsRestart ? {} : draft),
        },
      );
      draft = { sessionId: opened.sessionId };
      generation = opened.generation;
      const heard = deps.takeClaimHeard(identity.userId);
      if (heard !== undefined && heard > opened.generation) return null;
      return opened;
    });

  const interview = new InterviewRunner(
    {
      userId: identity.userId,
      connectionId,
      template,
      version: accepted.version,
      ...(accepted.timeZone === undefined ? {} : { timeZone: accepted.timeZone }),
    },
    identity.claims,
    {
      store: deps.store,
      openSession,
      questions: deps.questions,
      clock: deps.clock,
      send,
      close,
      log,
    },
  );
  const connection: RegisteredConnection = {
    connectionId,
    userId: identity.userId,
    get active() {
      return interview.active;
    },
    get generation() {
      return generation;
    },
    get sessionId() {
      return interview.sessionId || undefined;
    },
    close,
  };

  const armExpiry = () => {
    clearTimeout(expiryTimer);
    const remaining = Math.min(identity.expiresAt - Date.now(), MAX_TIMER_MS);
    expiryTimer = setTimeout(() => close(CloseCode.tokenExpired, "token expired"), remaining);
  };

  // Frames are handled strictly in order: each waits for the one before it. A frame queued
  // behind one that closed the connection (a refused token refresh, say) is dropped: nothing
  // more happens on a closing socket.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>) => {
    const next = queue.then(() => closeCode === undefined ? work() : undefined).catch((
      error: unknown,
    ) => {
      log.error("frame_failed", { ...fields, error: describeError(error) });
      close(CloseCode.internalError, "internal error");
    });
    queue = next;
    deps.track(next);
  };

  const refresh = async (token: string) => {
    try {
      const fresh = await deps.verifier.verify(token);
      if (fresh.userId !== identity.userId) throw new TokenError("bad_subject", "other user");
      identity = fresh;
      armExpiry();
      send({ type: "token_refreshed", expiresAt: new Date(fresh.expiresAt).toISOString() });
    } catch (error: unknown) {
      log.warn("auth_failed", {
        ...fields,
        reason: error instanceof TokenError ? error.reason : "invalid",
        during: "refresh",
      });
      close(CloseCode.unauthorized, "unauthorized");
    }
  };

  let resolveClosed: () => void = () => {};
  deps.keepAlive?.(new Promise<void>((resolve) => (resolveClosed = resolve)));

  socket.onopen = () => {
    registry.register(connection, (old) => {
      log.info("connection_superseded", { connectionId: old.connectionId, userId: old.userId });
      old.close(CloseCode.superseded, "superseded by a newer connection");
    });
    log.info("connection_opened", fields);
    armExpiry();
    enqueue(() => interview.start(restart));
  };

  socket.onmessage = (event: MessageEvent) => {
    if (closeCode !== undefined) return;
    if (!guard.admit()) {
      log.warn("connection_flooding", fields);
      return close(CloseCode.policyViolation, "too many messages");
    }
    const parsed = parseClientFrame(event.data, accepted.version);
    if (!parsed.ok) {
      send({ type: "error", code: parsed.code, message: parsed.message, retryable: false });
      if (guard.recordInvalid()) close(CloseCode.policyViolation, "too many invalid messages");
      return;
    }
    const frame = parsed.frame;
    if (frame.type === "refresh_token") return enqueue(() => refresh(frame.token));
    enqueue(() => interview.handle(frame));
  };

  let closed = false;
  socket.onclose = (event: CloseEvent) => {
    if (closed) return; // Deno may report a heartbeat timeout's close twice
    closed = true;
    clearTimeout(expiryTimer);
    deps.onClosed(connection);
    log.info("connection_closed", {
      ...fields,
      sessionId: interview.sessionId || undefined,
      code: closeCode ?? event.code,
      durationMs: Math.round(performance.now() - openedAt),
    });
    resolveClosed();
  };
  socket.onerror = () => {};
}
