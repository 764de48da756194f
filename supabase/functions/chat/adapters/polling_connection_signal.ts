/** The ConnectionSignal port without LISTEN: a batched ownership poll that a pooler passes. */
import type { Sql } from "../../_shared/platform/database.ts";
import { text } from "../../_shared/platform/sql_argument.ts";
import { describeError, type Logger } from "../../_shared/platform/logger.ts";
import { isUuid } from "../../_shared/platform/uuid.ts";
import type { ConnectionSignal, OwnedSession, SupersedeWatch } from "../ports/connection_signal.ts";

export interface PollingSignalOptions {
  /** Milliseconds between polls; a superseded socket closes within about this long. */
  intervalMs?: number;
  /** Called after each poll with the number of sessions asked about (for the bench). */
  onPoll?: (asked: number) => void;
}

/**
 * Every intervalMs, one statement asks chat_internal.superseded_connections about all of this
 * process's open sessions at once, and the connections it names are closed by the watch. A
 * process with no open session sends nothing. One poll at a time: a slow one delays the next.
 * Works through a transaction pooler: one simple query, no session state.
 */
export function createPollingConnectionSignal(
  sql: Sql,
  log: Logger,
  options: PollingSignalOptions = {},
): ConnectionSignal {
  const intervalMs = options.intervalMs ?? 1_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let failing = false;

  const poll = async (watch: SupersedeWatch) => {
    const owned = watch.owned().filter((o) => isUuid(o.sessionId) && isUuid(o.connectionId));
    if (owned.length === 0) return;
    const lost = await supersededConnections(sql, owned);
    options.onPoll?.(owned.length);
    if (lost.length > 0) watch.onSuperseded(lost);
  };

  const loop = (watch: SupersedeWatch) => {
    if (closed) return;
    timer = setTimeout(async () => {
      try {
        await poll(watch);
        if (failing) log.info("connection_signal_recovered", { kind: "poll" });
        failing = false;
      } catch (error: unknown) {
        if (!failing) {
          log.warn("connection_signal_unavailable", { kind: "poll", error: describeError(error) });
        }
        failing = true;
      }
      loop(watch);
    }, intervalMs);
  };

  return {
    kind: "poll",
    async subscribe(_onClaim, watch) {
      // The first poll fails fast when the function is missing or the database is away, so the
      // server retries the subscription as it does for LISTEN.
      await supersededConnections(sql, []);
      log.debug("connection_signal_polling", { intervalMs });
      loop(watch);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      return Promise.resolve();
    },
  };
}

/**
 * The connections of `owned` whose session another connection (or a restart) took. The poll runs
 * for no user, as the login role: on a pool whose connections start as `authenticated`
 * (createUserDatabase with prepared statements) the first statement of the message returns to
 * the login role for this transaction; elsewhere it changes nothing. One simple query of two
 * statements, so one round trip and one implicit transaction, as the user calls are.
 */
export async function supersededConnections(sql: Sql, owned: OwnedSession[]): Promise<string[]> {
  const sessions = text(`{${owned.map((o) => o.sessionId).join(",")}}`).literal;
  const connections = text(`{${owned.map((o) => o.connectionId).join(",")}}`).literal;
  const results = await sql.unsafe(
    `select set_config('role', 'none', true);
    select connection_id::text as id
    from chat_internal.superseded_connections(${sessions}::uuid[], ${connections}::uuid[])
      as connection_id`,
  ) as unknown as { id: string }[][];
  return (results[1] ?? []).map((row) => row.id);
}
