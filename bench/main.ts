// The benchmark's orchestrator: sets up users and templates in the local stack, starts every server
// as its own process (chat function, AI service, echo server), runs the load generator and the
// database floor as processes of their own, and prints the table that BENCHMARKS.md holds.
//
// Run it with `npm run bench` (bench/run.sh), which brings the stack up first. Options (env):
//   BENCH_CONCURRENCY      concurrent interviews                       200
//   BENCH_THINK_MS         mean think time per answer in the latency phases   500
//                          (the throughput phase answers at once)
//   BENCH_DURATION_S       measured seconds per load phase             20
//   BENCH_WARMUP_S         unmeasured seconds before each phase        5
//   BENCH_QUESTIONS        questions per interview (short text)        10
//   BENCH_IDLE_TARGET      idle sessions to ramp to (0: skip)          10000
//   BENCH_IDLE_HOLD_S      seconds to hold the idle top, measuring the chat's CPU (0: skip)  0
//   BENCH_DB_POOL_MAX      the chat's DB_POOL_MAX, and the floor's      10
//   BENCH_DB_PREPARE       the chat's DB_PREPARE, and the floor's       true (false via the pooler)
//   BENCH_DB_VIA           direct, or pooler: the chat, the interviewer and the database floor
//                          through PgBouncer in transaction mode (SUPABASE_POOLER_URL)   direct
//   BENCH_CHAT_PROCESSES   chat processes sharing the port (reusePort) in the load phases   1
//   BENCH_HISTORY          finished interviews put in the database before the phases  20000
//   BENCH_PHASES           comma list of echo,echothink,db,dbthink,instant,saturate,
//                          interviewer,idle (echothink, dbthink: the floors with the latency
//                          phases' think time)                                          all
//   BENCH_OUT              where the JSON results go         .stack/bench/results.json
//   BENCH_CHAT_FLAGS       deno flags for the chat process (default: start.sh's heap cap)
//   BENCH_PROTOCOL         v1 or v2: the clients' protocol (v2 ends each interview with the
//                          review and confirm; confirm's latency is reported on its own)   v1
import { chatEnv, DB_URL, POOLER_URL, ROOT } from "../test_support/local_stack.ts";
import { sampleBackends } from "./backends.ts";
import type { DbFloorConfig, DbFloorResult } from "./db_floor.ts";
import type {
  BenchProtocol,
  EchoConfig,
  EchoResult,
  IdleConfig,
  IdleResult,
  InterviewConfig,
  InterviewResult,
} from "./load.ts";
import { type Child, converse, runToCompletion, startServer } from "./processes.ts";
import {
  cpuRate,
  formatMs,
  mib,
  readClusterCpuMs,
  readCpuTime,
  readProcessMemory,
  summarize,
  type Summary,
} from "./stats.ts";
import { benchData } from "./data.ts";

function intEnv(name: string, fallback: number, min = 0): number {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`Cannot use ${name} "${raw}": expected a whole number from ${min}`);
  }
  return value;
}

function booleanEnv(name: string, fallback: boolean): boolean {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw.trim() === "") return fallback;
  if (raw !== "true" && raw !== "false") {
    throw new RangeError(`Cannot use ${name} "${raw}": expected "true" or "false"`);
  }
  return raw === "true";
}

