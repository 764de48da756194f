// The chat Edge Function: wiring only. Runs unchanged under Supabase's Edge Runtime and plain Deno.
import { loadStartupConfig } from "../_shared/platform/startup_config.ts";
import {
  guardAgainstOrphanedPostgresErrors,
  guardAgainstPostgresWriteRace,
} from "../_shared/platform/postgres_workarounds.ts";
import { createUserDatabase } from "../_shared/platform/user_database.ts";
import { createLogger, describeError } from "../_shared/platform/logger.ts";
import {
  BECOME_AUTHENTICATED,
  createLoginRoleCheck,
  supersedePollNeed,
} from "../_shared/platform/login_role_check.ts";
import { tokenVerifierFor } from "../_shared/platform/token_verifier.ts";
import {
  createBuiltinNextQuestionSource,
  createFallbackNextQuestionSource,
} from "./adapters/builtin_next_question_source.ts";
import { createHttpNextQuestionSource } from "./adapters/http_next_question_source.ts";
import { createAutoConnectionSignal } from "./adapters/auto_connection_signal.ts";
import { createPollingConnectionSignal } from "./adapters/polling_connection_signal.ts";
import { createPostgresConnectionSignal } from "./adapters/postgres_connection_signal.ts";
import { createPostgresSessionStore } from "./adapters/postgres_session_store.ts";
import { loadChatConfig } from "./config.ts";
import type { ConnectionSignal } from "./ports/connection_signal.ts";
import { processIsolateReadings } from "./adapters/process_isolate_readings.ts";
import { isolateBudgetLimits, poolSize } from "./runtime_defaults.ts";
import { ChatServer } from "./transport/chat_server.ts";
import { IsolateBudget } from "./transport/isolate_budget.ts";

declare const EdgeRuntime: { waitUntil(promise: Promise<unknown>): void } | undefined;
const onEdgeRuntime = typeof EdgeRuntime !== "undefined";

const config = loadStartupConfig(loadChatConfig, { onEdgeRuntime });
const instanceId = crypto.randomUUID();
const log = createLogger({
  debug: config.NODE_ENV === "development",
  base: { service: "chat", instanceId },
});
guardAgainstPostgresWriteRace((error) =>
  log.warn("postgres_write_race", { error: describeError(error) })
);
guardAgainstOrphanedPostgresErrors((error) =>
  log.warn("postgres_connection_refused", { error: describeError(error) })
);
const aiService = createHttpNextQuestionSource({
  baseUrl: config.AI_SERVICE_URL,
  apiKey: config.AI_SERVICE_API_KEY,
  timeoutMs: config.AI_TIMEOUT_MS,
  maxRetries: config.AI_MAX_RETRIES,
  onAttempt: ({ status, latencyMs, error }) => {
    if (error) log.warn("ai_attempt_failed", { status, latencyMs: Math.round(latencyMs), error });
    else log.debug("ai_answered", { status, latencyMs: Math.round(latencyMs) });
  },
});
// With the fallback on, an outage of the AI service costs its timeouts and retries once per
// cooldown; the built-in engine asks in the meantime and each turn records which one asked.
const questions = config.AI_FALLBACK_TO_BUILTIN
  ? createFallbackNextQuestionSource(aiService, createBuiltinNextQuestionSource(), {
    log,
    cooldownMs: 30_000,
  })
  : aiService;
const databaseUrl = config.databaseUrl; // CHAT_DB_URL, else DB_URL, else SUPABASE_DB_URL
const database = createUserDatabase(databaseUrl, {
  max: poolSize(config.DB_POOL_MAX, onEdgeRuntime),
  prepare: config.DB_PREPARE,
  statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
});
const sql = database.sql;
// Last connection wins across instances: LISTEN where it works, the poll through a pooler.
function supersedeSignal(): ConnectionSignal | undefined {
  const listen = () => createPostgresConnectionSignal(sql, log);
  const poll = () =>
    createPollingConnectionSignal(sql, log, { intervalMs: config.SUPERSEDE_POLL_MS });
  switch (config.SUPERSEDE_SIGNAL) {
    case "postgres":
      return listen();
    case "poll":
      return poll();
    case "auto":
      return createAutoConnectionSignal(sql, databaseUrl, log, {
        listen: listen(),
        poll: poll(),
      });
    case "none":
      return undefined;
  }
}

