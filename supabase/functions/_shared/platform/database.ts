import postgres from "postgres";
import { type SqlArgument, text } from "./sql_argument.ts";

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

export interface DatabaseOptions {
  max?: number;
  /** Seconds an idle pool connection stays open. Default 60. */
  idleTimeoutSeconds?: number;
  /** What pg_stat_activity shows for the pool's connections. */
  applicationName?: string;
  /**
   * Named prepared statements, parsed once per connection. Only for a direct connection or a
   * session pooler: a transaction pooler hands each transaction to any server connection.
   */
  prepare?: boolean;
  /**
   * The role every connection starts as, and its statement timeout: startup parameters, so only
   * where connections keep session state and pass them on (the direct connection). PgBouncer in
   * transaction mode refuses both.
   */
  startAs?: { role: string; statementTimeoutMs: number };
  /** Called with the text of every query the pool sends (tests). */
  onQuery?: (query: string) => void;
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
    ...(options.onQuery ? { debug: (_connection, query) => options.onQuery!(query) } : {}),
    // No statement_timeout unless asked for: PgBouncer in transaction mode refuses it as a
    // startup parameter, and a role's own would not hold after a role switch. Transactions that
    // switch roles set a local one (asUser, callSimple, the cleanup's and the interviewer's reads).
    connection: {
      application_name: options.applicationName ?? "guided-document-chat",
      ...(options.startAs
        ? { role: options.startAs.role, statement_timeout: options.startAs.statementTimeoutMs }
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
 * For plain selects that rely on RLS (the documents function's, the dev portal's). Not on a pool
 * that also runs single statements, as the chat's does: see createUserDatabase.
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

/** A call of a chat_internal function for one user. */
export interface UserCall {
  /** The verified claims of the caller's token. */
  claims: Record<string, unknown>;
  /** A schema-qualified function name, `chat_internal.append_turns`. */
  fn: string;
  args: readonly SqlArgument[];
  /** `"value"`: one row whose `result` is what the function returned; `"rows"`: its rows. */
  returns: "value" | "rows";
}

export interface UserDatabaseOptions {
  max?: number;
  /**
   * Whether the pool's connections keep session state: the direct connection (or a session
   * pooler that passes startup parameters on). Then every connection starts as `authenticated`
   * and each call is one named prepared statement. Otherwise (the transaction pooler) each call
   * is a simple query that switches the role for its own transaction.
   */
  prepare: boolean;
  /** statement_timeout of each call, in milliseconds (0: none). */
  statementTimeoutMs: number;
  applicationName?: string;
  /** Called with the text of every query the pool sends (tests). */
  onQuery?: (query: string) => void;
}

/**
 * A pool that runs calls for users, each as PostgREST runs a request: role `authenticated` and
 * the caller's claims, so the function's EXECUTE, its schema's USAGE and, inside a security
 * invoker function, RLS are all checked for `authenticated`, and auth.uid() is the caller. One
 * round trip and one implicit transaction per call, never a BEGIN (see below for why).
 */
export interface UserDatabase {
  /** The pool itself, for what runs for no user (the health check, LISTEN, the ownership poll). */
  readonly sql: Sql;
  call(call: UserCall): Promise<postgres.RowList<postgres.Row[]>>;
  /** Throws when the database is unreachable, or the pool's connections run as another role. */
  ping(): Promise<void>;
}

const QUALIFIED_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

/**
 * Why the role is where it is: Postgres checks a schema's USAGE while it parses a statement and a
 * function's EXECUTE when the executor starts, so `select f() from (select set_config('role',
 * ...)) s` fails for a login role that is only a NOINHERIT member of `authenticated`: the switch
 * inside the statement comes too late for the statement's own checks. So the role must be in
 * place before the statement that calls the function:
 *
 * - `prepare: true`: the role is a startup parameter of every connection, as is the statement
 *   timeout, and each call is one named prepared statement that sets the claims
 *   (transaction-locally) in a subquery, with the call in the select list over it, so it runs
 *   once, after them (`offset 0` keeps the planner from flattening the subquery, which would call
 *   a set-returning function once per output column). The subquery switches the role as well, so
 *   a function's body runs as `authenticated` even on a login that bypasses RLS whose connection
 *   lost the startup parameter; ping reports such a pool. Both the startup parameters and the
 *   prepared statements need a connection that keeps session state; a transaction pooler gives
 *   none.
 * - `prepare: false`: ONE simple-protocol Query message of two statements, the settings (role,
 *   claims, statement timeout, all transaction-local) and then the call. Postgres runs the
 *   statements of one Query message as one implicit transaction, and parses the second after the
 *   first has run, so it is checked as `authenticated`; statement_timeout applies to each
 *   statement of the message separately (PostgreSQL 13+), so the local one covers the call. A
 *   simple query carries no parameters, so the arguments travel as literals (sql_argument.ts).
 *   This costs Postgres about a quarter more CPU per call than the prepared statement (two
 *   statements parsed and planned per call; BENCHMARKS.md), which is what a transaction pooler
 *   costs anyway: prepared statements were never possible behind it.
 *
 * Why never an explicit transaction: postgres.js 3.4.9 pipelines a query onto a busy connection
 * when none is idle, so another caller's statement can land between a `sql.begin`'s BEGIN and
 * COMMIT; and a BEGIN written while the socket pushes back is never marked as a transaction
 * (UNSAFE_TRANSACTION), leaving the pool to use a connection stuck inside one. Seen under the
 * saturated bench when reads used asUser and writes did not. One statement, or one Query message,
 * is read whole before the next message, so a pipelined query can never land inside it. And
 * postgres.js sends a Sync after every extended-protocol query, so settings and a prepared call
 * cannot share an implicit transaction as two pipelined statements.
 */
export function createUserDatabase(url: string, options: UserDatabaseOptions): UserDatabase {
  const { prepare, statementTimeoutMs } = options;
  if (!Number.isSafeInteger(statementTimeoutMs) || statementTimeoutMs < 0) {
    throw new RangeError(`Cannot use statement timeout "${statementTimeoutMs}"`);
  }
  const sql = createDatabase(url, {
    max: options.max,
    prepare,
    applicationName: options.applicationName,
    onQuery: options.onQuery,
    startAs: prepare ? { role: "authenticated", statementTimeoutMs } : undefined,
  });
  return {
    sql,
    call: async (call) => {
      if (!QUALIFIED_NAME.test(call.fn)) {
        throw new TypeError(`Cannot call "${call.fn}": not a schema-qualified function name`);
      }
      return await (prepare ? callPrepared(sql, call) : callSimple(sql, call, statementTimeoutMs));
    },
    async ping() {
      if (!prepare) {
        await sql`select 1`;
        return;
      }
      const [row] = await sql`select current_user as role`;
      if (row?.role !== "authenticated") {
        throw new Error(
          `The database connections run as "${row?.role}", not "authenticated": the connection ` +
            `did not pass on the startup parameter "role" (a pooler?). Use the direct ` +
            `connection, or DB_PREPARE=false.`,
        );
      }
    },
  };
}

function callPrepared(sql: Sql, call: UserCall): Promise<postgres.RowList<postgres.Row[]>> {
  // Each parameter is text cast to its type: postgres.js serializes a value by the type the server
  // describes for its parameter, so a jsonb parameter would turn JSON text into a JSON string.
  const params = call.args.map((arg, n) => `$${n + 2}::text::${arg.type}`).join(", ");
  return sql.unsafe(
    `select ${call.returns === "rows" ? "(result).*" : "result"}
    from (
      select ${call.fn}(${params}) as result
      from (select set_config('role', 'authenticated', true),
        set_config('request.jwt.claims', $1::text, true)) settings
      offset 0
    ) call`,
    [JSON.stringify(call.claims), ...call.args.map((arg) => arg.value)],
    { prepare: true },
  ) as unknown as Promise<postgres.RowList<postgres.Row[]>>;
}

async function callSimple(
  sql: Sql,
  call: UserCall,
  statementTimeoutMs: number,
): Promise<postgres.RowList<postgres.Row[]>> {
  const invocation = `${call.fn}(${call.args.map((arg) => arg.literal).join(", ")})`;
  const results = await sql.unsafe(
    `select set_config('role', 'authenticated', true),
      set_config('request.jwt.claims', ${text(JSON.stringify(call.claims)).literal}, true),
      set_config('statement_timeout', '${statementTimeoutMs}', true);
    ${call.returns === "rows" ? `select * from ${invocation}` : `select ${invocation} as result`}`,
  ) as unknown as postgres.RowList<postgres.Row[]>[];
  const result = results[1];
  if (results.length !== 2 || !Array.isArray(result)) {
    throw new Error(`Calling "${call.fn}" returned ${results.length} results, not the two sent`);
  }
  return result;
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
