/**
 * The documents function's writes: rename and delete a document, discard a draft. Each is one
 * call of a security definer function of chat_internal, run as `authenticated` with the caller's
 * claims (asUser), which acts for auth.uid() alone: another user's document or draft is not
 * found, exactly as a missing one (supabase/migrations/*_titles_and_drafts.sql).
 */
import type { Sql } from "../_shared/platform/database.ts";
import { asUser } from "../_shared/platform/user_database.ts";
import type { Claims } from "./document_reads.ts";

export type RenameResult =
  | { kind: "renamed"; id: string; title: string }
  | { kind: "not_found" }
  /** The database refused the title; `message` says why, for the person who typed it. */
  | { kind: "refused"; message: string };

export type DiscardResult = { kind: "discarded" } | { kind: "not_found" } | { kind: "finished" };

export interface DocumentWrites {
  rename(claims: Claims, id: string, title: string): Promise<RenameResult>;
  /** Deletes the document and the finished interview it came from; false when not found. */
  delete(claims: Claims, id: string): Promise<boolean>;
  discardDraft(claims: Claims, sessionId: string): Promise<DiscardResult>;
}

// The SQLSTATEs of the functions' refusals (docs/database.md, "Titles and drafts").
const NOT_FOUND = "CH404";
const FINISHED = "CH410";
const TITLE_REFUSALS = new Set(["22023", "CH414", "CH416"]);

export function createDocumentWrites(
  sql: Sql,
  options: { statementTimeoutMs: number },
): DocumentWrites {
  const run = (claims: Claims, statement: Parameters<typeof asUser>[3]) =>
    asUser(sql, claims, options.statementTimeoutMs, statement);

  return {
    async rename(claims, id, title) {
      try {
        const [row] = await run(
          claims,
          (tx) => tx`select chat_internal.rename_document(${id}::uuid, ${title}) as title`,
        );
        return { kind: "renamed", id, title: String(row!.title) };
      } catch (caught: unknown) {
        const code = sqlState(caught);
        if (code === NOT_FOUND) return { kind: "not_found" };
        if (code !== undefined && TITLE_REFUSALS.has(code)) {
          return { kind: "refused", message: (caught as Error).message };
        }
        throw caught;
      }
    },

    async delete(claims, id) {
      try {
        await run(claims, (tx) => tx`select chat_internal.delete_document(${id}::uuid)`);
        return true;
      } catch (caught: unknown) {
        if (sqlState(caught) === NOT_FOUND) return false;
        throw caught;
      }
    },

    async discardDraft(claims, sessionId) {
      try {
        await run(claims, (tx) => tx`select chat_internal.discard_session(${sessionId}::uuid)`);
        return { kind: "discarded" };
      } catch (caught: unknown) {
        const code = sqlState(caught);
        if (code === NOT_FOUND) return { kind: "not_found" };
        if (code === FINISHED) return { kind: "finished" };
        throw caught;
      }
    },
  };
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
