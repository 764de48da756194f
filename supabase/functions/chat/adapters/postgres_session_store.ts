/** The SessionStore port over Postgres: chat_internal's functions, acting for the caller. */
import {
  callAsUser,
  type FunctionCall,
  isConnectionError,
  type Sql,
} from "../../_shared/platform/database.ts";
import {
  type Claims,
  type SessionStore,
  StoreUnavailableError,
  type WriteRefusal,
  WriteRefusedError,
} from "../ports/session_store.ts";

const REFUSALS: Record<string, WriteRefusal> = {
  CH401: "no_user",
  CH404: "not_found",
  CH409: "superseded",
  CH410: "closed",
  CH412: "conflict",
  CH403: "foreign_document",
  CH428: "not_in_review",
};

/** The one real SessionStore: Postgres through chat_internal's functions, acting for the caller. */
export function createPostgresSessionStore(sql: Sql): SessionStore {
  // Every call is one statement on the shared pool (see callAsUser for why).
  const call = async (claims: Claims, fn: FunctionCall, returns: "value" | "rows") => {
    try {
      return await callAsUser(sql, claims, fn, returns);
    } catch (error: unknown) {
      throw translate(error);
    }
  };

  return {
    async findTemplate(claims, templateId) {
      const rows = await call(claims, sql`chat_internal.find_template(${templateId})`, "rows");
      const row = rows[0];
      if (!row) return null;
      return {
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        questions: row.questions,
        body: row.body,
      };
    },

    async openSession(claims, templateId, connectionId, restart) {
      const rows = await call(
        claims,
        sql`chat_internal.open_session(${templateId}, ${connectionId}, ${restart})`,
        "rows",
      );
      const row = rows[0];
      if (!row) throw new WriteRefusedError("not_found", "The session could not be opened");
      return {
        sessionId: row.session_id,
        history: row.history,
        turnCount: row.turn_count,
        created: row.created,
        generation: BigInt(row.generation),
      };
    },

    async loadSession(claims, sessionId) {
      // The caller's own session only, as RLS would show it.
      const rows = await call(claims, sql`chat_internal.load_session(${sessionId})`, "rows");
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

    async appendTurns(claims, fence, turns) {
      const rows = await call(
        claims,
        sql`chat_internal.append_turns(
          ${fence.sessionId}, ${fence.connectionId}, ${fence.expectedTurnCount},
          ${JSON.stringify(turns)}::text::jsonb)`,
        "value",
      );
      return rows[0]!.result;
    },

    async completeSession(claims, fence, turns, result) {
      const document = "document" in result ? JSON.stringify(result.document) : null;
      const documentId = "documentId" in result ? result.documentId : null;
      const turnsJson = JSON.stringify(turns);
      const rows = await call(
        claims,
        sql`chat_internal.complete_session(
          ${fence.sessionId}, ${fence.connectionId}, ${fence.expectedTurnCount},
          ${turnsJson}::text::jsonb, ${document}::text::jsonb, ${documentId}::uuid)`,
        "value",
      );
      return rows[0]!.result;
    },

    async loadReview(claims, sessionId) {
      const rows = await call(claims, sql`chat_internal.load_review(${sessionId})`, "rows");
      const row = rows[0];
      if (!row || !row.document) return null;
      return { document: row.document, turnCount: row.turn_count };
    },

    async storeReview(claims, fence, document) {
      await call(
        claims,
        sql`chat_internal.store_review(
          ${fence.sessionId}, ${fence.connectionId}, ${fence.expectedTurnCount},
          ${JSON.stringify(document)}::text::jsonb)`,
        "value",
      );
    },

    async confirmReview(claims, fence) {
      const rows = await call(
        claims,
        sql`chat_internal.confirm_review(
          ${fence.sessionId}, ${fence.connectionId}, ${fence.expectedTurnCount})`,
        "value",
      );
      return rows[0]!.result;
    },

    async ping() {
      try {
        await sql`select 1`;
      } catch (error: unknown) {
        throw translate(error);
      }
    },
  };
}

function translate(error: unknown): Error {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && code in REFUSALS) {
    return new WriteRefusedError(REFUSALS[code]!, (error as Error).message);
  }
  if (isConnectionError(error)) {
    return new StoreUnavailableError(`Database unavailable: ${String(code)}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
