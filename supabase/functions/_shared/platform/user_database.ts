/**
 * Calls that run for one user, as PostgREST runs a request: role `authenticated` and the caller's
 * claims. `asUser` wraps a plain select in a transaction; a `UserDatabase` sends each call of a
 * chat_internal function by one of two strategies, by whether the pool keeps session state.
 */
import type postgres from "postgres";
import { createDatabase, type Sql, type TransactionSql } from "./database.ts";
import { type SqlArgument, text } from "./sql_argument.ts";

/** One statement, built on the transaction's connection but not yet sent. */
export type Statement = (tx: TransactionSql) => postgres.PendingQuery<postgres.Row[]>;

/**
 * Runs one statement for one user in one transaction that first does what PostgREST does for a
 * request: role `authenticated` and the caller's claims, so auth.uid() is the caller and RLS
 * applies. The per-role statement_timeout does not apply after a role switch, so a local one is
 * set.
 *
 * The settings and the statement are pipelined inside `sql.begin` (three round trips), not on a
 * reserved connection, because `sql.begin` rejects when its connection closes and a reserved one
 * does not (docs/decisions.md, "postgres.js 3.4.9 and what the code does about it").
 *
 * For the documents function's reads and writes, each one statement under RLS. Not on a pool
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
 * Never an explicit transaction: postgres.js 3.4.9 can pipeline another caller's query into one,
 * while one statement or one Query message is read whole (docs/decisions.md, "postgres.js 3.4.9
 * and what the code does about it").
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

// The claims' JSON per claims object: one connection makes every call with the same verified
// claims (a token refresh brings a new object), and they are never changed once verified.
const claimsJson = new WeakMap<Record<string, unknown>, string>();

function jsonOfClaims(claims: Record<string, unknown>): string {
  let json = claimsJson.get(claims);
  if (json === undefined) {
    json = JSON.stringify(claims);
    claimsJson.set(claims, json);
  }
  return json;
}

function callPrepared(sql: Sql, call: UserCall): Promise<postgres.RowList<postgres.Row[]>> {
  const values: unknown[] = [jsonOfClaims(call.claims)];
  for (const arg of call.args) values.push(arg.value);
  return sql.unsafe(preparedText(call), values as postgres.ParameterOrJSON<never>[], {
    prepare: true,
  }) as unknown as Promise<postgres.RowList<postgres.Row[]>>;
}

interface PreparedText {
  returns: UserCall["returns"];
  types: readonly string[];
  text: string;
}

// The statement's text per function, result shape and parameter types: a handful in all, each
// built once rather than for every call of every turn.
const preparedTexts = new Map<string, PreparedText[]>();

// A loop rather than `every`: this runs for every call, and a callback would be made each time.
function sameTypes(types: readonly string[], args: readonly SqlArgument[]): boolean {
  if (types.length !== args.length) return false;
  for (let n = 0; n < types.length; n++) if (types[n] !== args[n]!.type) return false;
  return true;
}

function preparedText(call: UserCall): string {
  const known = preparedTexts.get(call.fn) ?? [];
  for (const prepared of known) {
    if (prepared.returns === call.returns && sameTypes(prepared.types, call.args)) {
      return prepared.text;
    }
  }
  // Each parameter is text cast to its type: postgres.js serializes a value by the type the server
  // describes for its parameter, so a jsonb parameter would turn JSON text into a JSON string.
  const params = call.args.map((arg, n) => `$${n + 2}::text::${arg.type}`).join(", ");
  const text = `select ${call.returns === "rows" ? "(result).*" : "result"}
    from (
      select ${call.fn}(${params}) as result
      from (select set_config('role', 'authenticated', true),
        set_config('request.jwt.claims', $1::text, true)) settings
      offset 0
    ) call`;
  known.push({ returns: call.returns, types: call.args.map((arg) => arg.type), text });
  preparedTexts.set(call.fn, known);
  return text;
}

async function callSimple(
  sql: Sql,
  call: UserCall,
  statementTimeoutMs: number,
): Promise<postgres.RowList<postgres.Row[]>> {
  const invocation = `${call.fn}(${call.args.map((arg) => arg.literal).join(", ")})`;
  const results = await sql.unsafe(
    `select set_config('role', 'authenticated', true),
      set_config('request.jwt.claims', ${text(jsonOfClaims(call.claims)).literal}, true),
      set_config('statement_timeout', '${statementTimeoutMs}', true);
    ${call.returns === "rows" ? `select * from ${invocation}` : `select ${invocation} as result`}`,
  ) as unknown as postgres.RowList<postgres.Row[]>[];
  const result = results[1];
  if (results.length !== 2 || !Array.isArray(result)) {
    throw new Error(`Calling "${call.fn}" returned ${results.length} results, not the two sent`);
  }
  return result;
}
