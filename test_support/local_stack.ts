// Test support for end-to-end tests: the real local stack (Postgres with the migrations, started
// by scripts/test.sh), its settings, users and templates. Tokens (test_tokens.ts), the functions
// started as their own processes (function_processes.ts) and the pooler's logins
// (pooler_logins.ts) have files of their own; this module re-exports them, so a test imports one
// place.
import postgres from "postgres";
import { signToken } from "./test_tokens.ts";
import type { Turn } from "../supabase/functions/_shared/wire/protocol.ts";

export const DB_URL = Deno.env.get("SUPABASE_DB_URL") ??
  "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
/**
 * `E2E_DB_VIA=pooler` runs the functions the end-to-end tests start through the local PgBouncer in
 * transaction mode (SUPABASE_POOLER_URL, as `scripts/stack.sh env` prints it), with prepared
 * statements off, as behind Supabase's transaction pooler. Test data is still arranged and read on
 * the direct connection (DB_URL).
 */
export const VIA_POOLER = Deno.env.get("E2E_DB_VIA") === "pooler";
export const POOLER_URL = Deno.env.get("SUPABASE_POOLER_URL") ??
  `postgresql://postgres:postgres@127.0.0.1:${
    Deno.env.get("SUPABASE_POOLER_PORT") ?? "6543"
  }/postgres`;
/** The functions, each of which logs in as a role of its own (scripts/function_roles.sql). */
export type FunctionName = "chat" | "documents" | "cleanup" | "interviewer";
export const FUNCTION_NAMES: readonly FunctionName[] = [
  "chat",
  "documents",
  "cleanup",
  "interviewer",
];

/** What pg_stat_activity shows for each function's pool (its `application_name`). */
export const FUNCTION_APPLICATION_NAMES: Record<FunctionName, string> = {
  chat: "guided-document-chat",
  documents: "guided-document-chat-documents",
  cleanup: "guided-document-chat-cleanup",
  interviewer: "guided-document-chat-interviewer",
};

/** A function's login role: `<name>_login`. */
export function functionRole(name: FunctionName): string {
  return `${name}_login`;
}

/**
 * The password of a function's login role: `<NAME>_LOGIN_PASSWORD` as `scripts/stack.sh env`
 * prints it (npm test exports it), else .env.example's development value, which stack.sh uses
 * when nothing overrides it.
 */
export function functionRolePassword(name: FunctionName): string {
  const variable = `${name.toUpperCase()}_LOGIN_PASSWORD`;
  const fromEnv = Deno.env.get(variable);
  if (fromEnv) return fromEnv;
  const example = Deno.readTextFileSync(new URL("../.env.example", import.meta.url));
  const line = example.split("\n").find((line) => line.startsWith(`${variable}=`));
  if (!line) throw new Error(`No ${variable} in the environment or .env.example`);
  return line.slice(variable.length + 1);
}

/** `base` (a cluster's or a pooler's URL) with the function's login role and password. */
export function functionLoginUrl(name: FunctionName, base: string): string {
  const url = new URL(base);
  url.username = functionRole(name);
  url.password = functionRolePassword(name);
  return url.toString();
}

/** Which way the functions under test reach the database: E2E_DB_VIA. */
export type DatabaseRoute = "direct" | "pooler";
export const FUNCTION_DB_ROUTE: DatabaseRoute = VIA_POOLER ? "pooler" : "direct";

/**
 * How a function under test is told its database: DB_URL with its own login role, never a
 * superuser's, directly (prepared statements on, as `npm start`) or through the pooler (off, as
 * behind Supabase's transaction pooler). No SUPABASE_DB_URL at all: a function that did not read
 * DB_URL would fail to start rather than quietly connect as postgres.
 */
export function functionDatabaseEnv(
  name: FunctionName,
  route: DatabaseRoute = FUNCTION_DB_ROUTE,
): Record<string, string> {
  return route === "pooler"
    ? { DB_URL: functionLoginUrl(name, POOLER_URL), DB_PREPARE: "false" }
    : { DB_URL: functionLoginUrl(name, DB_URL), DB_PREPARE: "true" };
}

