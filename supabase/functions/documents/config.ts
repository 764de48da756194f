/** The documents function's settings, validated with zod at start-up. */
import { z } from "zod";
import {
  bindAddress,
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

/**
 * Every setting the documents function reads. The token settings are the chat's
 * (docs/configuration.md): HS256 tokens against JWT_SECRET (and any "oct" key of SUPABASE_JWKS),
 * asymmetric ones against SUPABASE_JWKS and the JWKS fetched from SUPABASE_URL, all issued by
 * JWT_ISSUER or `<SUPABASE_URL>/auth/v1`.
 */
export const documentsEnvSchema = z.object({
  WEBSOCKET_PORT: wholeNumber(8084, 0, 65535)
    .describe("a port number from 0 to 65535 (0 picks a free one)"),
  BIND_ADDRESS: bindAddress,
  SUPABASE_URL: httpUrl.describe("the project's http(s) URL"),
  ...databaseEnvFields,
  // This function's own login role (docs/database.md), read before DB_URL: hosted secrets are
  // shared by every function, so the shared DB_URL cannot carry a role per function.
  DOCUMENTS_DB_URL: postgresUrl.optional().describe("a postgres:// connection string"),
  ...tokenEnvFields,
  JWT_AUDIENCE: z.string().min(1).default("authenticated").describe("the tokens' aud claim"),
  DB_POOL_MAX: wholeNumber(4, 1, 100).describe("a whole number from 1 to 100"),
  DB_STATEMENT_TIMEOUT_MS: wholeNumber(5_000, 0, 60_000)
    .describe("milliseconds from 0 to 60000"),
  DOCUMENTS_ALLOWED_ORIGIN: z.string().regex(/^(\*|https?:\/\/[^\s/]+)$/).default("*")
    .describe('"*" or one origin such as https://app.example.com'),
});

/** Where the documents function's database URL comes from, in order (docs/configuration.md). */
export const DOCUMENTS_DATABASE_URL_NAMES = ["DOCUMENTS_DB_URL", ...DATABASE_URL_NAMES] as const;

export type DocumentsConfig = z.infer<typeof documentsEnvSchema> & {
  /** DOCUMENTS_DB_URL, else DB_URL, else SUPABASE_DB_URL. */
  databaseUrl: string;
};

/** The documents function's configuration, or a ConfigError naming the first bad variable. */
export function loadDocumentsConfig(
  env: Readonly<Record<string, string | undefined>>,
): DocumentsConfig {
  const config = parseEnv(documentsEnvSchema, env);
  return { ...config, databaseUrl: requireDatabaseUrl(config, DOCUMENTS_DATABASE_URL_NAMES).url };
}