const dbVia = Deno.env.get("BENCH_DB_VIA") || "direct";
if (dbVia !== "direct" && dbVia !== "pooler") {
  throw new RangeError(`Cannot use BENCH_DB_VIA "${dbVia}": expected "direct" or "pooler"`);
}
const options = {
  dbVia,
  /** What the functions and the floor connect to. */
  dbUrl: dbVia === "pooler" ? POOLER_URL : DB_URL,
  concurrency: intEnv("BENCH_CONCURRENCY", 200),
  thinkMs: intEnv("BENCH_THINK_MS", 500),
  durationMs: intEnv("BENCH_DURATION_S", 20) * 1000,
  warmupMs: intEnv("BENCH_WARMUP_S", 5) * 1000,
  questions: intEnv("BENCH_QUESTIONS", 10),
  idleTarget: intEnv("BENCH_IDLE_TARGET", 10_000),
  idleHoldS: intEnv("BENCH_IDLE_HOLD_S", 0),
  poolMax: intEnv("BENCH_DB_POOL_MAX", 10),
  // As npm start runs it (.env.example): the local stack is a direct connection.
  // Via the pooler statements must stay unnamed: a transaction pooler has no prepared statements.
  prepare: booleanEnv("BENCH_DB_PREPARE", dbVia !== "pooler"),
  chatProcesses: intEnv("BENCH_CHAT_PROCESSES", 1, 1),
  history: intEnv("BENCH_HISTORY", 20_000),
  phases: new Set(
    (Deno.env.get("BENCH_PHASES") ?? "echo,echothink,db,dbthink,instant,saturate,interviewer,idle")
      .split(",")
      .map((phase) => phase.trim()).filter(Boolean),
  ),
  out: Deno.env.get("BENCH_OUT") ?? `${ROOT}.stack/bench/results.json`,
  protocol: protocolEnv("BENCH_PROTOCOL"),
};
if (options.dbVia === "pooler" && options.prepare) {
  throw new RangeError("Cannot use BENCH_DB_PREPARE=true with BENCH_DB_VIA=pooler");
}

function protocolEnv(name: string): BenchProtocol {
  const raw = Deno.env.get(name) ?? "v1";
  if (raw !== "v1" && raw !== "v2") {
    console.error(`${name} must be "v1" or "v2", not "${raw}"`);
    Deno.exit(2);
  }
  return raw;
}
const AI_KEY = "bench-ai-key";
const workDir = `${ROOT}.stack/bench`;
await Deno.mkdir(workDir, { recursive: true });

const data = benchData();
const children: Child[] = [];
const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  options: { ...options, phases: [...options.phases] },
};

function log(message: string) {
  console.error(`[bench] ${message}`);
}

async function start(
  script: string,
  name: string,
  env: Record<string, string>,
  portVariable: string,
  readyPath?: string,
  args: string[] = [],
  port?: number,
): Promise<Child> {
  const child = await startServer(script, {
    env,
    portVariable,
    readyPath,
    args,
    port,
    logPath: `${workDir}/${name}.log`,
  });
  children.push(child);
  return child;
}

async function stop(child: Child) {
  await child.stop();
  children.splice(children.indexOf(child), 1);
}

function baseEnv(): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
  };
}

function startAi(upstream?: { url: string; key: string }): Promise<Child> {
  return start(
    "bench/ai_server.ts",
    "ai",
    {
      ...baseEnv(),
      BENCH_AI_KEY: AI_KEY,
      ...(upstream ? { BENCH_AI_UPSTREAM: upstream.url, BENCH_AI_UPSTREAM_KEY: upstream.key } : {}),
    },
    "BENCH_AI_PORT",
    "/stats",
  );
}

function startChat(aiUrl: string, name: string, port?: number): Promise<Child> {
  return start(
    "supabase/functions/chat/index.ts",
    name,
    chatEnv(aiUrl, {
      AI_SERVICE_API_KEY: AI_KEY,
      AI_TIMEOUT_MS: "10000",
      AI_MAX_RETRIES: "2",
      AI_FALLBACK_TO_BUILTIN: "false",
      SUPABASE_DB_URL: options.dbUrl,
      DB_POOL_MAX: String(options.poolMax),
      DB_PREPARE: String(options.prepare),
      WEBSOCKET_REUSE_PORT: String(options.chatProcesses > 1),
      NODE_ENV: "production",
    }),
    "WEBSOCKET_PORT",
    "/health",
    // The flags scripts/start.sh runs the chat function with, unless told otherwise.
    [
      ...(Deno.env.get("BENCH_CHAT_FLAGS") ?? "--v8-flags=--max-old-space-size=256").split(" ")
        .filter(Boolean),
      // Deno.serve's reusePort is behind this flag in Deno 2.9.
      ...(options.chatProcesses > 1 ? ["--unstable-net"] : []),
    ],
    port,
  );
}

