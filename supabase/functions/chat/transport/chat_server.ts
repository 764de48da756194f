/**
 * The chat function's HTTP side: `GET .../health`, the WebSocket interview at `.../chat`, drain,
 * and what this process keeps across its connections (the registry, other instances' claims,
 * the per-user order of session opens).
 */
import { describeError, type Logger } from "../../_shared/platform/logger.ts";
import type { LoginRoleCheck } from "../../_shared/platform/login_role_check.ts";
import { loginRoleHealth } from "../../_shared/platform/health_route.ts";
import type { TokenVerifier } from "../../_shared/platform/token_verifier.ts";
import { CloseCode } from "../../_shared/wire/close_codes.ts";
import type { ServerMessage } from "../../_shared/wire/protocol.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import type { ConnectionClaim, ConnectionSignal } from "../ports/connection_signal.ts";
import type { NextQuestionSource } from "../ports/next_question_source.ts";
import type { SessionStore } from "../ports/session_store.ts";
import { type ConnectionDeps, serveConnection } from "./connection.ts";
import { ConnectionRegistry, type RegisteredConnection } from "./connection_registry.ts";
import { Deadlines } from "./deadlines.ts";
import { handshake, type Verdict } from "./handshake.ts";
import type { IsolateBudget } from "./isolate_budget.ts";
import { withTimeout } from "../../_shared/platform/with_timeout.ts";
import { jsonResponse } from "../../_shared/platform/json_response.ts";

export interface ChatServerDeps {
  verifier: TokenVerifier;
  store: SessionStore;
  questions: NextQuestionSource;
  log: Logger;
  instanceId: string;
  clock?: Clock;
  /** Keeps the hosting runtime alive while a socket is open (EdgeRuntime.waitUntil). */
  keepAlive?: (until: Promise<unknown>) => void;
  /** Hears of connection claims on other instances; without it, last-wins is per process. */
  signal?: ConnectionSignal;
  /** Seconds without a pong to a protocol ping before a peer counts as dead (0: never). */
  heartbeatTimeoutSeconds?: number;
  /** The isolate's CPU, memory and wall-clock budget: checked after each frame's work, shown in /health. */
  budget?: IsolateBudget;
  /** Whether the database login may do what the chat needs: shown in /health, 503 when not. */
  loginRole?: LoginRoleCheck;
}

