import postgres from "postgres";

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

export interface DatabaseOptions {
  max?: number;
  /** Seconds an idle pool connection stays open. Default 60. */
  idleTimeoutSeconds?: number;
  /** What pg_stat_activity shows for the pool's connections. */
  applicationName?: string;
  /** statement_timeout of every connection of the pool, in milliseconds (0: none). */
  statementTimeoutMs?: number;
  /**
   * Whether statementTimeoutMs travels as a startup parameter (default true). PgBouncer refuses
   * the connection over it ("unsupported startup parameter"): false omits it.
   */
  startupStatementTimeout?: boolean;
  /**
   * Named prepared statements, parsed once per connection. Only for a direct connection or a
   * session pooler: a transaction pooler hands each transaction to any server connection.
   */
  prepare?: boolean;
}

/**
 * Seconds a pool connection waits before reconnecting after the database refused or dropped it.
 * postgres.js's default grows as 3^n / 100 s up to 20 s over the failures of the whole pool, and
 * resets only after a connection succeeds: after a 3 s database restart, users waited another
 * 10-20 s. Capped at 1 s here, with jitter so the pool's connections do not reconnect in step.
 */
export function reconnectBackoff(failures: number): number {
  return Math.min(1, 0.05 * 2 ** failures) * (0.5 + Math.random() / 2);
}

/**
 * A postgres.js pool. Unprepared statements by default keep it usable behind Supabase's
 * transaction pooler; errors carry their SQLSTATE in `code`.
 */
export function createDatabase(url: string, options: DatabaseOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    prepare: options.prepare ?? false,
    idle_timeout: options.idleTimeoutSeconds ?? 60,
    connect_timeout: 5,
    backoff: reconnectBackoff,
    onnotice: () => {},
    connection: {
      application_name: options.applicationName ?? "guided-document-chat",
      ...(options.statementTimeoutMs && options.startupStatementTimeout !== false
        ? { statement_timeout: options.statementTimeoutMs }
        : {}),
    },
  });
}

/** One statement, built on the transaction's connection but not yet sent. */
export type Statement = (tx: TransactionSql) => postgres.PendingQuery<postgres.Row[]>;

/**
 * Runs one statement for one user in one transaction that first does what PostgREST does for a
 * request: role `authenticated` and the caller's claims, so auth.uid() is the caller and RLS
 * applies. The per-role statement_timeout does not apply after a role switch, so a local one is
 * set.
 *
 * The settings and the statement are pipelined inside `sql.begin`: three round trips (begin,
 * both queries, commit). Pipelining all four on `sql.reserve()` saved two more, but postgres.js
 * 3.4.9 does not fail a reserved connection's queued queries when the database closes it: under a
 * PostgreSQL restart some transactions never settled and their interviews stopped answering
 * (recovery_e2e_test.ts, 11 of 20 stuck for 60 s), and a reserved connection that had stuck kept
 * sticking after release. `sql.begin` rejects when its connection closes.
 *
 * For plain selects that rely on RLS (the dev portal's). Not on a pool that also runs single
 * statements, as the chat's does: see callAsUser.
 */
export async function asUser(
  sql: Sql,
  claims: Record<string, unknown>,
  statementTimeoutMs: number,
  statement: Statement,
): Promise<postgres.RowList<postgres.Row[]>> {
  const [, result] = await sql.begin((tx) => [
    tx`
      select set_config('role', 'authenticated', true),
        set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
        set_config('statement_timeout', ${String(statementTimeoutMs)}, true)`,
    statement(tx),
  ]);
  return result as postgres.RowList<postgres.Row[]>;
}

/** A call of a chat_internal function, `sql\`chat_internal.f(${a}, ${b})\``, not yet sent. */
export type FunctionCall = postgres.PendingQuery<postgres.Row[]>;