/** The load phases' chat: BENCH_CHAT_PROCESSES processes on one port, as start.sh runs them. */
async function startChats(aiUrl: string, name: string): Promise<Child[]> {
  const first = await startChat(aiUrl, `${name}-1`);
  const port = Number(new URL(first.url).port);
  const rest = await Promise.all(
    Array.from(
      { length: options.chatProcesses - 1 },
      (_, i) => startChat(aiUrl, `${name}-${i + 2}`, port),
    ),
  );
  return [first, ...rest];
}

async function aiTimes(ai: Child): Promise<Map<string, number>> {
  const response = await fetch(`${ai.url}/stats`);
  const body = await response.json() as { times: Record<string, number> };
  return new Map(Object.entries(body.times));
}

/** Client-measured latency minus the AI service's own time for the same exchange. */
function minusAi(samples: { key: string; ms: number }[], times: Map<string, number>) {
  let unmatched = 0;
  const values = samples.map((sample) => {
    const ai = times.get(sample.key);
    if (ai === undefined) unmatched++;
    return sample.ms - (ai ?? 0);
  });
  return { values, unmatched };
}

interface LoadPhase {
  connect: Summary;
  connectMinusAi: Summary;
  turn: Summary;
  /** v2: confirm to session_complete (empty in v1). */
  confirm: Summary;
  overhead: Summary;
  aiTime: Summary;
  turnsPerSecond: number;
  interviewsPerSecond: number;
  errors: Record<string, number>;
  unmatched: number;
  chatRssMiB: number;
  chatPeakMiB: number;
  /** CPU milliseconds per completed turn, warm-up included, by process. */
  cpuPerTurnMs: { chat: number; postgres: number; loadGenerator: number; ai: number };
  /** Database backends serving the phase (pg_stat_activity every 100 ms), warm-up included. */
  backends: Summary;
}

async function cpuSnapshot(chats: Child[], ai: Child) {
  let chat = 0;
  for (const child of chats) chat += (await readCpuTime(child.pid)).ownMs;
  return {
    chat,
    ai: (await readCpuTime(ai.pid)).ownMs,
    postgres: await readClusterCpuMs(await data.postmasterPid()),
  };
}

async function interviewPhase(name: string, ai: Child, thinkMs: number): Promise<LoadPhase> {
  const templateId = await data.createTemplate(options.questions);
  const tokens = await data.tokens(options.concurrency);
  const chats = await startChats(ai.url, `chat-${name}`);
  const chat = chats[0]!;
  await fetch(`${ai.url}/reset`, { method: "POST" }).then((r) => r.body?.cancel());
  log(
    `${name}: ${options.concurrency} concurrent ${options.protocol} interviews of ` +
      `${options.questions} questions, ` +
      `${options.warmupMs / 1000} s warm-up + ${options.durationMs / 1000} s`,
  );
  const config: InterviewConfig = {
    mode: "interviews",
    chatUrl: chat.url,
    templateId,
    tokens,
    protocol: options.protocol,
    thinkMs,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
  };
  const cpuBefore = await cpuSnapshot(chats, ai);
  const sampler = sampleBackends(DB_URL);
  const result = await runToCompletion<InterviewResult>("bench/load.ts", config, workDir, name);
  const backends = await sampler.stop();
  const cpuAfter = await cpuSnapshot(chats, ai);
  const memories = await Promise.all(chats.map((child) => readProcessMemory(child.pid)));
  const memory = {
    rss: memories.reduce((sum, m) => sum + m.rss, 0),
    hwm: memories.reduce((sum, m) => sum + m.hwm, 0),
  };
  const times = await aiTimes(ai);
  for (const child of chats) await stop(child);
  const overhead = minusAi(result.turns, times);
  const connect = minusAi(result.connects, times);
  const aiSamples = result.turns.map((sample) => times.get(sample.key) ?? 0);
  const phase: LoadPhase = {
    connect: summarize(result.connects.map((sample) => sample.ms)),
    connectMinusAi: summarize(connect.values),
    turn: summarize(result.turns.map((sample) => sample.ms)),
    confirm: summarize(result.confirms),
    overhead: summarize(overhead.values),
    aiTime: summarize(aiSamples),
    turnsPerSecond: result.turns.length / (result.windowMs / 1000),
    interviewsPerSecond: result.completedInterviews / (result.windowMs / 1000),
    errors: result.errors,
    unmatched: overhead.unmatched + connect.unmatched,
    chatRssMiB: mib(memory.rss),
    chatPeakMiB: mib(memory.hwm),
    cpuPerTurnMs: {
      chat: (cpuAfter.chat - cpuBefore.chat) / result.totalTurns,
      postgres: (cpuAfter.postgres - cpuBefore.postgres) / result.totalTurns,
      loadGenerator: result.cpuMs / result.totalTurns,
      ai: (cpuAfter.ai - cpuBefore.ai) / result.totalTurns,
    },
    backends,
  };
  log(
    `${name}: ${phase.turnsPerSecond.toFixed(0)} turns/s, overhead p50 ` +
      `${formatMs(phase.overhead.p50)} ms p99 ${formatMs(phase.overhead.p99)} ms, errors ` +
      JSON.stringify(phase.errors),
  );
  return phase;
}

