// Supersede across instances, measured: how long after a user's new connection on instance B their
// old socket on instance A closes with 4509, with LISTEN on the direct connection and with the poll
// through the transaction pooler; and what the signal costs one instance holding many open
// sockets (statements a second and database CPU), against the same sockets with no signal.
//
//   npm run bench:supersede     (the local stack must be up: npm run stack -- up)
//
// Options (env): SUPERSEDE_BENCH_TRIALS 20, SUPERSEDE_BENCH_SOCKETS 1000, SUPERSEDE_BENCH_COST_S 20.
// Loopback only; one chat process per instance. Prints one JSON object.
import { startFakeAiService } from "../test_support/fake_ai_service.ts";
import {
  adminSql,
  chatEnv,
  createTemplate,
  createUser,
  DB_URL,
  type FunctionProcess,
  POOLER_URL,
  signToken,
  startFunction,
} from "../test_support/local_stack.ts";
import { connect, type TestClient } from "../test_support/ws_client.ts";
import { supersededConnections } from "../supabase/functions/chat/adapters/polling_connection_signal.ts";
import { createDatabase } from "../supabase/functions/_shared/platform/database.ts";
import { readClusterCpuMs, readCpuTime, summarize } from "./stats.ts";

const TRIALS = Number(Deno.env.get("SUPERSEDE_BENCH_TRIALS") ?? 20);
const SOCKETS = Number(Deno.env.get("SUPERSEDE_BENCH_SOCKETS") ?? 1000);
const COST_MS = Number(Deno.env.get("SUPERSEDE_BENCH_COST_S") ?? 20) * 1000;

type Mode = "listen" | "poll" | "none";
const modeEnv: Record<Mode, Record<string, string>> = {
  listen: { SUPABASE_DB_URL: DB_URL, DB_PREPARE: "true", SUPERSEDE_SIGNAL: "postgres" },
  poll: { SUPABASE_DB_URL: POOLER_URL, DB_PREPARE: "false", SUPERSEDE_SIGNAL: "auto" },
  none: { SUPABASE_DB_URL: POOLER_URL, DB_PREPARE: "false", SUPERSEDE_SIGNAL: "none" },
};

const admin = adminSql();
const ai = startFakeAiService();
const log = (message: string) => console.error(`[supersede-bench] ${message}`);

function chat(mode: Mode): Promise<FunctionProcess> {
  return startFunction("chat", chatEnv(ai.url, { ...modeEnv[mode], NODE_ENV: "production" }));
}

