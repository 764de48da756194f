// A PostgreSQL cluster of a test's own, on its own port, brought up with scripts/stack.sh (the
// same bootstrap and migrations as the shared one), so a test may stop and restart it without
// disturbing the cluster every other test uses.
import { ROOT } from "./local_stack.ts";

export interface ThrowawayCluster {
  port: number;
  url: string;
  /** Its own PgBouncer in transaction mode, on port + 10000 (so it never meets the shared one). */
  poolerUrl: string;
  /** Starts the cluster (applying any new migrations); resolves when it accepts connections. */
  up(): Promise<void>;
  /** Stops it the way `pg_ctl stop -m fast` does: sessions are terminated, data kept. */
  down(): Promise<void>;
  /** Stops the database alone; its PgBouncer keeps taking clients, as a hosted pooler does. */
  downBehindPooler(): Promise<void>;
}

/** The cluster on `port` (THROWAWAY_DB_PORT, else 54441); never the shared test port. */
export function throwawayCluster(port = Number(Deno.env.get("THROWAWAY_DB_PORT") ?? 54441)) {
  const shared = Number(Deno.env.get("SUPABASE_DB_PORT") ?? 54322);
  if (port === shared) throw new RangeError(`Cannot use port ${port}: the shared cluster's port`);
  const stack = async (command: "up" | "down", extra: Record<string, string> = {}) => {
    const output = await new Deno.Command("bash", {
      args: [`${ROOT}scripts/stack.sh`, command],
      env: {
        SUPABASE_DB_PORT: String(port),
        SUPABASE_POOLER_PORT: String(port + 10_000),
        ...extra,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(
        `stack.sh ${command} on ${port} failed: ${new TextDecoder().decode(output.stderr)}`,
      );
    }
  };
  const cluster: ThrowawayCluster = {
    port,
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    poolerUrl: `postgresql://postgres:postgres@127.0.0.1:${port + 10_000}/postgres`,
    up: () => stack("up"),
    down: () => stack("down"),
    downBehindPooler: () => stack("down", { SUPABASE_POOLER_KEEP: "1" }),
  };
  return cluster;
}