export class ChatServer {
  readonly registry = new ConnectionRegistry();
  #deps: ChatServerDeps;
  #clock: Clock;
  #startedAt: number;
  #draining = false;
  #inFlight = new Set<Promise<unknown>>();
  /**
   * Every upgraded socket until it closes, and the handshakes under way. A drain waits for all of
   * them, not only the registered connections: a socket whose handshake passed just before the
   * drain began opens after the drain closed the others, and must still get its 1012 (and a
   * refused one its close code) before the process exits, not 1006.
   */
  #upgraded = new Set<WebSocket>();
  #handshakes = 0;
  readonly #forgetSocket = (event: Event) => this.#upgraded.delete(event.target as WebSocket);
  /** Per user: the newest claim heard of while the local connection was still opening. */
  #claimsHeard = new Map<string, bigint>();
  /** Per user: the tail of the session opens of this process, run one after another. */
  #opening = new Map<string, Promise<unknown>>();
  /** Every connection's token expiry, on one timer: a connection is closed as its token expires. */
  #tokenExpiries = new Deadlines<RegisteredConnection>((connection) =>
    connection.close(CloseCode.tokenExpired, "token expired")
  );

  constructor(deps: ChatServerDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
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
      signal.subscribe((claim) => this.#onClaim(claim), {
        owned: () => this.registry.owned(),
        onSuperseded: (connectionIds) => this.#onSuperseded(connectionIds),
      }).then(() => {
        this.#deps.log.info("connection_signal_ready", { kind: signal.kind });
      }).catch((error: unknown) => {
        this.#deps.log.warn("connection_signal_unavailable", { error: describeError(error) });
        if (!this.#draining) setTimeout(attempt, 2_000);
      });
    };
    attempt();
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
    while ((this.#upgraded.size > 0 || this.#handshakes > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
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

  /** The poll found connections whose sessions a newer connection took: they go. */
  #onSuperseded(connectionIds: string[]): void {
    for (const connectionId of connectionIds) {
      const connection = this.registry.byId(connectionId);
      if (!connection) continue;
      this.#deps.log.info("connection_superseded", {
        connectionId,
        userId: connection.userId,
        by: "poll",
      });
      connection.close(CloseCode.superseded, "superseded by a newer connection");
    }
  }

  #openInOrder<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#opening.get(userId) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.catch(() => {});
    this.#opening.set(userId, tail);
    tail.then(() => {
      if (this.#opening.get(userId) === tail) this.#opening.delete(userId);
    });
    return result;
  }

  async #health(): Promise<Response> {
    const body = {
      connections: this.registry.stats(),
      timestamp: this.#clock.now().toISOString(),
      instanceId: this.#deps.instanceId,
      uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000),
      draining: this.#draining,
      ...(this.#deps.budget
        ? { budget: { ...this.#deps.budget.usage(), draining: this.#draining } }
        : {}),
    };
    try {
      await withTimeout(this.#deps.store.ping(), 2_000);
      const loginRole = this.#deps.loginRole;
      if (!loginRole) return json(200, { status: "healthy", ...body });
      const report = await withTimeout(loginRole.report(), 2_000);
      return loginRoleHealth(report, body, { "content-type": JSON_UTF8 });
    } catch (error: unknown) {
      this.#deps.log.warn("health_database_unavailable", { error: describeError(error) });
      return json(503, { status: "unhealthy", ...body });
    }
  }

  #sharedConnectionDeps: ConnectionDeps | undefined;

  /**
   * What every connection gets from the server: made once, outside #chat, because closures made
   * there would keep that scope alive as long as the socket, and with it the upgrade request
   * (its URL, its headers with the token): about a kilobyte for each idle session.
   */
  #connectionDeps(): ConnectionDeps {
    const { verifier, store, log } = this.#deps;
    return this.#sharedConnectionDeps ??= {
      verifier,
      store,
      questions: this.#deps.questions,
      clock: this.#clock,
      log,
      draining: () => this.#draining,
      registry: this.registry,
      tokenExpiries: this.#tokenExpiries,
      openInOrder: (userId, work) => this.#openInOrder(userId, work),
      takeClaimHeard: (userId) => {
        const heard = this.#claimsHeard.get(userId);
        this.#claimsHeard.delete(userId);
        return heard;
      },
      track: (work) => {
        this.#inFlight.add(work);
        work.finally(() => {
          this.#inFlight.delete(work);
          this.#deps.budget?.checkSoon();
        });
      },
      keepAlive: this.#deps.keepAlive,
      onClosed: (connection) => {
        this.registry.remove(connection);
        if (!this.registry.current(connection.userId)) {
          this.#claimsHeard.delete(connection.userId);
        }
      },
    };
  }

  async #chat(request: Request): Promise<Response> {
    const { verifier, store, log } = this.#deps;
    // A drain waits for the handshakes under way too: each ends in a socket it must close.
    this.#handshakes++;
    let verdict: Verdict;
    try {
      verdict = await handshake(request, { verifier, store, log, draining: this.#draining });
    } finally {
      this.#handshakes--;
    }
    switch (verdict.kind) {
      case "reply":
        return json(verdict.status, verdict.body);
      case "refuse":
        return this.#closeAtOnce(request, verdict.protocol, verdict.code, verdict.reason);
      case "report_complete":
        return this.#closeAtOnce(
          request,
          verdict.protocol,
          CloseCode.complete,
          "interview complete",
          {
            type: "session_complete",
            sessionId: verdict.sessionId,
            documentId: verdict.documentId,
          },
        );
      case "accept": {
        const { socket, response } = Deno.upgradeWebSocket(request, {
          ...(verdict.protocol ? { protocol: verdict.protocol } : {}),
          idleTimeout: this.#deps.heartbeatTimeoutSeconds ?? 30,
        });
        this.#track(socket);
        serveConnection(socket, verdict, this.#connectionDeps());
        return response;
      }
    }
  }

  /** Upgrades, sends `message` if there is one, and closes; no frame from the client is read. */
  #closeAtOnce(
    request: Request,
    protocol: string | undefined,
    code: number,
    reason: string,
    message?: ServerMessage,
  ): Response {
    const { socket, response } = Deno.upgradeWebSocket(request, protocol ? { protocol } : {});
    this.#track(socket);
    socket.onopen = () => {
      if (message) socket.send(JSON.stringify(message));
      socket.close(code, reason);
    };
    socket.onmessage = () => {};
    socket.onerror = () => {};
    return response;
  }

  #track(socket: WebSocket): void {
    this.#upgraded.add(socket);
    socket.addEventListener("close", this.#forgetSocket, { once: true });
  }
}

const JSON_UTF8 = "application/json; charset=utf-8";

function json(status: number, body: unknown): Response {
  return jsonResponse(status, body, { "content-type": JSON_UTF8 });
}
