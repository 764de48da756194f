/**
 * Whether a function's database login may do what the function needs (docs/database.md, "Each
 * function's login role"): checked once at start and on /health, with one cheap catalog query
 * cached for a few seconds, so a role that lacks a grant shows as a 503 with the grant it needs
 * instead of as failing requests.
 */
import type { Sql } from "./database.ts";
import type { Logger } from "./logger.ts";

/** One thing a login role must be able to do. */
export interface RoleNeed {
  /** A constant boolean SQL expression over `session_user` (the login role), never input. */
  check: string;
  /** What is missing when the check is false, naming the grant that would give it. */
  missing(role: string): string;
  /** Whether it counts now (the chat needs the poll only once the poll is its signal). */
  required?: () => boolean;
}

/** The login role and what it lacks of what the function needs now. */
export interface RoleReport {
  role: string;
  superuser: boolean;
  bypassesRls: boolean;
  missing: string[];
}

/** The right to become `authenticated`, for a connection or one transaction (chat, documents). */
export const BECOME_AUTHENTICATED: RoleNeed = {
  check: "pg_catalog.pg_has_role(session_user, 'authenticated', 'MEMBER')",
  missing: (role) => `"${role}" cannot become role "authenticated": grant authenticated to ${role}`,
};

function executeNeed(schema: string, signature: string, purpose: string): RoleNeed {
  const fn = `${schema}.${signature}`;
  return {
    check: `pg_catalog.has_schema_privilege(session_user, '${schema}', 'USAGE') and ` +
      `pg_catalog.has_function_privilege(session_user, '${fn}', 'EXECUTE')`,
    missing: (role) =>
      `"${role}" cannot execute ${fn} (${purpose}): grant usage on schema ${schema} and ` +
      `execute on function ${fn} to ${role}`,
  };
}

/** The chat's supersede poll, which runs for no user (behind a transaction pooler). */
export function supersedePollNeed(required: () => boolean): RoleNeed {
  return {
    ...executeNeed("chat_internal", "superseded_connections(uuid[], uuid[])", "the supersede poll"),
    required,
  };
}

/** The cleanup's purge and its dry run. */
export const PURGE_NEEDS: readonly RoleNeed[] = [
  executeNeed("public", "purge_stale_chat_sessions(interval, integer)", "the purge"),
  executeNeed("public", "count_stale_chat_sessions(interval)", "the purge's dry run"),
];

/** The interviewer's sessionId-only read. */
export const READ_STORED_INTERVIEW: RoleNeed = executeNeed(
  "chat_internal",
  "read_stored_interview(uuid)",
  "the sessionId-only read",
);

/** The one query that answers every need, each as column `need_<n>`. */
export function roleCheckQuery(needs: readonly RoleNeed[]): string {
  const columns = needs.map((need, n) => `(${need.check}) as need_${n}`);
  return `select session_user::text as role, r.rolsuper as superuser,
      r.rolbypassrls as bypasses_rls${columns.map((column) => `,\n      ${column}`).join("")}
    from pg_catalog.pg_roles r where r.rolname = session_user`;
}

/** The report of a row of roleCheckQuery: what the required needs lack. */
export function roleReportOf(
  row: Record<string, unknown>,
  needs: readonly RoleNeed[],
): RoleReport {
  const role = String(row.role);
  return {
    role,
    superuser: row.superuser === true,
    bypassesRls: row.bypasses_rls === true,
    missing: needs.flatMap((need, n) =>
      (need.required?.() ?? true) && row[`need_${n}`] !== true ? [need.missing(role)] : []
    ),
  };
}

/** Why /health says unhealthy, in one sentence; undefined when nothing is missing. */
export function missingReason(report: RoleReport): string | undefined {
  if (report.missing.length === 0) return undefined;
  return `The database login "${report.role}" lacks what this function needs: ` +
    report.missing.join("; ");
}

export interface LoginRoleCheck {
  /** The report, from the database at most every `cacheMs`; rejects when it cannot ask. */
  report(): Promise<RoleReport>;
}

export interface LoginRoleCheckOptions {
  /** How long one answer of the database holds. Default 5000. */
  cacheMs?: number;
  log: Logger;
  now?: () => number;
}

/**
 * Asks the database through `sql` and logs whenever the answer changes: `login_role_ready`, or
 * `login_role_missing` with what is missing; `login_role_privileged` once if the login is a
 * superuser or bypasses RLS (allowed, as the platform's default `postgres` does, but never what a
 * function should log in as).
 */
export function createLoginRoleCheck(
  sql: Sql,
  needs: readonly RoleNeed[],
  options: LoginRoleCheckOptions,
): LoginRoleCheck {
  const cacheMs = options.cacheMs ?? 5_000;
  const now = options.now ?? Date.now;
  const query = roleCheckQuery(needs);
  let cached: { at: number; row: Promise<Record<string, unknown>> } | undefined;
  let lastLogged: string | undefined;
  let privilegedLogged = false;
  const ask = async () => {
    const rows = await sql.unsafe(query);
    const row = rows[0];
    if (!row) throw new Error(`The database login has no row in pg_roles`);
    return row as Record<string, unknown>;
  };
  return {
    async report() {
      if (!cached || now() - cached.at >= cacheMs) {
        const row = ask();
        cached = { at: now(), row };
        row.catch(() => {
          if (cached?.row === row) cached = undefined;
        });
      }
      const report = roleReportOf(await cached.row, needs);
      const summary = JSON.stringify(report.missing);
      if (summary !== lastLogged) {
        lastLogged = summary;
        if (report.missing.length > 0) {
          options.log.warn("login_role_missing", { role: report.role, missing: report.missing });
        } else options.log.info("login_role_ready", { role: report.role });
      }
      if ((report.superuser || report.bypassesRls) && !privilegedLogged) {
        privilegedLogged = true;
        options.log.warn("login_role_privileged", {
          role: report.role,
          superuser: report.superuser,
          bypassesRls: report.bypassesRls,
        });
      }
      return report;
    },
  };
}
