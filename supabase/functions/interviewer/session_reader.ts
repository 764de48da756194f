/**
 * Reads a stored interview for the original contract, where the request carries only
 * `sessionId`. No user is behind such a request, so RLS cannot decide: it calls
 * `chat_internal.read_stored_interview`, which runs as its owner and which the interviewer's own
 * login role (interviewer_login, docs/database.md) may execute, and nothing else.
 */
import type { Sql } from "../_shared/platform/database.ts";

/**
 * A session's history and the template version it is pinned to (the one it started on, whatever
 * was published since), with that version's number and hash.
 */
export interface StoredInterview {
  history: unknown[];
  template: Record<string, unknown>;
}

export interface SessionReader {
  /** The session and its pinned template version, or null when there is no such session. */
  read(sessionId: string): Promise<StoredInterview | null>;
}

/**
 * The one real SessionReader: one transaction with a local statement timeout that calls the
 * reader function as the login role itself.
 */
export function createPostgresSessionReader(
  sql: Sql,
  options: { statementTimeoutMs: number },
): SessionReader {
  return {
    async read(sessionId) {
      const rows = await sql.begin(async (tx) => {
        await tx`
          select set_config('statement_timeout', ${String(options.statementTimeoutMs)}, true)`;
        return await tx`
          select history, id, slug, name, description, title, questions, body, version, hash
          from chat_internal.read_stored_interview(${sessionId})`;
      });
      const row = rows[0];
      if (!row) return null;
      const { history, ...template } = row;
      return { history, template };
    },
  };
}
