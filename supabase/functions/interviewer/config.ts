/** The reference interviewer's settings, validated with zod at start-up. */
import { z } from "zod";
import {
  bindAddress,
  parseEnv,
  port,
  positiveInt,
  postgresUrl,
} from "../_shared/platform/config.ts";
import {
  chooseDatabaseUrl,
  DATABASE_URL_NAMES,
  databaseEnvFields,
} from "../_shared/platform/database_url.ts";

export const interviewerEnvSchema = z.object({
  WEBSOCKET_PORT: port.default(8081)
    .describe("a port number from 1 to 65535"),
  BIND_ADDRESS: bindAddress,
  AI_SERVICE_API_KEY: z.string().min(16).describe("a bearer key of 16 or more characters"),
  /** Only for sessionId-only requests; without either URL they get 400 stateless_only. */
  ...databaseEnvFields,
  // The interviewer's own login role (docs/database.md), read before DB_URL: hosted secrets are
  // shared by every function, so the shared DB_URL cannot carry a role per function.
  INTERVIEWER_DB_URL: postgresUrl.optional().describe("a postgres:// connection string"),
  /** Unset: 2 per isolate on the Edge Runtime, 5 elsewhere. */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).optional()
    .describe("a whole number from 1 to 200"),
  DB_STATEMENT_TIMEOUT_MS: positiveInt(5_000, 60_000).describe("milliseconds from 0 to 60000"),
  NODE_ENV: z.enum(["development", "test", "production"]).default("production")
    .describe('"development", "test" or "production"'),
});

/** Where the interviewer's database URL comes from, in order (docs/configuration.md). */
export const INTERVIEWER_DATABASE_URL_NAMES = [
  "INTERVIEWER_DB_URL",
  ...DATABASE_URL_NAMES,
] as const;

export type InterviewerConfig = z.infer<typeof interviewerEnvSchema> & {
  /** INTERVIEWER_DB_URL, else DB_URL, else SUPABASE_DB_URL; undefined without either (stateless only). */
  databaseUrl: string | undefined;
};

/** The interviewer's configuration, or a ConfigError naming the first bad variable. */
export function loadInterviewerConfig(
  env: Readonly<Record<string, string | undefined>>,
): InterviewerConfig {
  const config = parseEnv(interviewerEnvSchema, env);
  return { ...config, databaseUrl: chooseDatabaseUrl(config, INTERVIEWER_DATABASE_URL_NAMES)?.url };
}
