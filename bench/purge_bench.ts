// Measures the batched purge on the local stack: for each size N, N stale sessions among N live
// ones, the time of the dry-run count and of the batched purge (the procedure pg_cron calls),
// while live interviews keep appending turns through chat_internal.append_turns as their users.
//
//   npm run bench:purge                                  # 100,000 and 1,000,000
//   npm run bench:purge -- --sizes 20000 --batch 2000    # smaller, other batch size
//
// Connects as postgres to SUPABASE_DB_URL (default: the local stack on 54322). Everything it
// creates is tagged with a "bench-purge-" template slug and removed at the end, even on failure.
// Gives up after --budget-minutes (default 10).
import postgres from "postgres";

const args = parseArgs(Deno.args);
const DB_URL = Deno.env.get("SUPABASE_DB_URL") ??
  "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
const TEMPLATES_PER_SET = 100;
const WORKERS = 4;
const deadline = Date.now() + args.budgetMinutes * 60_000;

const sql = postgres(DB_URL, { max: WORKERS + 3, prepare: false, onnotice: () => {} });

function parseArgs(argv: string[]) {
  const value = (name: string) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  return {
    sizes: (value("sizes") ?? "100000,1000000").split(",").map(Number),
    batch: Number(value("batch") ?? 5000),
    budgetMinutes: Number(value("budget-minutes") ?? 10),
  };
}

