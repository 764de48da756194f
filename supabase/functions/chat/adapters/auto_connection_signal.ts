/** SUPERSEDE_SIGNAL=auto: LISTEN on a direct connection, the poll behind a pooler. */
import type { Sql } from "../../_shared/platform/database.ts";
import type { Logger } from "../../_shared/platform/logger.ts";
import type { ConnectionSignal } from "../ports/connection_signal.ts";

/**
 * Whether LISTEN can be trusted on this connection string: only when the server's own port is the
 * port the URL names, i.e. nothing sits between (a direct connection, or a session pooler that
 * reuses the server's port, as Supabase's on 5432). A transaction pooler listens on a port of its
 * own (6543), and there a notification reaches whichever client holds the server connection, so
 * the poll is used. A Unix socket (no server port) counts as direct.
 */
export function listenIsAvailable(databaseUrl: string, serverPort: number | null): boolean {
  if (serverPort === null) return true;
  const port = new URL(databaseUrl).port || "5432";
  return Number(port) === serverPort;
}

/**
 * Decides on the first subscribe, with one statement (`inet_server_port()`), and delegates to the
 * LISTEN signal or the poll from then on.
 */
export function createAutoConnectionSignal(
  sql: Sql,
  databaseUrl: string,
  log: Logger,
  choices: { listen: ConnectionSignal; poll: ConnectionSignal },
): ConnectionSignal {
  let chosen: ConnectionSignal | undefined;
  return {
    get kind() {
      return chosen?.kind;
    },
    async subscribe(onClaim, watch) {
      if (!chosen) {
        const [row] = await sql`select inet_server_port() as port`;
        const serverPort = row?.port === null || row?.port === undefined ? null : Number(row.port);
        chosen = listenIsAvailable(databaseUrl, serverPort) ? choices.listen : choices.poll;
        log.info("connection_signal_chosen", { kind: chosen.kind, serverPort });
      }
      await chosen.subscribe(onClaim, watch);
    },
    async close() {
      await chosen?.close();
    },
  };
}