async function echoPhase(thinkMs: number) {
  const name = thinkMs > 0 ? "echothink" : "echo";
  const echo = await start("bench/echo_server.ts", name, baseEnv(), "BENCH_ECHO_PORT");
  log(`echo floor: ${options.concurrency} sockets ping-ponging, think ${thinkMs} ms`);
  const config: EchoConfig = {
    mode: "echo",
    echoUrl: echo.url.replace(/^http/, "ws"),
    concurrency: options.concurrency,
    thinkMs,
    warmupMs: Math.min(options.warmupMs, 2000),
    // With think time a socket sends about twice a second: measure as long as the load phases.
    durationMs: thinkMs > 0 ? options.durationMs : Math.min(options.durationMs, 10_000),
  };
  const result = await runToCompletion<EchoResult>("bench/load.ts", config, workDir, name);
  await stop(echo);
  return {
    rtt: summarize(result.rtts),
    roundTripsPerSecond: result.rtts.length / (result.windowMs / 1000),
  };
}

async function dbPhase(thinkMs: number) {
  const templateId = await data.createTemplate(options.questions);
  const userIds = await data.userIds(options.concurrency);
  const name = thinkMs > 0 ? "dbthink" : "db";
  log(
    `database floor: ${options.concurrency} concurrent interviews, pool ${options.poolMax}, ` +
      `think ${thinkMs} ms`,
  );
  const config: DbFloorConfig = {
    dbUrl: options.dbUrl,
    templateId,
    userIds,
    questions: options.questions,
    poolMax: options.poolMax,
    prepare: options.prepare,
    statementTimeoutMs: 5000,
    thinkMs,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
  };
  const postmaster = await data.postmasterPid();
  const pgBefore = await readClusterCpuMs(postmaster);
  const sampler = sampleBackends(DB_URL);
  const result = await runToCompletion<DbFloorResult>("bench/db_floor.ts", config, workDir, name);
  const backends = await sampler.stop();
  const pgAfter = await readClusterCpuMs(postmaster);
  return {
    backends,
    cpuPerTurnMs: {
      postgres: (pgAfter - pgBefore) / result.totalTurns,
      loop: result.cpuMs / result.totalTurns,
    },
    turn: summarize(result.turns),
    connect: summarize(result.connects),
    turnsPerSecond: result.turns.length / (result.windowMs / 1000),
  };
}

