// The cleanup Edge Function's wiring: configuration, the database, the service-role check and
// the handler. Under the Supabase Edge Runtime the platform picks the port; under plain Deno it
// listens on WEBSOCKET_PORT (scripts/start.sh passes CLEANUP_PORT there).
import { loadStartupConfig } from "../_shared/platform/startup_config.ts";
import { withHealthRoute } from "../_shared/platform/health_route.ts";
import { createLogger } from "../_shared/platform/logger.ts";
import { createLoginRoleCheck, PURGE_NEEDS } from "../_shared/platform/login_role_check.ts";
import { serveHttp } from "../_shared/platform/serve_http.ts";
import { tokenVerifierFor } from "../_shared/platform/token_verifier.ts";
import { loadCleanupConfig } from "./config.ts";
import { createCleanupHandler } from "./handler.ts";
import { createServiceRoleAuth } from "./service_role_auth.ts";
import { createCleanupDatabase, createPostgresPurge } from "./stale_session_purge.ts";

declare const EdgeRuntime: unknown;
const onEdgeRuntime = typeof EdgeRuntime !== "undefined";

const config = loadStartupConfig(loadCleanupConfig, { onEdgeRuntime });
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

// Its login role (cleanup_login) needs the purge and its dry run: checked now and on /health.
const loginRole = createLoginRoleCheck(sql, PURGE_NEEDS, { log });
loginRole.report().catch(() => {}); // /health reports a database that does not answer

serveHttp(withHealthRoute(handler, { loginRole, log }), {
  port: config.WEBSOCKET_PORT,
  hostname: config.BIND_ADDRESS,
  name: "cleanup",
  log,
  sql,
});
