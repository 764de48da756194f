import { z } from "zod";
import {
  apiKeys,
  bindAddress,
  ConfigError,
  httpUrl,
  parseEnv,
  postgresUrl,
  tokenEnvFields,
  wholeNumber,
} from "../_shared/platform/config.ts";
import {
  DATABASE_URL_NAMES,
  databaseEnvFields,
  requireDatabaseUrl,
} from "../_shared/platform/database_url.ts";

/** Every setting the cleanup function reads from its environment. */
export const cleanupEnvSchema = z.object({
  WEBSOCKET_PORT: wholeNumber(8082, 0, 65535)
    .describe("a port number from 0 to 65535 (0 picks a free one)"),
  BIND_ADDRESS: bindAddress,
  SUPABASE_URL: httpUrl.optional().describe("the project's http(s) URL"),
  ...databaseEnvFields,
  // This function's own login role (docs/database.md), read before DB_URL: hosted secrets are
  // shared by every function, so the shared DB_URL cannot carry a role per function.
  CLEANUP_DB_URL: postgresUrl.optional().describe("a postgres:// connection string"),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20).optional()
    .describe("the service role key (20 or more characters)"),
  SUPABASE_SECRET_KEYS: apiKeys("sb_secret_").optional()
    .describe('the secret keys: {"name":"sb_secret_..."}, a JSON array of keys, or one key'),
  SUPABASE_PUBLISHABLE_KEYS: apiKeys("sb_publishable_").optional()
    .describe(
      'the publishable keys: {"name":"sb_publishable_..."}, a JSON array of keys, or one key',
    ),
  ...tokenEnvFields,
  CLEANUP_BATCH_SIZE: wholeNumber(5000, 1, 50_000).describe("a whole number from 1 to 50000"),
  CLEANUP_TIME_BUDGET_MS: wholeNumber(60_000, 1_000, 400_000)
    .describe("milliseconds from 1000 to 400000"),
  DB_STATEMENT_TIMEOUT_MS: wholeNumber(30_000, 0, 300_000)
    .describe("milliseconds from 0 to 300000"),
});

/** Where the cleanup function's database URL comes from, in order (docs/configuration.md). */
export const CLEANUP_DATABASE_URL_NAMES = ["CLEANUP_DB_URL", ...DATABASE_URL_NAMES] as const;

export type CleanupConfig = z.infer<typeof cleanupEnvSchema> & {
  /** CLEANUP_DB_URL, else DB_URL, else SUPABASE_DB_URL. */
  databaseUrl: string;
};

/**
 * The cleanup function's configuration, or a ConfigError naming the first bad variable. Some
 * way to prove the service role must exist: a secret key, the legacy service role key, or a key
 * to verify service_role JWTs with.
 */
export function loadCleanupConfig(
  env: Readonly<Record<string, string | undefined>>,
): CleanupConfig {
  const config = parseEnv(cleanupEnvSchema, env);
  if (
    !config.SUPABASE_SECRET_KEYS && !config.SUPABASE_SERVICE_ROLE_KEY && !config.JWT_SECRET &&
    !config.SUPABASE_JWKS && !config.SUPABASE_URL
  ) {
    throw new ConfigError(
      "Environment variable SUPABASE_SECRET_KEYS is missing: expected the secret keys, " +
        "SUPABASE_SERVICE_ROLE_KEY, or JWT_SECRET, SUPABASE_JWKS or SUPABASE_URL to verify " +
        "service_role tokens",
    );
  }
  return { ...config, databaseUrl: requireDatabaseUrl(config, CLEANUP_DATABASE_URL_NAMES).url };
}