/** Ramps idle sessions on one process: the chat function, or the echo server as the floor. */
async function idlePhase(ai: Child, target: "chat" | "echo") {
  const templateId = await data.createTemplate(options.questions);
  const tokens = await data.tokens(options.idleTarget);
  const server = target === "chat"
    ? await startChat(ai.url, "chat-idle")
    : await start("bench/echo_server.ts", "echo-idle", baseEnv(), "BENCH_ECHO_PORT");
  const baseline = await readProcessMemory(server.pid);
  const steps = [1000, 2000, 5000, 10_000, 20_000].filter((step) => step < options.idleTarget);
  steps.push(options.idleTarget);
  log(`idle (${target}): ramping to ${options.idleTarget} open sessions in one process`);
  const config: IdleConfig = {
    mode: "idle",
    chatUrl: server.url,
    templateId,
    tokens,
    protocol: options.protocol,
    steps,
    openConcurrency: 50,
  };
  // The chat's CPU while idle, without sockets and at the top: what heartbeats cost a socket.
  const holdMs = target === "chat" ? options.idleHoldS * 1000 : 0;
  const idleCpuMsPerSecond = holdMs > 0 ? await cpuRate(server.pid, Math.min(holdMs, 10_000)) : NaN;
  const sampler = sampleBackends(DB_URL);
  const load = await converse<IdleResult>("bench/load.ts", config, workDir, `idle-${target}`);
  const levels: {
    sessions: number;
    healthTotal: number;
    rssMiB: number;
    peakMiB: number;
    heapMb: number | null;
  }[] = [];
  let topCpuMsPerSecond = NaN;
  for await (const line of load.lines) {
    const step = JSON.parse(line) as { step: number; open: number; failed: number };
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const memory = await readProcessMemory(server.pid);
    const health = target === "chat" ? await (await fetch(`${server.url}/health`)).json() : {};
    levels.push({
      sessions: step.open,
      healthTotal: health.connections?.total ?? -1,
      rssMiB: mib(memory.rss),
      peakMiB: mib(memory.hwm),
      heapMb: health.budget?.heapMb ?? null,
    });
    log(
      `idle (${target}): ${step.open} open (${step.failed} failed), RSS ` +
        `${mib(memory.rss).toFixed(0)} MiB, peak ${mib(memory.hwm).toFixed(0)} MiB, heap ` +
        `${health.budget?.heapMb ?? "-"} MB`,
    );
    if (levels.length === steps.length && holdMs > 0) {
      topCpuMsPerSecond = await cpuRate(server.pid, holdMs);
      log(
        `idle (${target}): ${topCpuMsPerSecond.toFixed(2)} ms CPU/s at ${step.open} sessions, ` +
          `${idleCpuMsPerSecond.toFixed(2)} ms/s with none`,
      );
    }
    await load.say("next");
    if (levels.length === steps.length) break;
  }
  const result = await load.result();
  const backends = await sampler.stop();
  await stop(server);
  const top = levels.at(-1)!;
  return {
    backends,
    baselineMiB: mib(baseline.rss),
    levels,
    held: top.sessions,
    failed: result.failed,
    errors: result.errors,
    openSeconds: result.openMs / 1000,
    peakMiB: top.peakMiB,
    /** From the start of the ramp: includes what the first connections warm up (code, pools). */
    perThousandFromStartMiB: top.sessions > 0
      ? ((top.rssMiB - mib(baseline.rss)) / top.sessions) * 1000
      : NaN,
    /** The chat's CPU ms per second with no sockets, and at the top while idle. */
    idleCpuMsPerSecond,
    topCpuMsPerSecond,
    /** Heartbeats and timers: CPU ms per idle socket per minute, above the empty process's. */
    cpuMsPerSocketMinute: top.sessions > 0
      ? ((topCpuMsPerSecond - idleCpuMsPerSecond) * 60) / top.sessions
      : NaN,
    /** Marginal: the growth from the first step to the top, per 1,000 more sessions. */
    perThousandMiB: levels.length > 1 && top.sessions > levels[0]!.sessions
      ? ((top.rssMiB - levels[0]!.rssMiB) / (top.sessions - levels[0]!.sessions)) * 1000
      : NaN,
  };
}

async function interviewerUrl(): Promise<{ url: string; key: string } | undefined> {
  const entry = `${ROOT}supabase/functions/interviewer/index.ts`;
  try {
    await Deno.stat(entry);
  } catch {
    return undefined;
  }
  const key = "bench-interviewer-key";
  const interviewer = await start(
    "supabase/functions/interviewer/index.ts",
    "interviewer",
    {
      ...chatEnv("http://127.0.0.1:9", {
        SUPABASE_DB_URL: options.dbUrl,
        AI_SERVICE_API_KEY: key,
        INTERVIEWER_API_KEY: key,
        NODE_ENV: "production",
      }),
    },
    "WEBSOCKET_PORT",
    "/health",
  );
  return { url: interviewer.url, key };
}

