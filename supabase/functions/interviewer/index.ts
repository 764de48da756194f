// The reference AI service (interviewer) Edge Function: wiring only. Runs unchanged under
// Supabase's Edge Runtime and plain Deno.
import { loadStartupConfig } from "../_shared/platform/startup_config.ts";
import { createDatabase } from "../_shared/platform/database.ts";
import { withHealthRoute } from "../_shared/platform/health_route.ts";
import { createLogger } from "../_shared/platform/logger.ts";
import {
  createLoginRoleCheck,
  READ_STORED_INTERVIEW,
} from "../_shared/platform/login_role_check.ts";
import { loadInterviewerConfig } from "./config.ts";
import { createInterviewerHandler } from "./handler.ts";
import { createPostgresSessionReader } from "./session_reader.ts";

declare const EdgeRuntime: unknown;
const onEdgeRuntime = typeof EdgeRuntime !== "undefined";

const config = loadStartupConfig(loadInterviewerConfig, { onEdgeRuntime });

const log = createLogger({
  debug: config.NODE_ENV === "development",
  base: { service: "interviewer", instanceId: crypto.randomUUID() },
});
const sql = config.databaseUrl
  ? createDatabase(config.databaseUrl, {
    max: config.DB_POOL_MAX ?? (onEdgeRuntime ? 2 : 5),
    prepare: config.DB_PREPARE,
    applicationName: "guided-document-chat-interviewer",
  })
  : undefined;
const interviewer = createInterviewerHandler({
  apiKey: config.AI_SERVICE_API_KEY,
  sessions: sql
    ? createPostgresSessionReader(sql, { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS })
    : undefined,
  log,
});
// With a database, its login role (interviewer_login) needs the sessionId-only read: checked now
// and on /health. Without one it is stateless and its handler answers /health itself.
const loginRole = sql ? createLoginRoleCheck(sql, [READ_STORED_INTERVIEW], { log }) : undefined;
loginRole?.report().catch(() => {}); // /health reports a database that does not answer
const handler = loginRole
  ? withHealthRoute(interviewer, { loginRole, log, fields: () => ({ sessionMode: true }) })
  : interviewer;

if (onEdgeRuntime) {
  Deno.serve(handler);
} else {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(signal, () => {
      (sql?.end({ timeout: 5 }) ?? Promise.resolve()).finally(() => Deno.exit(0));
    });
  }
  Deno.serve({
    port: config.WEBSOCKET_PORT,
    hostname: config.BIND_ADDRESS,
    onListen: ({ port }) => log.info("listening", { port, sessionMode: sql !== undefined }),
  }, handler);
}
