/** The ConnectionSignal port over Postgres LISTEN/NOTIFY. */
import type { Sql } from "../../_shared/platform/database.ts";
import type { Logger } from "../../_shared/platform/logger.ts";
import type { ConnectionClaim, ConnectionSignal } from "../ports/connection_signal.ts";

export const CONNECTION_CHANNEL = "chat_connection_opened";

/**
 * Postgres LISTEN on the channel chat_internal.open_session notifies at commit. postgres.js keeps
 * the listening connection open and re-listens after a reconnect. Needs a direct connection or
 * the session pooler: the transaction pooler does not support LISTEN.
 */
export function createPostgresConnectionSignal(sql: Sql, log: Logger): ConnectionSignal {
  let unlisten: (() => Promise<void>) | undefined;
  return {
    kind: "listen",
    async subscribe(onClaim) {
      const subscription = await sql.listen(CONNECTION_CHANNEL, (payload) => {
        const claim = parseClaim(payload);
        if (claim) onClaim(claim);
        else log.warn("connection_signal_malformed", { length: payload.length });
      }, () => log.debug("connection_signal_listening"));
      unlisten = subscription.unlisten;
    },
    async close() {
      await unlisten?.();
    },
  };
}

export function parseClaim(payload: string): ConnectionClaim | null {
  try {
    const value = JSON.parse(payload);
    if (
      typeof value.userId !== "string" || typeof value.connectionId !== "string" ||
      typeof value.generation !== "string" || !/^\d+$/.test(value.generation)
    ) return null;
    return {
      userId: value.userId,
      connectionId: value.connectionId,
      generation: BigInt(value.generation),
    };
  } catch {
    return null;
  }
}