/**
 * Runs one chat_internal function call for one user as a single statement: one round trip, one
 * implicit transaction, no BEGIN on the shared pool. The claims are set (transaction-locally) in
 * a subquery and the call sits in the select list over it, so it runs once, after them; `offset 0`
 * keeps the planner from flattening the subquery, which would call a set-returning function once
 * per output column. Only for the `security definer` functions of chat_internal, which act for
 * auth.uid() whatever the connection's role, so no role switch is made (RLS on a plain select
 * would need asUser's; the switch would also cost two ParameterStatus messages a statement). The
 * statement timeout is the pool connection's own.
 *
 * `"value"`: one row whose `result` is what the function returned. `"rows"`: the rows of a
 * function that returns a table, with its columns.
 *
 * Why never an explicit transaction on the chat's pool: postgres.js 3.4.9 pipelines a query onto
 * a busy connection when none is idle, so another caller's statement can land between a
 * `sql.begin`'s BEGIN and COMMIT; and a BEGIN written while the socket pushes back is never
 * marked as a transaction (UNSAFE_TRANSACTION), leaving the pool to use a connection stuck
 * inside one. Seen under the saturated bench when reads used asUser and writes did not.
 */
export async function callAsUser(
  sql: Sql,
  claims: Record<string, unknown>,
  call: FunctionCall,
  returns: "value" | "rows",
): Promise<postgres.RowList<postgres.Row[]>> {
  return await sql`
    select ${returns === "rows" ? sql`(result).*` : sql`result`}
    from (
      select ${call} as result
      from (select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)) settings
      offset 0
    ) call`;
}

/**
 * Whether an uncaught error is postgres.js 3.4.9's write race: a write queued with setImmediate
 * runs after the connection closed and calls `null.write` in `nextWrite` (porsager/postgres
 * #1154, #1208; denoland/deno#34667). By then the connection's queries have already failed with
 * CONNECTION_CLOSED, so the lost write is moot; but the throw escapes every caller.
 */
export function isPostgresWriteRace(error: unknown): boolean {
  return error instanceof TypeError &&
    error.message.includes("reading 'write'") &&
    /\bnextWrite\b/.test(error.stack ?? "") &&
    /[\\/]postgres[\\/@]/.test(error.stack ?? "");
}

let raceGuardInstalled = false;

/**
 * Keeps the process alive through postgres.js's write race (see isPostgresWriteRace), which
 * otherwise ends it with "Uncaught TypeError" when the database drops connections under load.
 * Every other uncaught error still ends the process.
 */
export function guardAgainstPostgresWriteRace(onCaught: (error: Error) => void): void {
  if (raceGuardInstalled) return;
  raceGuardInstalled = true;
  globalThis.addEventListener("error", (event: ErrorEvent) => {
    if (!isPostgresWriteRace(event.error)) return;
    event.preventDefault();
    onCaught(event.error);
  });
}

/**
 * Whether an unhandled rejection is postgres.js 3.4.9 failing a connection that no query holds:
 * a transaction pooler whose database is away (PgBouncer's "server login has been failing",
 * 08P01) answers a new connection with an ErrorResponse that postgres.js turns into a promise
 * nobody awaits. The queries waiting for a connection fail on their own and the pool reconnects.
 */
export function isOrphanedPostgresConnectionError(reason: unknown): boolean {
  return reason instanceof Error && reason.name === "PostgresError" &&
    isConnectionError(reason) &&
    /[\\/]postgres[\\/@][^\n]*connection\.js/.test(reason.stack ?? "");
}

let rejectionGuardInstalled = false;

/**
 * Keeps the process alive through the orphaned connection errors of isOrphanedPostgresConnectionError,
 * which otherwise end it with "Uncaught (in promise) PostgresError" when the database behind a
 * pooler restarts. Every other unhandled rejection still ends the process.
 */
export function guardAgainstOrphanedPostgresErrors(onCaught: (error: Error) => void): void {
  if (rejectionGuardInstalled) return;
  rejectionGuardInstalled = true;
  globalThis.addEventListener("unhandledrejection", (event: PromiseRejectionEvent) => {
    if (!isOrphanedPostgresConnectionError(event.reason)) return;
    event.preventDefault();
    onCaught(event.reason);
  });
}

/** SQLSTATE classes and client error codes that mean "the database is not reachable now". */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string") return false;
  return code.startsWith("08") || code.startsWith("57P") || code === "53300" ||
    ["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT"]
      .includes(code) ||
    code.startsWith("E"); // ECONNREFUSED, ECONNRESET, EPIPE ...
}