const supersede = supersedeSignal();
// Its login role (chat_login) needs to become `authenticated`, and the poll's grant once the poll
// is its signal: checked now and on /health. On the prepared path a role that cannot become
// `authenticated` cannot even connect (the startup parameter), and /health says so as well.
const loginRole = createLoginRoleCheck(sql, [
  BECOME_AUTHENTICATED,
  supersedePollNeed(() => supersede?.kind === "poll"),
], { log });
loginRole.report().catch((error: unknown) =>
  log.warn("login_role_unchecked", { error: describeError(error) })
);
// Drain before the platform ends the isolate: at EDGE_DRAIN_AT of its CPU or memory limit, or
// before its wall clock (80% of EDGE_WALL_CLOCK_SECONDS minus up to 10% at random, per isolate).
// Checked after each turn and on a one-second timer, never on `beforeunload`, whose moment the
// platform does not document. Locally only the budgets that are set apply.
const budget = new IsolateBudget(
  isolateBudgetLimits(
    {
      cpuLimitMs: config.EDGE_CPU_LIMIT_MS,
      memoryLimitMb: config.EDGE_MEMORY_LIMIT_MB,
      wallClockSeconds: config.EDGE_WALL_CLOCK_SECONDS,
      drainAfterSeconds: config.DRAIN_AFTER_SECONDS,
      drainAt: config.EDGE_DRAIN_AT,
    },
    onEdgeRuntime,
    Math.random(),
  ),
  processIsolateReadings(),
  {
    onReached: (reached, usage) => {
      log.info("isolate_budget_reached", { ...reached, usage });
      shutdown(`budget_${reached.budget}`).finally(() => onEdgeRuntime || Deno.exit(0));
    },
  },
);
const server = new ChatServer({
  instanceId,
  log,
  // SUPABASE_URL is required, so there always is a verifier.
  verifier: tokenVerifierFor(config, { audience: config.JWT_AUDIENCE })!,
  store: createPostgresSessionStore(database),
  questions,
  keepAlive: onEdgeRuntime ? (until) => EdgeRuntime!.waitUntil(until) : undefined,
  signal: supersede,
  heartbeatTimeoutSeconds: config.HEARTBEAT_TIMEOUT_SECONDS,
  budget,
  loginRole,
});
server.start(); // listens in the background; never delays serving

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info("draining", { signal, connections: server.registry.stats() });
  await server.drain(config.DRAIN_GRACE_MS);
  await supersede?.close().catch(() => {}); // no poll (or UNLISTEN) on a pool that is ending
  await sql.end({ timeout: 5 });
  log.info("stopped", { signal });
}

if (budget.active) {
  budget.check(); // an isolate born over a budget drains at once
  const watch = setInterval(() => budget.check(), 1_000);
  // The timer alone must not keep an isolate alive; a runtime without unrefTimer just keeps it.
  if (typeof Deno.unrefTimer === "function") Deno.unrefTimer(watch);
}

if (onEdgeRuntime) {
  addEventListener("beforeunload", () => void shutdown("beforeunload"));
  Deno.serve(server.handle);
} else {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(signal, () => {
      shutdown(signal).finally(() => Deno.exit(0));
    });
  }
  Deno.serve({
    port: config.WEBSOCKET_PORT,
    hostname: config.BIND_ADDRESS,
    // Several chat processes on one port (Linux): the kernel spreads new connections over them.
    reusePort: config.WEBSOCKET_REUSE_PORT,
    onListen: ({ port }) => log.info("listening", { port }),
  }, server.handle);
}
