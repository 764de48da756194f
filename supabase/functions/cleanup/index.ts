// The cleanup Edge Function's wiring: configuration, the database, the service-role check and
// the handler. Under the Supabase Edge Runtime the platform picks the port; under plain Deno it
// listens on WEBSOCKET_PORT (scripts/start.sh passes CLEANUP_PORT there).
import { ConfigError } from "../_shared/platform/config.ts";
import { createTokenVerifier, type TokenVerifier } from "../_shared/platform/token_verifier.ts";
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

function tokenVerifier(config: CleanupConfig): TokenVerifier | undefined {
  if (config.JWT_SECRET) return createTokenVerifier({ secret: config.JWT_SECRET });
  if (config.SUPABASE_JWKS) return createTokenVerifier({ jwks: config.SUPABASE_JWKS });
  if (config.SUPABASE_URL) {
    const jwksUrl = new URL("/auth/v1/.well-known/jwks.json", config.SUPABASE_URL);
    return createTokenVerifier({ jwksUrl });
  }
  return undefined;
}

const config = loadConfig();
const sql = createCleanupDatabase(config.SUPABASE_DB_URL);
const handler = createCleanupHandler({
  authorize: createServiceRoleAuth({
    serviceRoleKey: config.SUPABASE_SERVICE_ROLE_KEY,
    verifier: tokenVerifier(config),
  }),
  purge: createPostgresPurge(sql, { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS }),
  batchSize: config.CLEANUP_BATCH_SIZE,
  timeBudgetMs: config.CLEANUP_TIME_BUDGET_MS,
});

if (onEdgeRuntime) {
  Deno.serve(handler);
} else {
  const server = Deno.serve({
    port: config.WEBSOCKET_PORT,
    onListen: ({ port }) =>
      console.log(JSON.stringify({
        time: new Date().toISOString(),
        level: "info",
        event: "cleanup_listening",
        port,
      })),
  }, handler);
  const stop = async () => {
    await server.shutdown();
    await sql.end({ timeout: 5 });
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
}
