// The cleanup Edge Function's wiring: configuration, the database, the service-role check and
// the handler. Under the Supabase Edge Runtime the platform picks the port; under plain Deno it
// listens on WEBSOCKET_PORT (scripts/start.sh passes CLEANUP_PORT there).
import { ConfigError } from "../_shared/platform/config.ts";
import { createLogger } from "../_shared/platform/logger.ts";
import { serveHttp } from "../_shared/platform/serve_http.ts";
import { tokenVerifierFor } from "../_shared/platform/token_verifier.ts";
import { type CleanupConfig, loadCleanupConfig } from "./config.ts";
import { createCleanupHandler } from "./handler.ts";
import { createServiceRoleAuth } from "./service_role_auth.ts";
import { createCleanupDatabase, createPostgresPurge } from "./stale_session_purge.ts";

declare const EdgeRuntime: unknown;
const onEdgeRuntime = typeof EdgeRuntime !== "undefined";

function loadConfig(): CleanupConfig {
  try {
    return loadCleanupConfig(Deno.env.toObject());
  } catch (error: unknown) {
    if (!(error instanceof ConfigError) || onEdgeRuntime) throw error;
    console.error(error.message);
    Deno.exit(1);
  }
}

const config = loadConfig();
const log = createLogger({ base: { service: "cleanup" } });
const sql = createCleanupDatabase(config.databaseUrl, { prepare: config.DB_PREPARE });
const handler = createCleanupHandler({
  authorize: createServiceRoleAuth({
    secretKeys: [
      ...config.SUPABASE_SECRET_KEYS ?? [],
      ...config.SUPABASE_SERVICE_ROLE_KEY ? [config.SUPABASE_SERVICE_ROLE_KEY] : [],
    ],
    publishableKeys: config.SUPABASE_PUBLISHABLE_KEYS,
    verifier: tokenVerifierFor(config),
  }),
  purge: createPostgresPurge(sql, { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS }),
  batchSize: config.CLEANUP_BATCH_SIZE,
  timeBudgetMs: config.CLEANUP_TIME_BUDGET_MS,
  log,
});

serveHttp(handler, {
  port: config.WEBSOCKET_PORT,
  hostname: config.BIND_ADDRESS,
  name: "cleanup",
  log,
  sql,
});
