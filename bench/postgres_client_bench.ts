// CPU per query of postgres.js as the functions configure it, against variants of that
// configuration, alternating in one process so that the machine's load moves every variant alike:
//
//   deno run -A bench/postgres_client_bench.ts <database url> [rounds] [queries per round]
//
// Each round runs every variant once: a pool of 10, 50 loops each sending a prepared one-row
// query, either back to back or with a 2-6 ms pause between queries (the low load at which each
// reply wakes the process on its own, as at the chat's latency load). CPU is this process's own
// (user + system), so the server's work is not counted.
import process from "node:process";
import postgres from "postgres";
import { denoTcpSocket } from "./deno_tcp_socket.ts";

const [url, roundsArg, queriesArg] = Deno.args;
if (!url) {
  console.error("usage: postgres_client_bench.ts <database url> [rounds] [queries per round]");
  Deno.exit(2);
}
const rounds = Number(roundsArg ?? "5");
const queries = Number(queriesArg ?? "20000");

/** postgres.js's options, with the socket factory its types leave out (connection.js reads it). */
type ClientOptions = postgres.Options<Record<string, postgres.PostgresType>> & {
  socket?: typeof denoTcpSocket;
};

interface Variant {
  name: string;
  options: ClientOptions;
}

const base = { max: 10, prepare: true, connect_timeout: 5, onnotice: () => {} };
const variants: Variant[] = [
  { name: "node:net, idle timeout 60 s (as shipped)", options: { ...base, idle_timeout: 60 } },
  {
    name: "Deno.connect socket, idle timeout 60 s",
    options: { ...base, idle_timeout: 60, socket: denoTcpSocket },
  },
  { name: "node:net, no idle timeout", options: { ...base, idle_timeout: 0 } },
  {
    name: "Deno.connect socket, no idle timeout",
    options: { ...base, idle_timeout: 0, socket: denoTcpSocket },
  },
];

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 4));

async function run(sql: postgres.Sql, n: number, think: boolean): Promise<number> {
  let left = n;
  const started = cpuMicros();
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (left-- > 0) {
      if (think) await pause();
      await sql`select ${left}::int as n, now() as at`;
    }
  }));
  return (cpuMicros() - started) / n;
}

const pools = variants.map((variant) =>
  postgres(url, variant.options as postgres.Options<Record<string, postgres.PostgresType>>)
);
const results = new Map<string, number[]>();
for (const think of [false, true]) {
  for (const sql of pools) await run(sql, 2000, think); // warm-up: connections, JIT
  for (let round = 0; round < rounds; round++) {
    for (const [i, sql] of pools.entries()) {
      const key = `${variants[i]!.name}, ${think ? "2-6 ms apart" : "back to back"}`;
      const perQuery = await run(sql, think ? queries / 4 : queries, think);
      results.set(key, [...(results.get(key) ?? []), perQuery]);
    }
  }
}
await Promise.all(pools.map((sql) => sql.end()));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
console.log("| variant | CPU µs per query, median | rounds |");
console.log("| --- | ---: | --- |");
for (const [key, values] of results) {
  console.log(
    `| ${key} | ${median(values).toFixed(1)} | ${values.map((v) => v.toFixed(1)).join(" / ")} |`,
  );
}
