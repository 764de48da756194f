/**
 * Which database a function connects to. Every function reads DB_URL before the platform's
 * SUPABASE_DB_URL: on a hosted project SUPABASE_DB_URL is the direct connection and a secret may
 * not start with `SUPABASE_`, so DB_URL is how a function is pointed at the transaction pooler
 * (docs/operations.md#hosted-supabase).
 */
import { booleanFlag, ConfigError, postgresUrl } from "./config.ts";

/** The fields every function's environment schema spreads in. */
export const databaseEnvFields = {
  DB_URL: postgresUrl.optional().describe("a postgres:// connection string"),
  SUPABASE_DB_URL: postgresUrl.optional().describe("a postgres:// connection string"),
  DB_PREPARE: booleanFlag(false).describe('"true" or "false"'),
};

/** Where Supabase's transaction pooler listens (and the local PgBouncer by default). */
export const TRANSACTION_POOLER_PORT = "6543";

/** The names a function other than the chat reads its database URL from, in order. */
export const DATABASE_URL_NAMES = ["DB_URL", "SUPABASE_DB_URL"] as const;

export interface ChosenDatabase {
  /** The variable the URL came from. */
  from: string;
  url: string;
}

/**
 * The first of `names` that is set, or undefined when none is. DB_PREPARE=true with a URL on
 * port 6543 is refused: a transaction pooler keeps no session state, so named prepared statements
 * and startup parameters cannot work behind it, and it is better to stop at start-up with the fix
 * than to fail every query.
 */
export function chooseDatabaseUrl(
  env: { readonly DB_PREPARE: boolean } & Readonly<Record<string, unknown>>,
  names: readonly string[],
): ChosenDatabase | undefined {
  for (const from of names) {
    const url = env[from];
    if (typeof url !== "string" || url === "") continue;
    if (env.DB_PREPARE && portOf(url) === TRANSACTION_POOLER_PORT) {
      throw new ConfigError(
        `Environment variable DB_PREPARE is "true", but ${from} is on port ` +
          `${TRANSACTION_POOLER_PORT}, the transaction pooler, which keeps no session state: ` +
          `set DB_PREPARE=false`,
      );
    }
    return { from, url };
  }
  return undefined;
}

/** As chooseDatabaseUrl, for a function that cannot run without a database. */
export function requireDatabaseUrl(
  env: { readonly DB_PREPARE: boolean } & Readonly<Record<string, unknown>>,
  names: readonly string[],
): ChosenDatabase {
  const chosen = chooseDatabaseUrl(env, names);
  if (chosen) return chosen;
  throw new ConfigError(
    `Environment variable ${names[0]} is missing: expected a postgres:// connection string in ` +
      `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`,
  );
}

/** The URL's port as written, "" when it has none (libpq's 5432). */
export function portOf(url: string): string {
  try {
    return new URL(url).port;
  } catch {
    // A password with characters URL does not accept unescaped: read the port by hand.
    return /@[^/?#@]*:(\d+)(?:[/?#]|$)/.exec(url)?.[1] ?? "";
  }
}
