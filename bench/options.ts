// The benchmark's options (environment; defaults in brackets), parsed with the functions' own
// parseEnv so a malformed one stops the run with the same kind of message a function gives:
//   BENCH_CONCURRENCY      concurrent interviews                       200
//   BENCH_THINK_MS         mean think time per answer in the latency phases   500
//                          (the throughput phase answers at once)
//   BENCH_DURATION_S       measured seconds per load phase             20
//   BENCH_WARMUP_S         unmeasured seconds before each phase        5
//   BENCH_QUESTIONS        questions per interview (short text)        10
//   BENCH_IDLE_TARGET      idle sessions to ramp to (0: skip)          10000
//   BENCH_IDLE_HOLD_S      seconds to hold the idle top, measuring the chat's CPU (0: skip)  0
//   BENCH_IDLE_SETTLE_S    seconds the idle top stays open before its RSS is read again: the
//                          sessions idle, the ramp's young generation given back       15
//   BENCH_DB_POOL_MAX      the chat's DB_POOL_MAX, and the floor's      10
//   BENCH_DB_PREPARE       the chat's DB_PREPARE, and the floor's       true (false via the pooler)
//   BENCH_DB_VIA           direct, or pooler: the chat, the interviewer and the database floor
//                          through PgBouncer in transaction mode (SUPABASE_POOLER_URL)   direct
//   BENCH_CHAT_PROCESSES   chat processes sharing the port (reusePort) in the load phases   1
//   BENCH_HISTORY          finished interviews put in the database before the phases  20000
//   BENCH_PHASES           comma list of echo,echothink,http,httpthink,db,dbthink,instant,
//                          saturate,interviewer,idle (echothink, httpthink, dbthink: the
//                          floors with the latency phases' think time)                  all
//   BENCH_OUT              where the JSON results go         .stack/bench/results.json
//   BENCH_CHAT_FLAGS       deno flags for the chat process (default: start.sh's heap cap)
//   BENCH_PROTOCOL         v1 or v2: the clients' protocol (v2 ends each interview with the
//                          review and confirm; confirm's latency is reported on its own)   v1
import { z } from "zod";
import {
  ConfigError,
  parseEnv,
  wholeNumber,
} from "../supabase/functions/_shared/platform/config.ts";
import type { BenchProtocol } from "./load.ts";

export const PHASES = [
  "echo",
  "echothink",
  "http",
  "httpthink",
  "db",
  "dbthink",
  "instant",
  "saturate",
  "interviewer",
  "idle",
] as const;
export type Phase = typeof PHASES[number];

/** A whole number from `min`, `fallback` when unset. */
const count = (fallback: number, min = 0) =>
  wholeNumber(fallback, min, Number.MAX_SAFE_INTEGER).describe(`a whole number from ${min}`);

const phaseList = z.string().transform((text, ctx) => {
  const phases = text.split(",").map((phase) => phase.trim()).filter(Boolean);
  const unknown = phases.filter((phase) => !(PHASES as readonly string[]).includes(phase));
  if (unknown.length > 0) {
    ctx.addIssue({ code: "custom", message: `unknown phase ${unknown.join(", ")}` });
    return z.NEVER;
  }
  return new Set(phases as Phase[]);
});

/** Every option the benchmark reads from its environment. */
export const benchEnvSchema = z.object({
  BENCH_CONCURRENCY: count(200),
  BENCH_THINK_MS: count(500),
  BENCH_DURATION_S: count(20),
  BENCH_WARMUP_S: count(5),
  BENCH_QUESTIONS: count(10),
  BENCH_IDLE_TARGET: count(10_000),
  BENCH_IDLE_HOLD_S: count(0),
  BENCH_IDLE_SETTLE_S: count(15),
  BENCH_DB_POOL_MAX: count(10),
  // Its default depends on BENCH_DB_VIA, so it stays unset here when not given.
  BENCH_DB_PREPARE: z.enum(["true", "false"]).optional().describe('"true" or "false"'),
  BENCH_DB_VIA: z.enum(["direct", "pooler"]).default("direct").describe('"direct" or "pooler"'),
  BENCH_CHAT_PROCESSES: count(1, 1),
  BENCH_HISTORY: count(20_000),
  BENCH_PHASES: phaseList.default(new Set(PHASES))
    .describe(`a comma-separated list of ${PHASES.join(", ")}`),
  BENCH_OUT: z.string().optional(),
  // As scripts/start.sh runs the chat function: its heap cap.
  BENCH_CHAT_FLAGS: z.string().default("--v8-flags=--max-old-space-size=256"),
  BENCH_PROTOCOL: z.enum(["v1", "v2"]).default("v1").describe('"v1" or "v2"'),
});

export interface BenchOptions {
  dbVia: "direct" | "pooler";
  /** What the functions and the floor connect to. */
  dbUrl: string;
  concurrency: number;
  thinkMs: number;
  durationMs: number;
  warmupMs: number;
  questions: number;
  idleTarget: number;
  idleHoldS: number;
  idleSettleS: number;
  poolMax: number;
  prepare: boolean;
  chatProcesses: number;
  history: number;
  phases: Set<Phase>;
  out: string;
  /** Deno flags for every chat process. */
  chatFlags: string[];
  protocol: BenchProtocol;
}

/** Where the run is: the repository root and the local stack's two database URLs. */
export interface BenchPlace {
  root: string;
  dbUrl: string;
  poolerUrl: string;
}

/**
 * The benchmark's options from `env`.
 *
 * @throws {ConfigError} naming the first missing or malformed option.
 */
export function parseBenchOptions(
  env: Readonly<Record<string, string | undefined>>,
  place: BenchPlace,
): BenchOptions {
  const parsed = parseEnv(benchEnvSchema, env);
  const dbVia = parsed.BENCH_DB_VIA;
  // As npm start runs it (.env.example): the local stack is a direct connection.
  // Via the pooler statements must stay unnamed: a transaction pooler has no prepared statements.
  const prepare = parsed.BENCH_DB_PREPARE === undefined
    ? dbVia !== "pooler"
    : parsed.BENCH_DB_PREPARE === "true";
  if (dbVia === "pooler" && prepare) {
    throw new ConfigError(
      "Environment variable BENCH_DB_PREPARE is malformed: expected false with BENCH_DB_VIA=pooler",
    );
  }
  return {
    dbVia,
    dbUrl: dbVia === "pooler" ? place.poolerUrl : place.dbUrl,
    concurrency: parsed.BENCH_CONCURRENCY,
    thinkMs: parsed.BENCH_THINK_MS,
    durationMs: parsed.BENCH_DURATION_S * 1000,
    warmupMs: parsed.BENCH_WARMUP_S * 1000,
    questions: parsed.BENCH_QUESTIONS,
    idleTarget: parsed.BENCH_IDLE_TARGET,
    idleHoldS: parsed.BENCH_IDLE_HOLD_S,
    idleSettleS: parsed.BENCH_IDLE_SETTLE_S,
    poolMax: parsed.BENCH_DB_POOL_MAX,
    prepare,
    chatProcesses: parsed.BENCH_CHAT_PROCESSES,
    history: parsed.BENCH_HISTORY,
    phases: parsed.BENCH_PHASES,
    out: parsed.BENCH_OUT ?? `${place.root}.stack/bench/results.json`,
    chatFlags: parsed.BENCH_CHAT_FLAGS.split(" ").filter(Boolean),
    protocol: parsed.BENCH_PROTOCOL,
  };
}
