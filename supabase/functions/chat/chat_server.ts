import { describeError, type Logger } from "../_shared/platform/logger.ts";
import type { NextQuestionSource } from "./adapters/http_next_question_source.ts";
import {
  CloseCode,
  parseClientFrame,
  type ServerMessage,
  SUBPROTOCOL,
  TOKEN_SUBPROTOCOL_PREFIX,
} from "../_shared/wire/protocol.ts";
import { type SessionStore, WriteRefusedError } from "./adapters/postgres_session_store.ts";
import {
  TokenError,
  type TokenVerifier,
  type VerifiedToken,
} from "../_shared/platform/token_verifier.ts";
import type { ConnectionClaim, ConnectionSignal } from "./adapters/postgres_connection_signal.ts";
import { ConnectionRegistry, type RegisteredConnection } from "./connection_registry.ts";
import { FrameGuard } from "./frame_guard.ts";
import { Interview } from "./interview.ts";

export interface ChatServerDeps {
  verifier: TokenVerifier;
  store: SessionStore;
  questions: NextQuestionSource;
  log: Logger;
  instanceId: string;
  now?: () => Date;
  /** Keeps the hosting runtime alive while a socket is open (EdgeRuntime.waitUntil). */
  keepAlive?: (until: Promise<unknown>) => void;
  /** Hears of connection claims on other instances; without it, last-wins is per process. */
  signal?: ConnectionSignal;
  /** Seconds without a pong to a protocol ping before a peer counts as dead (0: never). */
  heartbeatTimeoutSeconds?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TIMER_MS = 2_147_483_647;

/** The chat function: `GET .../health` and the WebSocket interview at `.../chat`. */
export class ChatServer {
  readonly registry = new ConnectionRegistry();
  #deps: ChatServerDeps;
  #now: () => Date;
  #startedAt: number;
  #draining = false;
  #inFlight = new Set<Promise<unknown>>();
  /** Per user: the newest claim heard of while the local connection was still opening. */
  #claimsHeard = new Map<string, bigint>();
  /** Per user: the tail of the session opens of this process, run one after another. */
  #opening = new Map<string, Promise<void>>();