async function latency(mode: "listen" | "poll") {
  const [a, b] = await Promise.all([chat(mode), chat(mode)]);
  const templateId = await createTemplate(admin, 3);
  const samples: number[] = [];
  try {
    for (let i = 0; i < TRIALS; i++) {
      const token = await signToken(await createUser(admin, "supersede-bench"));
      const onA = connect(a.baseUrl, { token, templateId });
      await onA.next("next_question");
      const started = performance.now();
      const onB = connect(b.baseUrl, { token, templateId });
      const closed = await onA.closed;
      if (closed.code !== 4509) throw new Error(`A closed with ${closed.code}, not 4509`);
      samples.push(performance.now() - started);
      await onB.next("session_resumed");
      await onB.close();
      // Start the next trial at a random point of the poll's 1 s interval.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 1_000));
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  const summary = summarize(samples);
  log(`${mode}: p50 ${summary.p50.toFixed(0)} ms, max ${summary.max.toFixed(0)} ms`);
  return summary;
}

async function postmasterPid(): Promise<number> {
  const [row] = await admin`select pg_backend_pid() as pid`;
  const stat = await Deno.readTextFile(`/proc/${row!.pid}/stat`);
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

async function committed(): Promise<number> {
  const [row] = await admin`select xact_commit::bigint as n from pg_stat_database
    where datname = current_database()`;
  return Number(row!.n);
}

/** Statements PgBouncer has passed to the database so far (its admin console, SHOW STATS). */
async function poolerStatements(): Promise<number> {
  const url = new URL(POOLER_URL);
  url.pathname = "/pgbouncer";
  const output = await new Deno.Command("psql", {
    args: ["-X", "-At", "-F", " ", url.href, "-c", "show stats"],
    env: { PGPASSWORD: decodeURIComponent(url.password) },
    stdout: "piped",
    stderr: "null",
  }).output();
  const line = new TextDecoder().decode(output.stdout).split("\n")
    .find((row) => row.startsWith("postgres "));
  return Number(line?.split(" ")[2] ?? NaN);
}

/** SOCKETS open interviews on one instance, idle; then COST_MS of nothing but the signal. */
async function cost(mode: Mode) {
  const instance = await chat(mode);
  const templateId = await createTemplate(admin, 3);
  const clients: TestClient[] = [];
  try {
    const users = await admin`insert into auth.users (id, aud, role, email)
      select gen_random_uuid(), 'authenticated', 'authenticated',
        'supersede-cost-' || gen_random_uuid() || '@example.test'
      from generate_series(1, ${SOCKETS}) returning id`;
    for (let i = 0; i < users.length; i += 100) {
      const batch = await Promise.all(
        users.slice(i, i + 100).map(async ({ id }) => {
          const client = connect(instance.baseUrl, { token: await signToken(id), templateId });
          await client.next("next_question");
          return client;
        }),
      );
      clients.push(...batch);
    }
    // Backends flush their statistics within 10 s once idle: let the opening's counts land first.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const pid = await postmasterPid();
    const [pooled0, xact0, db0, chat0] = [
      await poolerStatements(),
      await committed(),
      await readClusterCpuMs(pid),
      await readCpuTime(instance.child.pid),
    ];
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, COST_MS));
    const seconds = (performance.now() - started) / 1000;
    const [pooled1, xact1, db1, chat1] = [
      await poolerStatements(),
      await committed(),
      await readClusterCpuMs(pid),
      await readCpuTime(instance.child.pid),
    ];
    const open = clients.filter((c) => c.socket.readyState === WebSocket.OPEN).length;
    const result = {
      mode,
      openSockets: open,
      seconds: Number(seconds.toFixed(1)),
      // Statements through the pooler: the poll's, and nothing else while the sockets idle.
      poolerStatementsPerSecond: Number(((pooled1 - pooled0) / seconds).toFixed(2)),
      // Committed transactions in the database, all sources (the "none" run is the baseline).
      transactionsPerSecond: Number(((xact1 - xact0) / seconds).toFixed(2)),
      databaseCpuPercent: Number(((db1 - db0) / 10 / seconds).toFixed(2)),
      chatCpuPercent: Number(
        ((chat1.ownMs - chat0.ownMs) / 10 / seconds).toFixed(2),
      ),
    };
    log(JSON.stringify(result));
    return result;
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await instance.stop();
  }
}

/** The poll's own statement at SOCKETS pairs, through the pooler: its round-trip time. */
async function pollStatement() {
  const sql = createDatabase(POOLER_URL, { max: 1, prepare: false });
  const sessions = await admin`select id from public.chat_sessions
    where not is_complete order by created_at desc limit ${SOCKETS}`;
  const owned = sessions.map(({ id }) => ({ sessionId: id, connectionId: crypto.randomUUID() }));
  const samples: number[] = [];
  try {
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      await supersededConnections(sql, owned);
      samples.push(performance.now() - started);
    }
  } finally {
    await sql.end();
  }
  return { pairs: owned.length, ...summarize(samples.slice(5)) };
}

try {
  const result = {
    trials: TRIALS,
    latencyMs: { listen: await latency("listen"), poll: await latency("poll") },
    costAt: SOCKETS,
    cost: [await cost("none"), await cost("poll"), await cost("listen")],
    pollStatementMs: await pollStatement(),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await ai.close();
  await admin`delete from auth.users where email like 'supersede-%@example.test'`;
  await admin.end();
}
