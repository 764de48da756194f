// The benchmark's data in the local stack: users, their tokens and templates, all tagged with the
// run's id so that cleanUp removes them (sessions and documents go with their users).
import { adminSql, createTemplate, signToken } from "../test_support/local_stack.ts";

export interface BenchData {
  /** A new active template of `questions` short-text questions; returns its id. */
  createTemplate(questions: number): Promise<string>;
  /** The ids of the first `count` bench users, creating the missing ones. */
  userIds(count: number): Promise<string[]>;
  /** Access tokens of the first `count` bench users. */
  tokens(count: number): Promise<string[]>;
  /**
   * Completed interviews of other bench users, `count` of them, then VACUUM ANALYZE: a database with
   * history, as a deployed one has, rather than tables that grow from empty inside a phase.
   */
  populate(count: number): Promise<void>;
  postgresSettings(): Promise<Record<string, string>>;
  /** The process id of the cluster's postmaster (the parent of every backend). */
  postmasterPid(): Promise<number>;
  cleanUp(): Promise<void>;
}

const SETTINGS = [
  "server_version",
  "max_connections",
  "shared_buffers",
  "synchronous_commit",
  "fsync",
  "wal_level",
  "work_mem",
  "effective_io_concurrency",
];

export function benchData(): BenchData {
  const sql = adminSql();
  const runId = crypto.randomUUID().slice(0, 8);
  const users: string[] = [];
  const tokens: string[] = [];
  let restoreQuotas: (() => Promise<void>) | undefined;

  // A handful of bench users run interviews back to back, far past the per-user quotas a real
  // user never meets (docs/database.md#quotas): lifted for the run, as an operator would, and
  // put back by cleanUp.
  async function liftQuotas(): Promise<void> {
    if (restoreQuotas) return;
    const [before] = await sql`
      select open_interviews, sessions_per_minute, documents_per_day from chat_internal.quotas`;
    await sql`update chat_internal.quotas
      set open_interviews = 1000000, sessions_per_minute = 1000000, documents_per_day = 1000000`;
    restoreQuotas = async () => {
      if (!before) return;
      await sql`update chat_internal.quotas set open_interviews = ${before.open_interviews},
        sessions_per_minute = ${before.sessions_per_minute},
        documents_per_day = ${before.documents_per_day}`;
    };
  }

  async function userIds(count: number): Promise<string[]> {
    await liftQuotas();
    const missing = count - users.length;
    if (missing > 0) {
      const rows = await sql`
        insert into auth.users (id, aud, role, email)
        select gen_random_uuid(), 'authenticated', 'authenticated',
          ${`bench-${runId}-`} || n || '@example.test'
        from generate_series(${users.length + 1}::int, ${count}::int) as n
        returning id`;
      users.push(...rows.map((row) => row.id as string));
    }
    return users.slice(0, count);
  }

  return {
    createTemplate(questionCount) {
      return createTemplate(sql, questionCount, { slugPrefix: `bench-${runId}-` });
    },
    userIds,
    async tokens(count) {
      const ids = await userIds(count);
      for (let i = tokens.length; i < count; i++) {
        tokens.push(await signToken(ids[i]!, { expiresIn: "2h" }));
      }
      return tokens.slice(0, count);
    },
    async populate(count) {
      if (count <= 0) return;
      const templateId = await createTemplate(sql, 1, { slugPrefix: `bench-${runId}-history-` });
      // 100 finished interviews per user, each with 21 short turns and its document.
      await sql`
        with users as (
          insert into auth.users (id, aud, role, email)
          select gen_random_uuid(), 'authenticated', 'authenticated',
            ${`bench-${runId}-history-`} || n || '@example.test'
          from generate_series(1, ceil(${count}::int / 100.0)::int) as n
          returning id
        ), sessions as (
          insert into public.chat_sessions
            (user_id, template_id, history, turn_count, is_complete, completed_at)
          select u.id, ${templateId}, (
              select jsonb_agg(jsonb_build_object(
                'role', case when t % 2 = 1 then 'assistant' else 'user' end,
                'content', 'Turn ' || t, 'questionId', 'q' || ((t + 1) / 2),
                'at', now()::text))
              from generate_series(1, 21) as t),
            21, true, now()
          from users u, generate_series(1, 100) as i
          limit ${count}
          returning id, user_id
        )
        insert into public.generated_documents (session_id, user_id, template_id, title, content)
        select id, user_id, ${templateId}, 'Bench', 'Question 1? answered'
        from sessions`;
      // Vacuumed too, so that autovacuum does not wake up for these rows in the middle of a phase.
      await sql`vacuum analyze auth.users, public.chat_sessions, public.generated_documents`;
    },
    async postgresSettings() {
      const rows = await sql`
        select name, setting, unit from pg_settings where name = any(${SETTINGS})`;
      return Object.fromEntries(
        rows.map((row) => [row.name, row.unit ? `${row.setting} (${row.unit})` : row.setting]),
      );
    },
    async postmasterPid() {
      const [row] = await sql`select pg_backend_pid() as pid`;
      const stat = await Deno.readTextFile(`/proc/${row!.pid}/stat`);
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    },
    async cleanUp() {
      await restoreQuotas?.();
      await sql`delete from auth.users where email like ${`bench-${runId}-%`}`;
      await sql`delete from public.document_templates where slug like ${`bench-${runId}-%`}`;
      // The next run (or test suite) starts without this run's dead rows for autovacuum to chase.
      await sql`vacuum analyze auth.users, public.chat_sessions, public.generated_documents,
        public.document_templates`;
      await sql.end({ timeout: 5 });
    },
  };
}