try {
  if (options.history > 0) {
    log(`history: ${options.history} finished interviews in the database first`);
    await data.populate(options.history);
  }
  const ai = await startAi();
  if (options.phases.has("echo")) results.echo = await echoPhase(0);
  if (options.phases.has("echothink")) results.echoThink = await echoPhase(options.thinkMs);
  if (options.phases.has("db")) results.db = await dbPhase(0);
  if (options.phases.has("dbthink")) results.dbThink = await dbPhase(options.thinkMs);
  if (options.phases.has("instant")) {
    results.instant = await interviewPhase("instant", ai, options.thinkMs);
  }
  if (options.phases.has("saturate")) results.saturate = await interviewPhase("saturate", ai, 0);
  if (options.phases.has("interviewer")) {
    const upstream = await interviewerUrl();
    if (upstream) {
      const proxy = await startAi(upstream);
      results.interviewer = await interviewPhase("interviewer", proxy, options.thinkMs);
      await stop(proxy);
    } else {
      log("interviewer: supabase/functions/interviewer is not here yet; skipped");
    }
  }
  if (options.phases.has("idle") && options.idleTarget > 0) {
    results.idle = await idlePhase(ai, "chat");
    results.idleFloor = await idlePhase(ai, "echo");
  }
  results.machine = await machine();
  results.finishedAt = new Date().toISOString();
  await Deno.writeTextFile(options.out, JSON.stringify(results, null, 2));
  console.log(report(results));
  log(`results: ${options.out}`);
} finally {
  await Promise.all(children.map((child) => child.stop()));
  await data.cleanUp();
}

