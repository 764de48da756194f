/**
 * Reads a stored interview for the original contract, where the request carries only
 * `sessionId`. No user is behind such a request, so it runs as `service_role`.
 */
import type { Sql } from "../_shared/platform/database.ts";

/** A session's history and its template row, as stored. */
export interface StoredInterview {
  history: unknown[];
  template: Record<string, unknown>;
}

export interface SessionReader {
  /** The session and its template, or null when there is no such session. */
  read(sessionId: string): Promise<StoredInterview | null>;
}

/**
 * The one real SessionReader: one transaction that switches to `service_role` (granted to
 * `postgres` on hosted Supabase, and bypassing RLS) with a local statement timeout.
 */
export function createPostgresSessionReader(
  sql: Sql,
  options: { statementTimeoutMs: number },
): SessionReader {
  return {
    async read(sessionId) {
      const rows = await sql.begin(async (tx) => {
        await tx`
          select set_config('role', 'service_role', true),
            set_config('statement_timeout', ${String(options.statementTimeoutMs)}, true)`;
        return await tx`
          select s.history, t.id, t.slug, t.name, t.description, t.questions, t.body
          from public.chat_sessions s
          join public.document_templates t on t.id = s.template_id
          where s.id = ${sessionId}`;
      });
      const row = rows[0];
      if (!row) return null;
      const { history, ...template } = row;
      return { history, template };
    },
  };
}