function checkBudget() {
  if (Date.now() > deadline) throw new Error(`Gave up: over ${args.budgetMinutes} minutes`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function summary(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    answers: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? NaN,
  };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

/** Users x two sets of templates: live sessions on set A, stale ones on set B, all open. */
async function seed(tag: string, size: number) {
  const users = Math.ceil(size / TEMPLATES_PER_SET);
  await sql`insert into public.document_templates (slug, name, questions, body)
    select ${tag} || '-' || t, 'Bench ' || t,
      '[{"id":"party","text":"Who is the other party?","type":"short_text"}]', 'Party: {{party}}'
    from generate_series(1, ${2 * TEMPLATES_PER_SET}) t`;
  await sql`insert into auth.users (id, aud, role, email)
    select gen_random_uuid(), 'authenticated', 'authenticated', ${tag} || '-' || u || '@example.com'
    from generate_series(1, ${users}) u`;
  const history = sql.json([
    {
      role: "assistant",
      content: "Who is the other party?",
      questionId: "party",
      at: "2026-11-20T10:00:00Z",
    },
    {
      role: "user",
      content: "ACME Corporation Ltd",
      questionId: "party",
      at: "2026-11-20T10:00:05Z",
    },
    {
      role: "assistant",
      content: "What is the effective date?",
      questionId: "date",
      at: "2026-11-20T10:00:06Z",
    },
  ]);
  // One session per (user, template): n-th session goes to user n / 1000, template n % 1000.
  const insert = (set: "live" | "stale") =>
    sql`
    with u as (select id, row_number() over (order by id) - 1 as i from auth.users
               where email like ${tag + "-%"}),
         t as (select id, row_number() over (order by slug) - 1 as i from public.document_templates
               where slug like ${tag + "-%"})
    insert into public.chat_sessions (user_id, template_id, history, turn_count, connection_id,
      created_at, updated_at)
    select u.id, t.id, ${history}, 3, gen_random_uuid(),
      ${set === "stale" ? sql`now() - interval '3 days'` : sql`now() - interval '1 hour'`} -
        n * interval '1 millisecond',
      ${set === "stale" ? sql`now() - interval '2 days'` : sql`now() - interval '10 minutes'`} -
        n * interval '1 millisecond'
    from generate_series(0, ${size - 1}) n
    join u on u.i = n / ${TEMPLATES_PER_SET}
    join t on t.i = n % ${TEMPLATES_PER_SET} + ${set === "stale" ? TEMPLATES_PER_SET : 0}`;
  const started = performance.now();
  await insert("live");
  await insert("stale");
  await sql`analyze public.chat_sessions`;
  return performance.now() - started;
}

async function cleanUp(tag: string) {
  await sql`delete from auth.users where email like ${tag + "-%"}`; // sessions cascade
  // chat_sessions.template_id has no index: vacuum first, so that the foreign key checks of the
  // template delete scan a table without a million dead rows.
  await sql`vacuum analyze public.chat_sessions`;
  await sql`delete from public.document_templates where slug like ${tag + "-%"}`;
}

/** Live interviews: each worker answers its own sessions in a loop, timing each answer. */
function startInterviews(tag: string) {
  let running = true;
  let phase = "before";
  const latencies: Record<string, number[]> = { before: [], during: [], after: [] };
  const errors: string[] = [];
  const workers = (async () => {
    const sessions = await sql<
      { id: string; user_id: string; connection_id: string; turn_count: number }[]
    >`select s.id, s.user_id, s.connection_id, s.turn_count from public.chat_sessions s
      join public.document_templates t on t.id = s.template_id
      where t.slug like ${tag + "-%"} and s.updated_at > now() - interval '1 day'
      order by random() limit ${WORKERS * 25}`;
    await Promise.all(Array.from({ length: WORKERS }, async (_, w) => {
      const mine = sessions.filter((_, i) => i % WORKERS === w);
      for (let i = 0; running; i++) {
        const session = mine[i % mine.length]!;
        const turn = sql.json([{
          role: "user",
          content: `answer ${i}`,
          at: new Date().toISOString(),
        }]);
        const claims = JSON.stringify({ sub: session.user_id, role: "authenticated" });
        const started = performance.now();
        try {
          await sql.begin(async (tx) => {
            await tx`select set_config('role', 'authenticated', true),
              set_config('request.jwt.claims', ${claims}, true),
              set_config('statement_timeout', '5000', true)`;
            const [row] = await tx<{ turns: number }[]>`
              select chat_internal.append_turns(${session.id}, ${session.connection_id},
                ${session.turn_count}, ${turn}) as turns`;
            session.turn_count = row!.turns;
          });
          latencies[phase]!.push(performance.now() - started);
        } catch (error: unknown) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
      }
    }));
  })();
  return {
    latencies,
    errors,
    setPhase: (next: string) => (phase = next),
    async stop() {
      running = false;
      await workers;
    },
  };
}

async function measure(tag: string, size: number) {
  console.error(`# ${size.toLocaleString("en")} stale among ${size.toLocaleString("en")} live`);
  const seedMs = await seed(tag, size);
  checkBudget();
  const [{ mb }] = await sql<{ mb: number }[]>`
      select round(pg_total_relation_size('public.chat_sessions') / 1048576.0)::int as mb`
    .then((rows) => rows as unknown as [{ mb: number }]);
  const interviews = startInterviews(tag);
  await new Promise((resolve) => setTimeout(resolve, 3000));

  let started = performance.now();
  const [counted] = await sql<{ stale: string }[]>`
      select public.count_stale_chat_sessions() as stale`;
  const countMs = performance.now() - started;

  interviews.setPhase("during");
  started = performance.now();
  const [purged] = await sql<{ deleted: string }[]>`
      call public.purge_stale_chat_sessions_in_batches(interval '24 hours', ${args.batch}::int)`;
  const purgeMs = performance.now() - started;
  interviews.setPhase("after");
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await interviews.stop();

  const [left] = await sql<{ live: number; stale: number }[]>`
      select count(*) filter (where s.updated_at > now() - interval '1 day')::int as live,
        count(*) filter (where s.updated_at <= now() - interval '1 day')::int as stale
      from public.chat_sessions s join public.document_templates t on t.id = s.template_id
      where t.slug like ${tag + "-%"}`;
  return {
    size,
    seedMs,
    tableMb: mb,
    stale: Number(counted!.stale),
    countMs,
    deleted: Number(purged!.deleted),
    batches: Math.floor(Number(purged!.deleted) / args.batch) + 1,
    purgeMs,
    liveLeft: left!.live,
    staleLeft: left!.stale,
    before: summary(interviews.latencies.before!),
    during: summary(interviews.latencies.during!),
    after: summary(interviews.latencies.after!),
    errors: interviews.errors.length,
    firstError: interviews.errors[0],
  };
}

const [{ version }] = await sql<{ version: string }[]>`select version()` as unknown as [
  { version: string },
];
console.log(`PostgreSQL: ${version.split(",")[0]}; ${navigator.hardwareConcurrency} CPUs`);
console.log(`batch size ${args.batch}, ${WORKERS} concurrent interviews appending turns\n`);
await cleanUp("bench-purge"); // leftovers of an interrupted run
try {
  for (const size of args.sizes) {
    checkBudget();
    const tag = `bench-purge-${crypto.randomUUID().slice(0, 8)}`;
    let r;
    try {
      r = await measure(tag, size);
    } finally {
      console.error("# removing the generated rows");
      await cleanUp(tag);
    }
    console.log(`## ${r.size.toLocaleString("en")} stale sessions among as many live ones`);
    console.log(`table before the purge: ${r.tableMb} MB (seeded in ${seconds(r.seedMs)})`);
    console.log(`dry run (count_stale_chat_sessions): ${r.stale} stale in ${ms(r.countMs)}`);
    console.log(
      `purge (purge_stale_chat_sessions_in_batches): ${r.deleted} deleted in ${
        seconds(r.purgeMs)
      }` +
        ` (${r.batches} batches, ${Math.round(r.deleted / (r.purgeMs / 1000))} rows/s)`,
    );
    console.log(`left: ${r.liveLeft} live, ${r.staleLeft} stale`);
    console.log("| interviews | answers | p50 | p95 | p99 | max |");
    console.log("| --- | --- | --- | --- | --- | --- |");
    for (const phase of ["before", "during", "after"] as const) {
      const s = r[phase];
      console.log(
        `| ${phase} the purge | ${s.answers} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${
          ms(s.max)
        } |`,
      );
    }
    console.log(`failed answers: ${r.errors}${r.firstError ? ` (first: ${r.firstError})` : ""}\n`);
  }
} finally {
  await sql.end();
}