  constructor(deps: ChatServerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
    this.#startedAt = Date.now();
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Starts listening for other instances' connection claims, retrying until it can. */
  start(): void {
    const signal = this.#deps.signal;
    if (!signal) return;
    const attempt = () => {
      signal.subscribe((claim) => this.#onClaim(claim)).catch((error: unknown) => {
        this.#deps.log.warn("connection_signal_unavailable", { error: describeError(error) });
        if (!this.#draining) setTimeout(attempt, 2_000);
      });
    };
    attempt();
  }

  /** Another instance (or this one) claimed a user's interview: older local connections go. */
  #onClaim(claim: ConnectionClaim): void {
    const current = this.registry.current(claim.userId);
    if (!current || current.connectionId === claim.connectionId) return;
    if (current.generation === undefined) {
      const heard = this.#claimsHeard.get(claim.userId) ?? 0n;
      if (claim.generation > heard) this.#claimsHeard.set(claim.userId, claim.generation);
      return;
    }
    if (current.generation < claim.generation) {
      this.#deps.log.info("connection_superseded", {
        connectionId: current.connectionId,
        userId: current.userId,
        by: "another instance",
      });
      current.close(CloseCode.superseded, "superseded by a newer connection");
    }
  }

  /** Runs a user's session opens of this process one after another, in arrival order. */
  #openInOrder(userId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.#opening.get(userId) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.catch(() => {});
    this.#opening.set(userId, tail);
    tail.then(() => {
      if (this.#opening.get(userId) === tail) this.#opening.delete(userId);
    });
    return result;
  }

  handle = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname.replace(/\/+$/, "");
    if (path.endsWith("/health")) return await this.#health();
    if (path.endsWith("/chat")) return await this.#chat(request);
    return json(404, { error: `No route for "${path || "/"}"`, code: "not_found" });
  };

  /**
   * Stops taking connections, lets in-flight turns finish persisting (up to graceMs), then
   * closes every socket with 1012 so clients reconnect elsewhere and resume.
   */
  async drain(graceMs = 5_000): Promise<void> {
    this.#draining = true;
    const settled = Promise.allSettled([...this.#inFlight]);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, graceMs))]);
    for (const connection of this.registry.all()) {
      connection.close(CloseCode.restarting, "server restarting");
    }
    // Exiting before the close frames are out would leave clients with 1006 instead of 1012.
    const deadline = Date.now() + 2_000;
    while (this.registry.stats().total > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async #health(): Promise<Response> {
    const body = {
      connections: this.registry.stats(),
      timestamp: this.#now().toISOString(),
      instanceId: this.#deps.instanceId,
      uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000),
      draining: this.#draining,
    };
    try {
      await withTimeout(this.#deps.store.ping(), 2_000);
      return json(200, { status: "healthy", ...body });
    } catch (error: unknown) {
      this.#deps.log.warn("health_database_unavailable", { error: describeError(error) });
      return json(503, { status: "unhealthy", ...body });
    }
  }

  async #chat(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const offered = (request.headers.get("sec-websocket-protocol") ?? "")
      .split(",").map((value) => value.trim()).filter(Boolean);
    const token = offered.find((p) => p.startsWith(TOKEN_SUBPROTOCOL_PREFIX))
      ?.slice(TOKEN_SUBPROTOCOL_PREFIX.length) ?? url.searchParams.get("token") ?? "";
    const isUpgrade = request.headers.get("upgrade")?.toLowerCase() === "websocket";
    const protocol = offered.includes(SUBPROTOCOL) ? SUBPROTOCOL : undefined;
    const { log } = this.#deps;

    if (isUpgrade && this.#draining) {
      return refuse(request, protocol, CloseCode.restarting, "server restarting");
    }

    let identity: VerifiedToken;
    try {
      identity = await this.#deps.verifier.verify(token);
    } catch (error: unknown) {
      const reason = error instanceof TokenError ? error.reason : "invalid";
      log.warn("auth_failed", { reason });
      if (!isUpgrade) return json(401, { error: "Unauthorized", code: reason });
      return reason === "expired"
        ? refuse(request, protocol, CloseCode.tokenExpired, "token expired")
        : refuse(request, protocol, CloseCode.unauthorized, "unauthorized");
    }

    const templateId = url.searchParams.get("templateId") ?? "";
    if (!UUID.test(templateId)) {
      log.info("template_refused", { userId: identity.userId, reason: "malformed" });
      if (!isUpgrade) return json(404, { error: "Template not found", code: "template_not_found" });
      return refuse(request, protocol, CloseCode.templateNotFound, "template not found");
    }
    let template;
    try {
      template = await this.#deps.store.findTemplate(identity.claims, templateId);
    } catch (error: unknown) {
      log.error("template_lookup_failed", { error: describeError(error) });
      if (!isUpgrade) return json(503, { error: "Database unavailable", code: "unavailable" });
      return refuse(request, protocol, CloseCode.internalError, "internal error");
    }
    if (!template) {
      log.info("template_refused", { userId: identity.userId, templateId, reason: "not_found" });
      if (!isUpgrade) return json(404, { error: "Template not found", code: "template_not_found" });
      return refuse(request, protocol, CloseCode.templateNotFound, "template not found");
    }
    // The session the client was last in: a hint that its completion may have been lost.
    const sessionId = url.searchParams.get("sessionId");
    if (sessionId !== null && !UUID.test(sessionId)) {
      log.info("session_hint_refused", { userId: identity.userId, reason: "malformed" });
      if (!isUpgrade) return json(400, { error: "Invalid sessionId", code: "invalid_session_id" });
      return refuse(request, protocol, CloseCode.invalidSessionId, "invalid sessionId");
    }
    if (!isUpgrade) {
      return json(426, { error: "Connect with a WebSocket upgrade", code: "upgrade_required" });
    }

    const restart = url.searchParams.get("restart") === "1";
    if (sessionId !== null && !restart) {
      let documentId: string | null;
      try {
        documentId = await this.#completedDocument(identity, template.id, sessionId);
      } catch (error: unknown) {
        log.error("session_lookup_failed", {
          userId: identity.userId,
          sessionId,
          error: describeError(error),
        });
        return refuse(request, protocol, CloseCode.internalError, "internal error");
      }
      if (documentId !== null) {
        log.info("completion_reported", {
          userId: identity.userId,
          templateId: template.id,
          sessionId,
          documentId,
        });
        return closeAtOnce(request, protocol, CloseCode.complete, "interview complete", {
          type: "session_complete",
          sessionId,
          documentId,
        });
      }
    }

    const { socket, response } = Deno.upgradeWebSocket(request, {
      ...(protocol ? { protocol } : {}),
      idleTimeout: this.#deps.heartbeatTimeoutSeconds ?? 30,
    });
    this.#run(socket, identity, template, restart);
    return response;
  }

  /**
   * The document of `sessionId` when that is the caller's completed session on this template:
   * the client reconnecting after a completion whose `session_complete` it never received.
   * Anything else (not complete, another template, not the caller's or no such session: RLS
   * shows the caller only their own) is null, and the connection opens as it would without it.
   */
  async #completedDocument(
    identity: VerifiedToken,
    templateId: string,
    sessionId: string,
  ): Promise<string | null> {
    const loaded = await this.#deps.store.loadSession(identity.claims, sessionId);
    if (loaded?.isComplete && loaded.templateId === templateId && loaded.documentId) {
      return loaded.documentId;
    }
    this.#deps.log.debug("session_hint_ignored", {
      userId: identity.userId,
      sessionId,
      reason: !loaded
        ? "not_found"
        : loaded.templateId !== templateId
        ? "other_template"
        : loaded.isComplete
        ? "no_document"
        : "incomplete",
    });
    return null;
  }

  #run(
    socket: WebSocket,
    initialIdentity: VerifiedToken,
    template: NonNullable<Awaited<ReturnType<SessionStore["findTemplate"]>>>,
    restart: boolean,
  ): void {
    const { log, store } = this.#deps;
    const connectionId = crypto.randomUUID();
    const openedAt = performance.now();
    let identity = initialIdentity;
    let expiryTimer: ReturnType<typeof setTimeout> | undefined;
    let closeCode: number | undefined;
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
    const interview = new Interview(
      { store, questions: this.#deps.questions, now: this.#now, send, close, log },
      { claims: identity.claims, userId: identity.userId, connectionId, template },
    );
    let started = false;
    let generation: bigint | undefined;
    const connection: RegisteredConnection = {
      connectionId,
      userId: identity.userId,
      get active() {
        return started && interview.isOpen;
      },
      get generation() {
        return generation;
      },
      close,
    };

    const armExpiry = () => {
      clearTimeout(expiryTimer);
      const remaining = Math.min(identity.expiresAt - Date.now(), MAX_TIMER_MS);
      expiryTimer = setTimeout(() => close(CloseCode.tokenExpired, "token expired"), remaining);
    };

    // Frames are handled strictly in order: each waits for the one before it.
    let queue: Promise<void> = Promise.resolve();
    const enqueue = (work: () => Promise<void>) => {
      const next = queue.then(work).catch((error: unknown) => {
        log.error("frame_failed", { ...fields, error: describeError(error) });
        close(CloseCode.internalError, "internal error");
      });
      queue = next;
      this.#inFlight.add(next);
      next.finally(() => this.#inFlight.delete(next));
    };

    let resolveClosed: () => void = () => {};
    this.#deps.keepAlive?.(new Promise<void>((resolve) => (resolveClosed = resolve)));

    socket.onopen = () => {
      this.registry.register(connection, (old) => {
        log.info("connection_superseded", { connectionId: old.connectionId, userId: old.userId });
        old.close(CloseCode.superseded, "superseded by a newer connection");
      });
      log.info("connection_opened", fields);
      armExpiry();
      enqueue(() =>
        this.#openInOrder(identity.userId, async () => {
          if (closeCode !== undefined) return; // superseded before it began
          try {
            const opened = await store.openSession(
              identity.claims,
              template.id,
              connectionId,
              restart,
            );
            generation = opened.generation;
            const heard = this.#claimsHeard.get(identity.userId);
            this.#claimsHeard.delete(identity.userId);
            if (heard !== undefined && heard > opened.generation) {
              return close(CloseCode.superseded, "superseded by a newer connection");
            }
            started = true;
            await interview.start(opened);
          } catch (error: unknown) {
            log.error("session_open_failed", { ...fields, error: describeError(error) });
            if (error instanceof WriteRefusedError && error.reason === "no_user") {
              return close(CloseCode.unauthorized, "unauthorized");
            }
            if (error instanceof WriteRefusedError && error.reason === "superseded") {
              return close(CloseCode.superseded, "superseded by a newer connection");
            }
            close(CloseCode.internalError, "internal error");
          }
        })
      );
    };

    socket.onmessage = (event: MessageEvent) => {
      if (closeCode !== undefined) return;
      if (!guard.admit()) {
        log.warn("connection_flooding", fields);
        return close(CloseCode.policyViolation, "too many messages");
      }
      const parsed = parseClientFrame(event.data);
      if (!parsed.ok) {
        send({ type: "error", code: parsed.code, message: parsed.message, retryable: false });
        if (guard.recordInvalid()) close(CloseCode.policyViolation, "too many invalid messages");
        return;
      }
      const frame = parsed.frame;
      if (frame.type === "refresh_token") {
        return enqueue(async () => {
          try {
            const fresh = await this.#deps.verifier.verify(frame.token);
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
        });
      }
      enqueue(() => interview.handle(frame));
    };

    let closed = false;
    socket.onclose = (event: CloseEvent) => {
      if (closed) return; // Deno may report a heartbeat timeout's close twice
      closed = true;
      clearTimeout(expiryTimer);
      this.registry.remove(connection);
      if (!this.registry.current(identity.userId)) this.#claimsHeard.delete(identity.userId);
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
}

function refuse(
  request: Request,
  protocol: string | undefined,
  code: number,
  reason: string,
): Response {
  // Browsers report a refused handshake only as 1006; upgrading and closing at once lets the
  // client see why. Nothing else happens on this socket.
  return closeAtOnce(request, protocol, code, reason);
}

/** Upgrades, sends `message` if there is one, and closes; no frame from the client is read. */
function closeAtOnce(
  request: Request,
  protocol: string | undefined,
  code: number,
  reason: string,
  message?: ServerMessage,
): Response {
  const { socket, response } = Deno.upgradeWebSocket(request, protocol ? { protocol } : {});
  socket.onopen = () => {
    if (message) socket.send(JSON.stringify(message));
    socket.close(code, reason);
  };
  socket.onmessage = () => {};
  socket.onerror = () => {};
  return response;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
