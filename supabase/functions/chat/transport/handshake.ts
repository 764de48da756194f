/**
 * The chat's handshake as a function from a Request to a verdict: the token, the template and the
 * session hint are checked before any session work. Browsers show a refused handshake only as
 * 1006, so a WebSocket request that fails is upgraded and closed at once with a code that says
 * why; a plain HTTP request gets JSON.
 */
import { describeError, type Logger } from "../../_shared/platform/logger.ts";
import { isUuid } from "../../_shared/platform/uuid.ts";
import { resolveTimeZone } from "../../_shared/template/time_zone.ts";
import {
  TokenError,
  type TokenVerifier,
  type VerifiedToken,
} from "../../_shared/platform/token_verifier.ts";
import { CloseCode } from "../../_shared/wire/close_codes.ts";
import {
  type ProtocolVersion,
  SUBPROTOCOL,
  SUBPROTOCOL_V2,
  TOKEN_SUBPROTOCOL_PREFIX,
} from "../../_shared/wire/protocol.ts";
import type { SessionStore, TemplateRecord } from "../ports/session_store.ts";

export type Verdict =
  /** A plain HTTP answer. */
  | { kind: "reply"; status: number; body: { error: string; code: string } }
  /** Upgrade, close at once with `code`; nothing else happens on the socket. */
  | { kind: "refuse"; protocol?: string; code: number; reason: string }
  /** The caller's session completed but they never heard: upgrade, report it, close 1000. */
  | { kind: "report_complete"; protocol?: string; sessionId: string; documentId: string }
  /** Upgrade and run the interview. */
  | {
    kind: "accept";
    protocol?: string;
    /** v2 when the client offered `chat.v2`; a client that offers no subprotocol is v1. */
    version: ProtocolVersion;
    identity: VerifiedToken;
    template: TemplateRecord;
    restart: boolean;
    /**
     * The generation the client last held, on a reconnect: the claim is refused when a newer
     * connection of the user came since. Absent: a first connection or an explicit take-over.
     */
    heldGeneration?: bigint;
    /** `tz`: the client's IANA time zone when this runtime knows it; absent means UTC. */
    timeZone?: string;
    /** `sessionId`: the open draft to continue (a reconnect's, or one the user picked). */
    sessionHint?: string;
    /** `draft=new`: start another draft beside the open ones (first connection only). */
    newDraft: boolean;
  };

export interface HandshakeDeps {
  verifier: TokenVerifier;
  store: Pick<SessionStore, "findTemplate" | "loadSession" | "newerClaimExists">;
  log: Logger;
  draining: boolean;
}

/** A generation as the server sends it: a positive decimal number within a Postgres bigint. */
const GENERATION = /^[1-9][0-9]{0,17}$/;

