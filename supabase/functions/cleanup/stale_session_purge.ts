import type postgres from "postgres";
import { createDatabase } from "../_shared/platform/database.ts";

/** The database side of the cleanup: the purge functions of the batched-purge migration. */
export interface StaleSessionPurge {
  /** `now() - maxAgeHours` by the database's clock, as an ISO 8601 string in UTC. */
  cutoff(maxAgeHours: number): Promise<string>;
  /** How many sessions a purge at this cutoff would delete now (the dry run). */
  countStale(cutoff: string): Promise<number>;
  /** Deletes at most batchSize stale sessions older than the cutoff; returns how many. */
  purgeBatch(cutoff: string, batchSize: number): Promise<number>;
}

export interface PostgresPurgeOptions {
  /** Statement timeout set locally in each transaction, in milliseconds (0: none). */
  statementTimeoutMs: number;
}

/**
 * A postgres.js pool for the cleanup: small, and with `prepare: false` usable behind the
 * transaction pooler.
 */
export function createCleanupDatabase(url: string, options: { prepare: boolean }): postgres.Sql {
  return createDatabase(url, {
    max: 2,
    prepare: options.prepare,
    idleTimeoutSeconds: 30,
    applicationName: "guided-document-chat-cleanup",
  });
}

/**
 * Runs each call in its own short transaction with a local statement timeout, so locks are held
 * for one batch only. It runs as the login role itself: the purge functions run as their owner
 * (security definer), and the cleanup's own role (cleanup_login, docs/database.md) may execute
 * them and nothing else, so it needs no switch to service_role. The cutoff travels as text with
 * microseconds, and each batch passes `now() - cutoff` as max_age, so every batch of a run uses
 * the same cutoff however long the run takes.
 */
export function createPostgresPurge(
  sql: postgres.Sql,
  options: PostgresPurgeOptions,
): StaleSessionPurge {
  const inTransaction = <T>(work: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> =>
    sql.begin(async (tx) => {
      await tx`select set_config('statement_timeout', ${String(options.statementTimeoutMs)}, true)`;
      return await work(tx);
    }) as Promise<T>;

  return {
    async cutoff(maxAgeHours) {
      const [row] = await sql<{ cutoff: string }[]>`
        select to_char((now() - ${maxAgeHours}::float8 * interval '1 hour') at time zone 'UTC',
          'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cutoff`;
      return row!.cutoff;
    },
    countStale(cutoff) {
      return inTransaction(async (tx) => {
        const [row] = await tx<{ stale: string }[]>`
          select public.count_stale_chat_sessions(now() - ${cutoff}::timestamptz) as stale`;
        return Number(row!.stale);
      });
    },
    purgeBatch(cutoff, batchSize) {
      return inTransaction(async (tx) => {
        const [row] = await tx<{ deleted: number }[]>`
          select public.purge_stale_chat_sessions(now() - ${cutoff}::timestamptz,
            ${batchSize}::integer) as deleted`;
        return row!.deleted;
      });
    },
  };
}