/**
 * `base` with `overrides` on top. A test that sets SUPABASE_DB_URL and not DB_URL means that
 * database (another cluster, an unreachable one, "" for none), so the DB_URL of the base, which a
 * function would read first, goes.
 */
export function withEnvOverrides(
  base: Record<string, string>,
  overrides: Record<string, string>,
): Record<string, string> {
  const merged = { ...base, ...overrides };
  if ("SUPABASE_DB_URL" in overrides && !("DB_URL" in overrides)) delete merged.DB_URL;
  return merged;
}
export const JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
/** The SUPABASE_URL the functions under test get (the Supabase CLI's local API address). */
export const LOCAL_SUPABASE_URL = "http://127.0.0.1:54321";
/** The `iss` those functions expect: Supabase Auth's, `<SUPABASE_URL>/auth/v1`. */
export const LOCAL_ISSUER = `${LOCAL_SUPABASE_URL}/auth/v1`;
export const ROOT = new URL("../", import.meta.url).pathname;

/** A privileged connection for arranging and inspecting test data, never used by the product. */
export function adminSql(url = DB_URL): postgres.Sql {
  return postgres(url, { max: 2, prepare: false, onnotice: () => {} });
}

/** `url` (a cluster's or a pooler's) with the local stack's admin login, postgres. */
export function adminUrlOf(url: string): string {
  const admin = new URL(url);
  admin.username = "postgres";
  admin.password = "postgres";
  return admin.toString();
}

export async function createUser(sql: postgres.Sql, label = "user"): Promise<string> {
  const id = crypto.randomUUID();
  await sql`insert into auth.users (id, aud, role, email)
    values (${id}, 'authenticated', 'authenticated', ${`${label}-${id.slice(0, 8)}@example.test`})`;
  return id;
}

/**
 * Creates an active template with simple short-text questions q1..qN. Its slug starts with
 * `slugPrefix` ("test-", which npm test's clean-up removes; the bench uses its run's own).
 */
export async function createTemplate(
  sql: postgres.Sql,
  questionCount = 3,
  options: { active?: boolean; slugPrefix?: string } = {},
): Promise<string> {
  const id = crypto.randomUUID();
  const questions = Array.from({ length: questionCount }, (_, i) => ({
    id: `q${i + 1}`,
    text: `Question ${i + 1}?`,
    type: "short_text",
  }));
  const body = questions.map((q) => `${q.text} {{${q.id}}}`).join("\n");
  await sql`insert into public.document_templates (id, slug, name, questions, body, is_active)
    values (${id}, ${`${options.slugPrefix ?? "test-"}${id.slice(0, 8)}`}, 'Test template',
      ${sql.json(questions)}, ${body}, ${options.active ?? true})`;
  return id;
}

/** Reads a row the way the Data API would for this user: role authenticated, RLS applied. */
export function asUserSelect(
  sql: postgres.Sql,
  userId: string,
  table: "chat_sessions" | "generated_documents",
  id: string,
) {
  return sql.begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true),
      set_config('request.jwt.claims', ${
      JSON.stringify({ sub: userId, role: "authenticated" })
    }, true)`;
    return [...await tx`select * from ${tx("public." + table)} where id = ${id}`];
  }) as Promise<postgres.Row[]>;
}

/** A new user with a token, on a new template of `questions` short-text questions. */
export async function newUserOnTemplate(sql: postgres.Sql, questions = 3) {
  const userId = await createUser(sql);
  return {
    userId,
    token: await signToken(userId),
    templateId: await createTemplate(sql, questions),
  };
}

/** A session's stored history, as the database holds it. */
export async function storedHistory(
  sql: postgres.Sql,
  sessionId: string,
): Promise<Turn[]> {
  const [row] = await sql`select history from chat_sessions where id = ${sessionId}`;
  return row?.history ?? [];
}

export * from "./test_tokens.ts";
export * from "./function_processes.ts";
export * from "./pooler_logins.ts";
