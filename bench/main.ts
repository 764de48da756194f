// The benchmark's orchestrator: sets up users and templates in the local stack, starts every server
// as its own process (chat function, AI service, echo server), runs the load generator and the
// database floor as processes of their own, and prints the table that BENCHMARKS.md holds.
//
// Run it with `npm run bench` (bench/run.sh), which brings the stack up first. Its options are
// environment variables, listed with their defaults in bench/options.ts and in BENCHMARKS.md; the
// phases are in bench/phases.ts, the servers in bench/servers.ts, the table in bench/report.ts.
import { ConfigError } from "../supabase/functions/_shared/platform/config.ts";
import { DB_URL, POOLER_URL, ROOT } from "../test_support/local_stack.ts";
import { benchData } from "./data.ts";
import { log } from "./log.ts";
import { type BenchOptions, parseBenchOptions } from "./options.ts";
import { benchPhases } from "./phases.ts";
import { report } from "./report.ts";
import { BenchServers } from "./servers.ts";

let options: BenchOptions;
try {
  options = parseBenchOptions(Deno.env.toObject(), {
    root: ROOT,
    dbUrl: DB_URL,
    poolerUrl: POOLER_URL,
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // A mistyped option is the user's, not the bench's: its message alone, no stack trace.
  console.error(error.message);
  Deno.exit(2);
}
const workDir = `${ROOT}.stack/bench`;
await Deno.mkdir(workDir, { recursive: true });

const data = benchData();
const servers = new BenchServers(options, { root: ROOT, workDir });
const phases = benchPhases({ options, data, servers, workDir, directDbUrl: DB_URL });
const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  options: { ...options, phases: [...options.phases] },
};

try {
  if (options.history > 0) {
    log(`history: ${options.history} finished interviews in the database first`);
    await data.populate(options.history);
  }
  const ai = await servers.startAi();
  if (options.phases.has("echo")) results.echo = await phases.echo(0);
  if (options.phases.has("echothink")) results.echoThink = await phases.echo(options.thinkMs);
  if (options.phases.has("http")) results.http = await phases.http(0);
  if (options.phases.has("httpthink")) results.httpThink = await phases.http(options.thinkMs);
  if (options.phases.has("db")) results.db = await phases.db(0);
  if (options.phases.has("dbthink")) results.dbThink = await phases.db(options.thinkMs);
  if (options.phases.has("instant")) {
    results.instant = await phases.interview("instant", ai, options.thinkMs);
  }
  if (options.phases.has("saturate")) results.saturate = await phases.interview("saturate", ai, 0);
  if (options.phases.has("interviewer")) {
    const upstream = await servers.startInterviewer();
    if (upstream) {
      const proxy = await servers.startAi(upstream);
      results.interviewer = await phases.interview("interviewer", proxy, options.thinkMs);
      await servers.stop(proxy);
    } else {
      log("interviewer: supabase/functions/interviewer is not here yet; skipped");
    }
  }
  if (options.phases.has("idle") && options.idleTarget > 0) {
    results.idle = await phases.idle(ai, "chat");
    results.idleFloor = await phases.idle(ai, "echo");
  }
  results.machine = await machine();
  results.finishedAt = new Date().toISOString();
  await Deno.writeTextFile(options.out, JSON.stringify(results, null, 2));
  console.log(report(results));
  log(`results: ${options.out}`);
} finally {
  await servers.stopAll();
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
