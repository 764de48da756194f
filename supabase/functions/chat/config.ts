/** The chat function's settings (docs/configuration.md), validated with zod at start-up. */
import { z } from "zod";
import {
  bindAddress,
  booleanFlag,
  httpUrl,
  parseEnv,
  port,
  positiveInt,
  postgresUrl,
  tokenEnvFields,
  wholeNumber,
} from "../_shared/platform/config.ts";
import {
  DATABASE_URL_NAMES,
  databaseEnvFields,
  requireDatabaseUrl,
} from "../_shared/platform/database_url.ts";

/** Every setting the chat function reads from its environment (docs/configuration.md). */
export const chatEnvSchema = z.object({
  WEBSOCKET_PORT: port.default(8080).describe("a port number from 1 to 65535"),
  BIND_ADDRESS: bindAddress,
  WEBSOCKET_REUSE_PORT: booleanFlag(false).describe('"true" or "false"'),
  SUPABASE_URL: httpUrl.describe("the project's http(s) URL"),
  ...databaseEnvFields,
  // The chat's own login role (docs/database.md), the older name of the chat's database URL: read
  // before DB_URL, so a least-privilege role is never widened by the shared DB_URL.
  CHAT_DB_URL: postgresUrl.optional().describe("a postgres:// connection string"),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20).optional().describe("the service role key"),
  ...tokenEnvFields,
  JWT_AUDIENCE: z.string().min(1).default("authenticated").describe("the tokens' aud claim"),
  AI_SERVICE_URL: httpUrl.describe("the AI service's http(s) base URL"),
  AI_SERVICE_API_KEY: z.string().min(1).describe("the AI service's bearer key"),
  AI_TIMEOUT_MS: positiveInt(10_000, 120_000).describe("milliseconds from 0 to 120000"),
  AI_MAX_RETRIES: positiveInt(2, 10).describe("a whole number from 0 to 10"),
  AI_FALLBACK_TO_BUILTIN: booleanFlag(false).describe('"true" or "false"'),
  /** Unset: 3 on the Edge Runtime, 10 elsewhere (see runtime_defaults.ts). */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).optional()
    .describe("a whole number from 1 to 200"),
  DB_STATEMENT_TIMEOUT_MS: positiveInt(5_000, 60_000).describe("milliseconds from 0 to 60000"),
  HEARTBEAT_TIMEOUT_SECONDS: positiveInt(30, 3_600).describe("seconds from 0 to 3600"),
  /** Unset: before the wall clock on the Edge Runtime, never elsewhere (runtime_defaults.ts). */
  DRAIN_AFTER_SECONDS: z.coerce.number().int().min(0).max(86_400).optional()
    .describe("seconds from 0 (never) to 86400"),
  // The isolate's budgets (runtime_defaults.ts): unset, the platform's limit on the Edge Runtime
  // and no budget elsewhere; 0 turns the CPU or memory budget off.
  EDGE_CPU_LIMIT_MS: z.coerce.number().int().min(0).max(3_600_000).optional()
    .describe("milliseconds from 0 (off) to 3600000"),
  EDGE_MEMORY_LIMIT_MB: z.coerce.number().int().min(0).max(65_536).optional()
    .describe("megabytes from 0 (off) to 65536"),
  EDGE_WALL_CLOCK_SECONDS: z.coerce.number().int().min(10).max(86_400).optional()
    .describe("seconds from 10 to 86400"),
  EDGE_DRAIN_AT: z.coerce.number().gt(0).max(1).default(0.8)
    .describe("a share above 0 and at most 1, such as 0.8"),
  DRAIN_GRACE_MS: positiveInt(5_000, 60_000).describe("milliseconds from 0 to 60000"),
  SUPERSEDE_SIGNAL: z.enum(["auto", "postgres", "poll", "none"]).default("auto")
    .describe('"auto", "postgres" (LISTEN/NOTIFY), "poll" or "none"'),
  SUPERSEDE_POLL_MS: wholeNumber(1_000, 100, 60_000).describe("milliseconds from 100 to 60000"),
  NODE_ENV: z.enum(["development", "test", "production"]).default("production")
    .describe('"development", "test" or "production"'),
});

/** Where the chat's database URL comes from, in order (docs/decisions.md). */
export const CHAT_DATABASE_URL_NAMES = ["CHAT_DB_URL", ...DATABASE_URL_NAMES] as const;

export type ChatConfig = z.infer<typeof chatEnvSchema> & {
  /** CHAT_DB_URL, else DB_URL, else SUPABASE_DB_URL. */
  databaseUrl: string;
};

/** The chat function's configuration, or a ConfigError naming the first bad variable. */
export function loadChatConfig(env: Readonly<Record<string, string | undefined>>): ChatConfig {
  const config = parseEnv(chatEnvSchema, env);
  return { ...config, databaseUrl: requireDatabaseUrl(config, CHAT_DATABASE_URL_NAMES).url };
}
