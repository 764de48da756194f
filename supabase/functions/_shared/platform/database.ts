/** The postgres.js pool every function opens: its options, and how it reconnects. */
import postgres from "postgres";

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
 * Seconds a pool connection waits before reconnecting after the database refused or dropped it:
 * at most 1 s, with jitter so the pool's connections do not reconnect in step. postgres.js's own
 * backoff grows to 20 s (docs/decisions.md, "postgres.js 3.4.9 and what the code does about it").
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
