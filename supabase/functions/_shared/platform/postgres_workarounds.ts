/**
 * Guards against two ways postgres.js 3.4.9 ends a process for an error no caller can catch, both
 * met when the database drops connections under load (docs/decisions.md, "postgres.js 3.4.9 and
 * what the code does about it"). Every other uncaught error still ends the process.
 */
import { isConnectionError } from "./connection_error.ts";

/**
 * Whether an uncaught error is postgres.js 3.4.9's write race: a write queued with setImmediate
 * runs after the connection closed and calls `null.write` in `nextWrite` (porsager/postgres
 * #1154, #1208). The connection's queries have already failed, so the lost write is moot.
 */
export function isPostgresWriteRace(error: unknown): boolean {
  return error instanceof TypeError &&
    error.message.includes("reading 'write'") &&
    /\bnextWrite\b/.test(error.stack ?? "") &&
    /[\\/]postgres[\\/@]/.test(error.stack ?? "");
}

/**
 * Keeps the process alive through postgres.js's write race (see isPostgresWriteRace), which
 * otherwise ends it with "Uncaught TypeError" when the database drops connections under load.
 */
export function guardAgainstPostgresWriteRace(onCaught: (error: Error) => void): void {
  swallowOnce("error", isPostgresWriteRace, onCaught);
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

/**
 * Keeps the process alive through the orphaned connection errors of isOrphanedPostgresConnectionError,
 * which otherwise end it with "Uncaught (in promise) PostgresError" when the database behind a
 * pooler restarts.
 */
export function guardAgainstOrphanedPostgresErrors(onCaught: (error: Error) => void): void {
  swallowOnce("unhandledrejection", isOrphanedPostgresConnectionError, onCaught);
}

const installed = new Set<string>();

/**
 * Listens, once per process and kind, for the uncaught errors (`error`) or unhandled rejections
 * (`unhandledrejection`) that `matches` names, keeps them from ending the process and reports
 * them; every other one is left alone, so it still ends the process.
 */
function swallowOnce(
  type: "error" | "unhandledrejection",
  matches: (thrown: unknown) => boolean,
  onCaught: (error: Error) => void,
): void {
  if (installed.has(type)) return;
  installed.add(type);
  globalThis.addEventListener(type, (event: Event) => {
    const thrown = type === "error"
      ? (event as ErrorEvent).error
      : (event as PromiseRejectionEvent).reason;
    if (!matches(thrown)) return;
    event.preventDefault();
    onCaught(thrown as Error);
  });
}
