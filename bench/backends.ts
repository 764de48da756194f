// Samples how many database backends serve the benchmark's processes while a phase runs: every
// client backend of the database except the sampler's own and the bench's admin connections
// (postgres.js's default application name). Behind the pooler that is what PgBouncer opened.
import postgres from "postgres";
import { summarize, type Summary } from "./stats.ts";

const SAMPLER = "bench-backend-sampler";

export interface BackendSampler {
  /** Stops sampling; the backend counts seen, summarised. */
  stop(): Promise<Summary>;
}

export function sampleBackends(url: string, intervalMs = 100): BackendSampler {
  const sql = postgres(url, {
    max: 1,
    prepare: false,
    onnotice: () => {},
    connection: { application_name: SAMPLER },
  });
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const [row] = await sql`select count(*)::int as n from pg_stat_activity
        where backend_type = 'client backend' and datname = current_database()
          and application_name not in (${SAMPLER}, 'postgres.js')`;
      samples.push(row!.n as number);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await sql.end();
      return summarize(samples);
    },
  };
}
