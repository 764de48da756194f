/** The SessionStore port over Postgres: chat_internal's functions, acting for the caller. */
import { isConnectionError } from "../../_shared/platform/connection_error.ts";
import { type UserDatabase } from "../../_shared/platform/user_database.ts";
import {
  bigint,
  boolean,
  integer,
  jsonb,
  type SqlArgument,
  text,
  uuid,
} from "../../_shared/platform/sql_argument.ts";
import {
  type Claims,
  type SessionStore,
  StoreUnavailableError,
  type WriteFence,
  type WriteRefusal,
  WriteRefusedError,
} from "../ports/session_store.ts";
import { quotaRefusal } from "./quota_refusal.ts";
import { sharedTemplate } from "./shared_templates.ts";

const REFUSALS: Record<string, WriteRefusal> = {
  CH401: "no_user",
  CH404: "not_found",
  CH409: "superseded",
  CH410: "closed",
  CH412: "conflict",
  CH403: "foreign_document",
  CH428: "not_in_review",
  CH413: "too_large",
  CH414: "document_too_large",
  CH415: "unsupported_format",
  CH416: "invisible_character",
  CH422: "no_answer",
  "22023": "malformed",
};

/**
 * The one real SessionStore: Postgres through chat_internal's functions, each call run as role
 * `authenticated` with the caller's claims (createUserDatabase), so the reads see what RLS shows
 * them.
 */
export function createPostgresSessionStore(database: UserDatabase): SessionStore {
  const call = async (
    claims: Claims,
    fn: string,
    args: SqlArgument[],
    returns: "value" | "rows",
  ) => {
    try {
      return await database.call({ claims, fn, args, returns });
    } catch (error: unknown) {
      throw translate(error);
    }
  };
  const fenced = (fence: WriteFence) => [
    uuid(fence.sessionId),
    uuid(fence.connectionId),
    integer(fence.expectedTurnCount),
  ];

  return {
    async findTemplate(claims, templateId) {
      const rows = await call(claims, "chat_internal.find_template", [uuid(templateId)], "rows");
      const row = rows[0];
      if (!row) return null;
      return sharedTemplate({
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        questions: row.questions,
        body: row.body,
        ...(row.title_rule ? { title: row.title_rule } : {}),
        version: row.version,
        hash: row.content_hash,
      });
    },

    async openSession(claims, templateId, connectionId, restart, options = {}) {
      const held = options.heldGeneration;
      // claim_session is open_session recording the user's newest claim, and with a held
      // generation refusing a reconnect that a newer claim came after (CH409).
      const claim = (sessionId: string | null) =>
        call(
          claims,
          "chat_internal.claim_session",
          [
            uuid(templateId),
            uuid(connectionId),
            boolean(restart),
            uuid(sessionId),
            boolean(options.newDraft === true),
            bigint(held === undefined ? null : held),
          ],
          "rows",
        );
      let rows;
      try {
        rows = await claim(options.sessionId ?? null);
      } catch (error: unknown) {
        // The draft the hint names is no longer open (discarded, started over elsewhere, purged):
        // the connection gets what it would without a hint. Rare, so the second call is too.
        if (
          options.sessionId === undefined || !(error instanceof WriteRefusedError) ||
          error.reason !== "not_found"
        ) throw error;
        rows = await claim(null);
      }
      const row = rows[0];
      if (!row) throw new WriteRefusedError("not_found", "The session could not be opened");
      return {
        sessionId: row.session_id,
        history: row.history,
        turnCount: row.turn_count,
        created: row.created,
        generation: BigInt(row.generation),
        // The pinned version comes back with the open: the one round trip it already makes. (A
        // database whose open predates versions returns none; the interview then keeps the
        // template the handshake read, and template_versions_e2e_test.ts fails loudly.)
        ...(row.template_version == null ? {} : {
          pinned: {
            // null, not absent: a version without a title rule must not keep the current one's.
            title: row.template_title_rule ?? null,
            questions: row.template_questions,
            body: row.template_body,
            version: row.template_version,
            hash: row.template_hash,
          },
        }),
      };
    },

    async newerClaimExists(claims, generation) {
      const rows = await call(
        claims,
        "chat_internal.newer_claim_exists",
        [bigint(generation)],
        "value",
      );
      return rows[0]!.result === true;
    },

    async loadSession(claims, sessionId) {
      // RLS shows the caller their own session only.
      const rows = await call(claims, "chat_internal.load_session", [uuid(sessionId)], "rows");
      const row = rows[0];
      if (!row) return null;
      return {
        templateId: row.template_id,
        history: row.history,
        turnCount: row.turn_count,
        isComplete: row.is_complete,
        ownedBy: row.connection_id,
        documentId: row.document_id ?? null,
      };
    },

    async appendTurns(claims, fence, turns, title) {
      const rows = await call(
        claims,
        "chat_internal.append_turns",
        [
          ...fenced(fence),
          jsonb(JSON.stringify(turns)),
          ...(title === undefined ? [] : [text(title)]),
        ],
        "value",
      );
      return rows[0]!.result;
    },

    async completeSession(claims, fence, result) {
      const document = "document" in result ? JSON.stringify(result.document) : null;
      const documentId = "documentId" in result ? result.documentId : null;
      // The SQL function can append final turns in the same call; the chat stores every turn
      // before it completes, so it passes none.
      const rows = await call(
        claims,
        "chat_internal.complete_session",
        [...fenced(fence), jsonb("[]"), jsonb(document), uuid(documentId)],
        "value",
      );
      return rows[0]!.result;
    },

    async loadReview(claims, sessionId) {
      const rows = await call(claims, "chat_internal.load_review", [uuid(sessionId)], "rows");
      const row = rows[0];
      if (!row || !row.document) return null;
      return { document: row.document, turnCount: row.turn_count };
    },

    async storeReview(claims, fence, document) {
      await call(
        claims,
        "chat_internal.store_review",
        [...fenced(fence), jsonb(JSON.stringify(document))],
        "value",
      );
    },

    async confirmReview(claims, fence) {
      const rows = await call(claims, "chat_internal.confirm_review", fenced(fence), "value");
      return rows[0]!.result;
    },

    async ping() {
      try {
        await database.ping();
      } catch (error: unknown) {
        throw translate(error);
      }
    },
  };
}

function translate(error: unknown): Error {
  const code = (error as { code?: unknown })?.code;
  if (code === "CH429") {
    return quotaRefusal((error as Error).message, (error as { detail?: unknown }).detail);
  }
  if (typeof code === "string" && code in REFUSALS) {
    return new WriteRefusedError(REFUSALS[code]!, (error as Error).message);
  }
  if (isConnectionError(error)) {
    return new StoreUnavailableError(`Database unavailable: ${String(code)}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
