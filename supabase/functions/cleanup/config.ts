import { z } from "zod";
import { httpUrl, jwks, parseEnv, wholeNumber } from "../_shared/platform/config.ts";
import {
  DATABASE_URL_NAMES,
  databaseEnvFields,
  requireDatabaseUrl,
} from "../_shared/platform/database_url.ts";

/** Every setting the cleanup function reads from its environment. */
export const cleanupEnvSchema = z.object({
  WEBSOCKET_PORT: wholeNumber(8082, 0, 65535)
    .describe("a port number from 0 to 65535 (0 picks a free one)"),
  SUPABASE_URL: httpUrl.optional().describe("the project's http(s) URL"),
  ...databaseEnvFields,
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20)
    .describe("the service role key (20 or more characters)"),
  SUPABASE_JWKS: jwks.optional().describe('a JSON Web Key Set: {"keys":[...]}'),
  JWT_SECRET: z.string().min(32).optional().describe("an HS256 secret of 32 or more characters"),
  CLEANUP_BATCH_SIZE: wholeNumber(5000, 1, 50_000).describe("a whole number from 1 to 50000"),
  CLEANUP_TIME_BUDGET_MS: wholeNumber(60_000, 1_000, 400_000)
    .describe("milliseconds from 1000 to 400000"),
  DB_STATEMENT_TIMEOUT_MS: wholeNumber(30_000, 0, 300_000)
    .describe("milliseconds from 0 to 300000"),
});

export type CleanupConfig = z.infer<typeof cleanupEnvSchema> & {
  /** DB_URL, else SUPABASE_DB_URL. */
  databaseUrl: string;
};

/** The cleanup function's configuration, or a ConfigError naming the first bad variable. */
export function loadCleanupConfig(
  env: Readonly<Record<string, string | undefined>>,
): CleanupConfig {
  const config = parseEnv(cleanupEnvSchema, env);
  return { ...config, databaseUrl: requireDatabaseUrl(config, DATABASE_URL_NAMES).url };
}
