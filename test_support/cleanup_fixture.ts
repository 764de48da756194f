// Test helpers for the suites that run against the local stack's Postgres (as postgres).
import postgres from "postgres";

export const DB_URL = Deno.env.get("SUPABASE_DB_URL") ??
  "postgresql://postgres:postgres@127.0.0.1:54322/postgres";

export function connect(max = 4): postgres.Sql {
  return postgres(DB_URL, { max, prepare: false, onnotice: () => {} });
}

/** Two users and a template of this test run's own, removed again by `remove()`. */
export async function createFixture(sql: postgres.Sql) {
  const owner = crypto.randomUUID();
  const otherUser = crypto.randomUUID();
  const templateId = crypto.randomUUID();
  await sql`insert into auth.users (id, aud, role, email) values
    (${owner}, 'authenticated', 'authenticated', ${`owner-${owner}@example.com`}),
    (${otherUser}, 'authenticated', 'authenticated', ${`other-${otherUser}@example.com`})`;
  await sql`insert into public.document_templates (id, slug, name, questions, body) values
    (${templateId}, ${`cleanup-test-${templateId}`}, 'Cleanup test',
     '[{"id":"party","text":"Who is the other party?","type":"short_text"}]', 'Party: {{party}}')`;
  return {
    owner,
    otherUser,
    templateId,
    async remove() {
      // Sessions and documents cascade with their users.
      await sql`delete from auth.users where id in (${owner}, ${otherUser})`;
      await sql`delete from public.document_templates where id = ${templateId}`;
    },
  };
}

/** Inserts an abandoned (so several may exist per user and template) incomplete session. */
export async function insertSession(
  sql: postgres.Sql,
  row: {
    userId: string;
    templateId: string;
    ageHours: number;
    abandoned?: boolean;
    complete?: boolean;
    connectionId?: string;
  },
): Promise<string> {
  const at = new Date(Date.now() - row.ageHours * 3_600_000);
  const [inserted] = await sql<{ id: string }[]>`
    insert into public.chat_sessions (user_id, template_id, connection_id, is_complete,
      completed_at, abandoned_at, updated_at)
    values (${row.userId}, ${row.templateId}, ${row.connectionId ?? null}, ${!!row.complete},
      ${row.complete ? at : null}, ${row.abandoned ? at : null}, ${at})
    returning id`;
  return inserted!.id;
}

/** The ids a purge at this max age would delete, by the migration's own rule. */
export async function staleIds(sql: postgres.Sql, maxAgeHours = 24): Promise<Set<string>> {
  const rows = await sql<{ id: string }[]>`
    select s.id from public.chat_sessions s
    where not s.is_complete and s.updated_at < now() - ${maxAgeHours}::float8 * interval '1 hour'
      and not exists (select 1 from public.generated_documents d where d.session_id = s.id)`;
  return new Set(rows.map((row) => row.id));
}

export async function existingIds(sql: postgres.Sql, ids: Iterable<string>): Promise<Set<string>> {
  const rows = await sql<{ id: string }[]>`
    select id from public.chat_sessions where id = any(${[...ids]}::uuid[])`;
  return new Set(rows.map((row) => row.id));
}