export async function handshake(request: Request, deps: HandshakeDeps): Promise<Verdict> {
  const { log } = deps;
  const url = new URL(request.url);
  const offered = (request.headers.get("sec-websocket-protocol") ?? "")
    .split(",").map((value) => value.trim()).filter(Boolean);
  const token = offered.find((p) => p.startsWith(TOKEN_SUBPROTOCOL_PREFIX))
    ?.slice(TOKEN_SUBPROTOCOL_PREFIX.length) ?? url.searchParams.get("token") ?? "";
  const isUpgrade = request.headers.get("upgrade")?.toLowerCase() === "websocket";
  const protocol = offered.includes(SUBPROTOCOL_V2)
    ? SUBPROTOCOL_V2
    : offered.includes(SUBPROTOCOL)
    ? SUBPROTOCOL
    : undefined;
  const version: ProtocolVersion = protocol === SUBPROTOCOL_V2 ? "v2" : "v1";
  const refuse = (code: number, reason: string): Verdict => ({
    kind: "refuse",
    ...(protocol ? { protocol } : {}),
    code,
    reason,
  });
  const reply = (status: number, error: string, code: string): Verdict => ({
    kind: "reply",
    status,
    body: { error, code },
  });

  if (isUpgrade && deps.draining) return refuse(CloseCode.restarting, "server restarting");

  let identity: VerifiedToken;
  try {
    identity = await deps.verifier.verify(token);
  } catch (error: unknown) {
    const reason = error instanceof TokenError ? error.reason : "invalid";
    log.warn("auth_failed", { reason });
    if (!isUpgrade) return reply(401, "Unauthorized", reason);
    return reason === "expired"
      ? refuse(CloseCode.tokenExpired, "token expired")
      : refuse(CloseCode.unauthorized, "unauthorized");
  }

  const templateId = url.searchParams.get("templateId") ?? "";
  if (!isUuid(templateId)) {
    log.info("template_refused", { userId: identity.userId, reason: "malformed" });
    if (!isUpgrade) return reply(404, "Template not found", "template_not_found");
    return refuse(CloseCode.templateNotFound, "template not found");
  }
  let template: TemplateRecord | null;
  try {
    template = await deps.store.findTemplate(identity.claims, templateId);
  } catch (error: unknown) {
    log.error("template_lookup_failed", { error: describeError(error) });
    if (!isUpgrade) return reply(503, "Database unavailable", "unavailable");
    return refuse(CloseCode.internalError, "internal error");
  }
  if (!template) {
    log.info("template_refused", { userId: identity.userId, templateId, reason: "not_found" });
    if (!isUpgrade) return reply(404, "Template not found", "template_not_found");
    return refuse(CloseCode.templateNotFound, "template not found");
  }
  // The session the client was last in: a hint that its completion may have been lost.
  const sessionId = url.searchParams.get("sessionId");
  if (sessionId !== null && !isUuid(sessionId)) {
    log.info("session_hint_refused", { userId: identity.userId, reason: "malformed" });
    if (!isUpgrade) return reply(400, "Invalid sessionId", "invalid_session_id");
    return refuse(CloseCode.invalidSessionId, "invalid sessionId");
  }
  // The generation the client last held: a reconnect that must not take over from a newer tab.
  const generation = url.searchParams.get("generation");
  if (generation !== null && !GENERATION.test(generation)) {
    log.info("generation_refused", { userId: identity.userId, reason: "malformed" });
    if (!isUpgrade) return reply(400, "Invalid generation", "invalid_generation");
    return refuse(CloseCode.invalidSessionId, "invalid generation");
  }
  // "new": a draft beside the open ones, the "New draft" of a page listing several.
  const draft = url.searchParams.get("draft");
  if (draft !== null && draft !== "new") {
    log.info("draft_refused", { userId: identity.userId, reason: "malformed" });
    if (!isUpgrade) return reply(400, 'Invalid draft: only "new" is known', "invalid_draft");
    return refuse(CloseCode.invalidSessionId, "invalid draft");
  }
  if (!isUpgrade) return reply(426, "Connect with a WebSocket upgrade", "upgrade_required");
  const heldGeneration = generation === null ? undefined : BigInt(generation);
  if (heldGeneration !== undefined) {
    let newer: boolean;
    try {
      newer = await deps.store.newerClaimExists(identity.claims, heldGeneration);
    } catch (error: unknown) {
      log.error("claim_lookup_failed", { userId: identity.userId, error: describeError(error) });
      return refuse(CloseCode.internalError, "internal error");
    }
    if (newer) {
      // Refused before the socket is registered: the newer tab is never touched.
      log.info("reconnect_superseded", {
        userId: identity.userId,
        heldGeneration: generation,
      });
      return refuse(CloseCode.superseded, "superseded by a newer connection");
    }
  }

  const restart = url.searchParams.get("restart") === "1";
  if (sessionId !== null && !restart) {
    let documentId: string | null;
    try {
      documentId = await completedDocument(deps, identity, template.id, sessionId);
    } catch (error: unknown) {
      log.error("session_lookup_failed", {
        userId: identity.userId,
        sessionId,
        error: describeError(error),
      });
      return refuse(CloseCode.internalError, "internal error");
    }
    if (documentId !== null) {
      log.info("completion_reported", {
        userId: identity.userId,
        templateId: template.id,
        sessionId,
        documentId,
      });
      return { kind: "report_complete", ...(protocol ? { protocol } : {}), sessionId, documentId };
    }
  }
  return {
    kind: "accept",
    ...(protocol ? { protocol } : {}),
    version,
    identity,
    template,
    restart,
    ...(heldGeneration === undefined ? {} : { heldGeneration }),
    ...knownTimeZone(url.searchParams.get("tz")),
    ...(sessionId === null || restart ? {} : { sessionHint: sessionId }),
    newDraft: draft === "new" && !restart && sessionId === null,
  };
}

/**
 * The document of `sessionId` when that is the caller's completed session on this template:
 * the client reconnecting after a completion whose `session_complete` it never received.
 * Anything else (not complete, another template, not the caller's or no such session: RLS
 * shows the caller only their own) is null, and the connection opens as it would without it.
 */
async function completedDocument(
  deps: HandshakeDeps,
  identity: VerifiedToken,
  templateId: string,
  sessionId: string,
): Promise<string | null> {
  const loaded = await deps.store.loadSession(identity.claims, sessionId);
  if (loaded?.isComplete && loaded.templateId === templateId && loaded.documentId) {
    return loaded.documentId;
  }
  deps.log.debug("session_hint_ignored", {
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

/** The `tz` parameter when it is an IANA zone this runtime knows; UTC (nothing) otherwise. */
function knownTimeZone(tz: string | null): { timeZone?: string } {
  return tz !== null && resolveTimeZone(tz) === tz ? { timeZone: tz } : {};
}
