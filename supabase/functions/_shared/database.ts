import postgres from "postgres";

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

export interface DatabaseOptions {
  max?: number;
  /** Statement timeout set locally in each user transaction, in milliseconds. */
  statementTimeoutMs?: number;
}

/**
 * A postgres.js pool. `prepare: false` keeps it usable behind Supabase's transaction pooler;
 * errors carry their SQLSTATE in `code`.
 */
export function createDatabase(url: string, options: DatabaseOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    prepare: false,
    idle_timeout: 60,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: "guided-document-chat" },
  });
}

/**
 * Runs work for one user in one transaction that first does what PostgREST does for a request:
 * role `authenticated` and the caller's claims, so auth.uid() is the caller and RLS applies.
 * The per-role statement_timeout does not apply after a role switch, so a local one is set.
 */
export function asUser<T>(
  sql: Sql,
  claims: Record<string, unknown>,
  statementTimeoutMs: number,
  work: (tx: TransactionSql) => Promise<T>,
): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`
      select set_config('role', 'authenticated', true),
        set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
        set_config('statement_timeout', ${String(statementTimeoutMs)}, true)`;
    return await work(tx);
  }) as Promise<T>;
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