async function machine() {
  const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(/^model name\s*:\s*(.+)$/m)?.[1];
  const memTotal = (await Deno.readTextFile("/proc/meminfo")).match(/^MemTotal:\s+(\d+)/m)?.[1];
  const load = (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  return {
    cpus: navigator.hardwareConcurrency,
    cpu,
    memoryGiB: memTotal ? Number(memTotal) / 1024 / 1024 : undefined,
    loadAverageAtEnd: load,
    postgres: await data.postgresSettings(),
    deno: Deno.version.deno,
  };
}

// deno-lint-ignore no-explicit-any
function report(r: Record<string, any>): string {
  const lines: string[] = [];
  const row = (...cells: string[]) => lines.push(`| ${cells.join(" | ")} |`);
  const ratio = (value: number, floor: number | undefined) =>
    floor && Number.isFinite(value) ? `${(value / floor).toFixed(1)}×` : "–";
  const echo = r.echo as Awaited<ReturnType<typeof echoPhase>> | undefined;
  const echoThink = r.echoThink as Awaited<ReturnType<typeof echoPhase>> | undefined;
  const db = r.db as Awaited<ReturnType<typeof dbPhase>> | undefined;
  const dbThink = r.dbThink as Awaited<ReturnType<typeof dbPhase>> | undefined;
  const instant = r.instant as LoadPhase | undefined;
  const interviewer = r.interviewer as LoadPhase | undefined;
  const saturate = r.saturate as LoadPhase | undefined;
  const ms = (p: LoadPhase | undefined, pick: (p: LoadPhase) => number) =>
    p ? `${formatMs(pick(p))} ms` : "–";
  const pair = (
    p: LoadPhase | undefined,
    a: (p: LoadPhase) => number,
    b: (p: LoadPhase) => number,
  ) => p ? `${formatMs(a(p))} / ${formatMs(b(p))} ms` : "–";
  const think = `think ${r.options.thinkMs} ms`;
  row(
    "figure",
    `instant AI (${think})`,
    `reference interviewer (${think})`,
    "instant AI, no think time (saturated)",
    "floor",
    "ratio to floor",
    "target",
  );
  row("---", "---:", "---:", "---:", "---:", "---:", "---");
  // The connect floor at the latency phases' load when that phase ran, else the saturated one.
  const connectFloor = dbThink ?? db;
  const connectFloorLabel = dbThink ? "db work at the same load" : "db work, saturated";
  row(
    "connect → first question p50 / p99",
    pair(instant, (p) => p.connect.p50, (p) => p.connect.p99),
    pair(interviewer, (p) => p.connect.p50, (p) => p.connect.p99),
    pair(saturate, (p) => p.connect.p50, (p) => p.connect.p99),
    connectFloor
      ? `${formatMs(connectFloor.connect.p50)} / ${
        formatMs(connectFloor.connect.p99)
      } ms (${connectFloorLabel})`
      : "–",
    instant && connectFloor
      ? `${ratio(instant.connect.p50, connectFloor.connect.p50)} / ${
        ratio(instant.connect.p99, connectFloor.connect.p99)
      }`
      : "–",
    "–",
  );
  // A turn's floor at the latency phases' load: its database work plus one WebSocket round trip,
  // both with the same think time (dbthink, echothink); either alone if the other did not run.
  const turnFloor = (pick: (s: Summary) => number) => {
    const parts = [dbThink && pick(dbThink.turn), echoThink && pick(echoThink.rtt)]
      .filter((x): x is number => typeof x === "number");
    return parts.length ? parts.reduce((a, b) => a + b, 0) : undefined;
  };
  const turnFloorLabel = (pick: (s: Summary) => number) => {
    const parts = [
      dbThink && `${formatMs(pick(dbThink.turn))} ms db work`,
      echoThink && `${formatMs(pick(echoThink.rtt))} ms echo round trip`,
    ].filter(Boolean);
    return parts.length ? `${parts.join(" + ")} at the same load` : "–";
  };
  row(
    "per-turn overhead p50 (answer → next question − AI time)",
    ms(instant, (p) => p.overhead.p50),
    ms(interviewer, (p) => p.overhead.p50),
    ms(saturate, (p) => p.overhead.p50),
    turnFloorLabel((s) => s.p50),
    instant ? ratio(instant.overhead.p50, turnFloor((s) => s.p50)) : "–",
    "< 2 ms",
  );
  row(
    "per-turn overhead p99",
    ms(instant, (p) => p.overhead.p99),
    ms(interviewer, (p) => p.overhead.p99),
    ms(saturate, (p) => p.overhead.p99),
    turnFloorLabel((s) => s.p99),
    instant ? ratio(instant.overhead.p99, turnFloor((s) => s.p99)) : "–",
    "< 10 ms",
  );
  row(
    "AI time per turn p50 (subtracted above)",
    ms(instant, (p) => p.aiTime.p50),
    ms(interviewer, (p) => p.aiTime.p50),
    ms(saturate, (p) => p.aiTime.p50),
    "",
    "",
    "",
  );
  row(
    "completed turns per second",
    instant ? instant.turnsPerSecond.toFixed(0) : "–",
    interviewer ? interviewer.turnsPerSecond.toFixed(0) : "–",
    saturate ? saturate.turnsPerSecond.toFixed(0) : "–",
    db ? `${db.turnsPerSecond.toFixed(0)} (db work in a loop)` : "–",
    saturate && db ? `${((saturate.turnsPerSecond / db.turnsPerSecond) * 100).toFixed(0)}%` : "–",
    "≥ 1,500; ≥ 40% of db",
  );
  row(
    "database work per turn p50 / p99 (floor loop, saturated)",
    "",
    "",
    "",
    db ? `${formatMs(db.turn.p50)} / ${formatMs(db.turn.p99)} ms` : "–",
    "",
    "",
  );
  row(
    `database work per turn p50 / p99 (floor loop, ${think})`,
    "",
    "",
    "",
    dbThink ? `${formatMs(dbThink.turn.p50)} / ${formatMs(dbThink.turn.p99)} ms` : "–",
    "",
    "",
  );
  const cpu = (p: LoadPhase | undefined) =>
    p
      ? `${p.cpuPerTurnMs.chat.toFixed(2)} / ${p.cpuPerTurnMs.postgres.toFixed(2)} / ` +
        `${p.cpuPerTurnMs.loadGenerator.toFixed(2)} / ${p.cpuPerTurnMs.ai.toFixed(2)}`
      : "–";
  row(
    "CPU ms per turn: chat / Postgres / load generator / AI",
    cpu(instant),
    cpu(interviewer),
    cpu(saturate),
    [db, dbThink].filter((f) => f !== undefined).map((f) =>
          `– / ${f.cpuPerTurnMs.postgres.toFixed(2)} / ${f.cpuPerTurnMs.loop.toFixed(2)} (loop) / –`
        ).join(" (saturated); ") + (dbThink ? " (think time)" : "") || "–",
    "",
    "",
  );
  const backends = (p: { backends: Summary } | undefined) =>
    p ? `${p.backends.max} (p50 ${p.backends.p50})` : "–";
  row(
    `database backends during the phase, max (p50); ${r.options.dbVia}`,
    backends(instant),
    backends(interviewer),
    backends(saturate),
    [db && `${backends(db)} (db, saturated)`, dbThink && `${backends(dbThink)} (db, think time)`]
      .filter(Boolean).join("; ") || "–",
    "",
    "",
  );
  row(
    "chat peak memory (VmHWM) under load",
    ms(instant, (p) => p.chatPeakMiB).replace(" ms", " MiB"),
    ms(interviewer, (p) => p.chatPeakMiB).replace(" ms", " MiB"),
    ms(saturate, (p) => p.chatPeakMiB).replace(" ms", " MiB"),
    "",
    "",
    "",
  );
  if (r.idle) {
    const floor = r.idleFloor?.perThousandMiB as number | undefined;
    row(
      "idle sessions held by one process",
      `${r.idle.held} of ${r.options.idleTarget} (${r.idle.failed} failed)`,
      "",
      "",
      r.idleFloor ? `${r.idleFloor.held} (echo server)` : "–",
      "",
      "10,000",
    );
    row(
      "memory per 1,000 open sessions (marginal RSS growth; from start of ramp)",
      `${r.idle.perThousandMiB.toFixed(1)} MiB (${r.idle.perThousandFromStartMiB.toFixed(1)} MiB)`,
      "",
      "",
      floor !== undefined ? `${floor.toFixed(1)} MiB (idle echo sockets, marginal)` : "–",
      floor ? ratio(r.idle.perThousandMiB, floor) : "–",
      "",
    );
    row(
      "chat memory at the top of the ramp: RSS / peak (VmHWM)",
      `${r.idle.levels.at(-1).rssMiB.toFixed(0)} / ${r.idle.peakMiB.toFixed(0)} MiB`,
      "",
      "",
      r.idleFloor ? `${r.idleFloor.peakMiB.toFixed(0)} MiB (echo server peak)` : "–",
      "",
      "< 500 MB",
    );
    if (Number.isFinite(r.idle.cpuMsPerSocketMinute)) {
      row(
        "chat CPU of an idle session (heartbeats), per minute",
        `${r.idle.cpuMsPerSocketMinute.toFixed(3)} ms (${r.idle.topCpuMsPerSecond.toFixed(1)} ` +
          `ms/s at the top, ${r.idle.idleCpuMsPerSecond.toFixed(1)} with none)`,
        "",
        "",
        "",
        "",
        "",
      );
    }
  }
  if (echo) {
    lines.push(
      "",
      `Echo floor, flat out: ${echo.roundTripsPerSecond.toFixed(0)} round trips/s, p50 ` +
        `${formatMs(echo.rtt.p50)} ms p99 ${formatMs(echo.rtt.p99)} ms.`,
    );
  }
  for (
    const [name, p] of [["instant", instant], ["interviewer", interviewer], [
      "saturate",
      saturate,
    ]] as const
  ) {
    if (!p) continue;
    lines.push(
      `${name}: ${p.turn.count} turns measured, ${
        p.interviewsPerSecond.toFixed(1)
      } interviews/s, ` +
        `raw turn p50 ${formatMs(p.turn.p50)} ms p99 ${formatMs(p.turn.p99)} ms, ` +
        (p.confirm?.count
          ? `confirm p50 ${formatMs(p.confirm.p50)} ms p99 ${formatMs(p.confirm.p99)} ms, `
          : "") +
        `errors ${JSON.stringify(p.errors)}, unmatched AI keys ${p.unmatched}.`,
    );
  }
  lines.push(`Clients spoke ${r.options.protocol ?? "v1"}.`);
  return lines.join("\n");
}
