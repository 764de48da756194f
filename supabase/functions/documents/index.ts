// The documents Edge Function's wiring: configuration, the token verifier (the chat's), the
// database pool and the handler. Under the Supabase Edge Runtime the platform picks the port;
// under plain Deno it listens on WEBSOCKET_PORT (scripts/start.sh passes DOCUMENTS_PORT there).
import { loadStartupConfig } from "../_shared/platform/startup_config.ts";
import { createDatabase } from "../_shared/platform/database.ts";
import { withHealthRoute } from "../_shared/platform/health_route.ts";
import { createLogger } from "../_shared/platform/logger.ts";
import {
  BECOME_AUTHENTICATED,
  createLoginRoleCheck,
} from "../_shared/platform/login_role_check.ts";
import { serveHttp } from "../_shared/platform/serve_http.ts";
import { tokenVerifierFor } from "../_shared/platform/token_verifier.ts";
import { loadDocumentsConfig } from "./config.ts";
import { createDocumentReads } from "./document_reads.ts";
import { createDocumentWrites } from "./document_writes.ts";
import { createDocumentsHandler } from "./handler.ts";

declare const EdgeRuntime: unknown;
const onEdgeRuntime = typeof EdgeRuntime !== "undefined";

const config = loadStartupConfig(loadDocumentsConfig, { onEdgeRuntime });
const log = createLogger({ base: { service: "documents" } });
const sql = createDatabase(config.databaseUrl, {
  max: config.DB_POOL_MAX,
  prepare: config.DB_PREPARE,
  applicationName: "guided-document-chat-documents",
});
const handler = createDocumentsHandler({
  reads: createDocumentReads(sql, { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS }),
  writes: createDocumentWrites(sql, { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS }),
  // SUPABASE_URL is required, so there always is a verifier.
  verifier: tokenVerifierFor(config, { audience: config.JWT_AUDIENCE })!,
  allowedOrigin: config.DOCUMENTS_ALLOWED_ORIGIN,
  log,
});

// Its login role (documents_login) needs only to become `authenticated`: checked now and on /health.
const loginRole = createLoginRoleCheck(sql, [BECOME_AUTHENTICATED], { log });
loginRole.report().catch(() => {}); // /health reports a database that does not answer

serveHttp(withHealthRoute(handler, { loginRole, log }), {
  port: config.WEBSOCKET_PORT,
  hostname: config.BIND_ADDRESS,
  name: "documents",
  log,
  sql,
});
