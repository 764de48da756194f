// The benchmark's phases: each starts the servers it needs, runs a load generator or the database
// floor as a process of its own, and returns its figures (bench/report.ts turns them into the
// table). The interview phases subtract the AI service's own time from what the clients measured.
import { sampleBackends } from "./backends.ts";
import type { BenchData } from "./data.ts";
import type { DbFloorConfig, DbFloorResult } from "./db_floor.ts";
import type { HttpConfig, HttpResult } from "./http_round_trips.ts";
import type {
  EchoConfig,
  EchoResult,
  IdleConfig,
  IdleResult,
  InterviewConfig,
  InterviewResult,
} from "./load.ts";
import { log } from "./log.ts";
import type { BenchOptions } from "./options.ts";
import { type Child, converse, runToCompletion } from "./processes.ts";
import type { BenchServers } from "./servers.ts";
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

/** What the phases run with. */
export interface PhaseRun {
  options: BenchOptions;
  data: BenchData;
  servers: BenchServers;
  /** Where the load generators write their results and logs. */
  workDir: string;
  /** The database itself (never the pooler): its backends are sampled during each phase. */
  directDbUrl: string;
}

export interface LoadPhase {
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

/** The phases of one run, sharing its options, data and servers. */
export function benchPhases(run: PhaseRun) {
  const { options, data, servers, workDir, directDbUrl } = run;

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
    const chats = await servers.startChats(ai.url, `chat-${name}`);
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
    const sampler = sampleBackends(directDbUrl);
    const result = await runToCompletion<InterviewResult>("bench/load.ts", config, workDir, name);
    const backends = await sampler.stop();
    const cpuAfter = await cpuSnapshot(chats, ai);
    const memories = await Promise.all(chats.map((child) => readProcessMemory(child.pid)));
    const memory = {
      rss: memories.reduce((sum, m) => sum + m.rss, 0),
      hwm: memories.reduce((sum, m) => sum + m.hwm, 0),
    };
    const times = await aiTimes(ai);
    for (const child of chats) await servers.stop(child);
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
    const echo = await servers.startEcho(name);
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
    const cpuBefore = await readCpuTime(echo.pid);
    const result = await runToCompletion<EchoResult>("bench/load.ts", config, workDir, name);
    const cpuAfter = await readCpuTime(echo.pid);
    await servers.stop(echo);
    return {
      rtt: summarize(result.rtts),
      roundTripsPerSecond: result.rtts.length / (result.windowMs / 1000),
      /** The echo server's CPU per round trip: the runtime's own cost of a frame in and out. */
      cpuPerRoundTripMs: (cpuAfter.ownMs - cpuBefore.ownMs) / Math.max(1, result.total),
    };
  }

  /** The AI call's HTTP round trip: the chat's own AI client against the echo server. */
  async function httpPhase(thinkMs: number) {
    const name = thinkMs > 0 ? "httpthink" : "http";
    const echo = await servers.startEcho(name);
    log(
      `AI call floor: ${options.concurrency} HTTP clients to an echo server, think ${thinkMs} ms`,
    );
    const config: HttpConfig = {
      mode: "http",
      echoUrl: echo.url,
      concurrency: options.concurrency,
      thinkMs,
      warmupMs: Math.min(options.warmupMs, 2000),
      durationMs: options.durationMs,
      questions: options.questions,
    };
    const result = await runToCompletion<HttpResult>("bench/load.ts", config, workDir, name);
    await servers.stop(echo);
    if (result.failures > 0) log(`AI call floor: ${result.failures} calls failed`);
    return {
      rtt: summarize(result.rtts),
      roundTripsPerSecond: result.rtts.length / (result.windowMs / 1000),
      failures: result.failures,
      /** The client's CPU per call (the chat's AI client, request body and response parse). */
      cpuPerCallMs: result.cpuMs / Math.max(1, result.total),
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
    const sampler = sampleBackends(directDbUrl);
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
      ? await servers.startChat(ai.url, "chat-idle")
      : await servers.startEcho("echo-idle");
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
    const idleCpuMsPerSecond = holdMs > 0
      ? await cpuRate(server.pid, Math.min(holdMs, 10_000))
      : NaN;
    const sampler = sampleBackends(directDbUrl);
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
      if (levels.length === steps.length) break;
      await load.say("next");
    }
    // The same sessions once idle: V8 keeps the young generation it grew for the burst of opens
    // until its memory reducer runs, some seconds after the allocation stops.
    let settled: { rssMiB: number; healthTotal: number } | undefined;
    if (options.idleSettleS > 0) {
      await new Promise((resolve) => setTimeout(resolve, options.idleSettleS * 1000));
      const memory = await readProcessMemory(server.pid);
      const health = target === "chat" ? await (await fetch(`${server.url}/health`)).json() : {};
      settled = { rssMiB: mib(memory.rss), healthTotal: health.connections?.total ?? -1 };
      log(
        `idle (${target}): ${levels.at(-1)!.sessions} open, ${options.idleSettleS} s later RSS ` +
          `${settled.rssMiB.toFixed(0)} MiB` +
          (target === "chat" ? ` (${settled.healthTotal} connections on /health)` : ""),
      );
    }
    await load.say("next");
    const result = await load.result();
    const backends = await sampler.stop();
    await servers.stop(server);
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
      /** RSS once the top had been open and idle BENCH_IDLE_SETTLE_S seconds, if read. */
      settledRssMiB: settled?.rssMiB ?? null,
      settledHealthTotal: settled?.healthTotal ?? null,
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

  return {
    interview: interviewPhase,
    echo: echoPhase,
    http: httpPhase,
    db: dbPhase,
    idle: idlePhase,
  };
}

export type BenchPhases = ReturnType<typeof benchPhases>;
export type EchoPhase = Awaited<ReturnType<BenchPhases["echo"]>>;
export type HttpPhase = Awaited<ReturnType<BenchPhases["http"]>>;
export type DbPhase = Awaited<ReturnType<BenchPhases["db"]>>;
export type IdlePhase = Awaited<ReturnType<BenchPhases["idle"]>>;
