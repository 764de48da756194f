// Test support for end-to-end tests: the real local stack (Postgres with the migrations, started
// by scripts/test.sh), users and tokens, and the functions started as their own processes.
import * as jose from "jose";
import postgres from "postgres";
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

export interface TokenOptions {
  expiresIn?: string | number;
  role?: string;
  audience?: string;
  /** The `iss` claim; LOCAL_ISSUER unless given, none when null. */
  issuer?: string | null;
  secret?: string;
  /** Signs with this ES256 key (and its kid) instead of the HS256 secret. */
  signingKey?: Es256SigningKey;
  claims?: Record<string, unknown>;
}

/** An asymmetric signing key like hosted Supabase's: the private half signs, the JWK verifies. */
export interface Es256SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public JWK, with kid, alg and use, as it appears in a JWKS. */
  publicJwk: jose.JWK;
}

/** A fresh ES256 key pair for signing local tokens; put `publicJwk` in SUPABASE_JWKS. */
export async function createEs256SigningKey(
  kid = `local-es256-${crypto.randomUUID().slice(0, 8)}`,
): Promise<Es256SigningKey> {
  const { publicKey, privateKey } = await jose.generateKeyPair("ES256", { extractable: true });
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  return { kid, privateKey, publicJwk };
}

/** SUPABASE_JWKS holding these keys' public halves. */
export function jwksOf(...keys: Es256SigningKey[]): string {
  return JSON.stringify({ keys: keys.map((key) => key.publicJwk) });
}

/**
 * Signs a token the way Supabase Auth does for a signed-in user: HS256 with the local secret, or
 * ES256 with `signingKey`, issued by LOCAL_ISSUER.
 */
export function signToken(userId: string, options: TokenOptions = {}): Promise<string> {
  const issuer = options.issuer === undefined ? LOCAL_ISSUER : options.issuer;
  const token = new jose.SignJWT({
    role: options.role ?? "authenticated",
    aud: options.audience ?? "authenticated",
    sub: userId,
    ...(issuer === null ? {} : { iss: issuer }),
    ...options.claims,
  })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "1h");
  if (options.signingKey) {
    return token.setProtectedHeader({ alg: "ES256", typ: "JWT", kid: options.signingKey.kid })
      .sign(options.signingKey.privateKey);
  }
  return token.setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
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

export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

export interface FunctionProcess {
  port: number;
  baseUrl: string;
  logs: string[];
  child: Deno.ChildProcess;
  /** Sends a signal and waits for the process to exit. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

/** Starts supabase/functions/<name>/index.ts as its own Deno process and waits until it serves. */
export function startFunction(
  name: string,
  env: Record<string, string>,
  readyPath = "/health",
  options: Pick<DenoProcessOptions, "port" | "permissions"> = {},
): Promise<FunctionProcess> {
  return startDenoProcess(`supabase/functions/${name}/index.ts`, env, { readyPath, ...options });
}

export interface DenoProcessOptions {
  /** Polled until it answers; default "/health". */
  readyPath?: string;
  /** Default: a free port. A fixed one lets a test restart a process where clients expect it. */
  port?: number;
  /** Extra flags beyond the net, env, read and sys permissions (--unstable-net, say). */
  permissions?: string[];
}

/** Starts a Deno entry point (relative to the repository) that serves on WEBSOCKET_PORT. */
export async function startDenoProcess(
  entry: string,
  env: Record<string, string>,
  options: DenoProcessOptions = {},
): Promise<FunctionProcess> {
  const { readyPath = "/health", permissions = [] } = options;
  const port = options.port ?? freePort();
  // A function runs with its own import map and lock, as it is deployed (docs/hosted.md).
  const functionConfig = /^supabase\/functions\/[^/_][^/]*\/index\.ts$/.test(entry)
    ? ["--config", `${ROOT}${entry.replace(/index\.ts$/, "deno.json")}`]
    : [];
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...functionConfig,
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-sys",
      ...permissions,
      `${ROOT}${entry}`,
    ],
    cwd: ROOT,
    env: { ...env, WEBSOCKET_PORT: String(port), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const logs: string[] = [];
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      logs.push(...chunk.split("\n").filter(Boolean));
    }
  };
  const collecting = Promise.all([collect(child.stdout), collect(child.stderr)]);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${baseUrl}${readyPath}`);
      await response.body?.cancel();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`${entry} did not start: ${logs.join("\n")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  let status: Promise<Deno.CommandStatus> | undefined;
  return {
    port,
    baseUrl,
    logs,
    child,
    async stop(signal: Deno.Signal = "SIGTERM") {
      if (!status) {
        try {
          child.kill(signal);
        } catch { /* already gone */ }
        status = child.status;
      }
      const result = await status;
      await collecting;
      return result;
    },
  };
}

/** The environment a chat process needs to talk to the local stack and a given AI service. */
export function chatEnv(
  aiUrl: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return withEnvOverrides({
    SUPABASE_URL: LOCAL_SUPABASE_URL,
    // the chat's own login role; the local stack is a direct connection, the pooler needs them off
    ...functionDatabaseEnv("chat"),
    JWT_SECRET,
    AI_SERVICE_URL: aiUrl,
    AI_SERVICE_API_KEY: "test-ai-key",
    AI_TIMEOUT_MS: "1500",
    AI_MAX_RETRIES: "1",
    NODE_ENV: "development",
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
  }, overrides);
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

/**
 * Runs `run` with the URL of a fresh login role that is a NOINHERIT member of `authenticated`
 * and nothing else: the least-privilege role docs/database.md recommends for the chat. The role
 * and its connections are gone afterwards.
 */
export async function withLeastPrivilegeRole<T>(
  admin: postgres.Sql,
  run: (url: string, role: string, password: string) => Promise<T>,
): Promise<T> {
  const role = `chat_login_${crypto.randomUUID().slice(0, 8)}`;
  const password = crypto.randomUUID();
  await admin.unsafe(
    `create role ${role} login noinherit password '${password}' in role authenticated`,
  );
  const url = new URL(DB_URL);
  url.username = role;
  url.password = password;
  try {
    return await run(url.toString(), role, password);
  } finally {
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where usename = ${role}`;
    await admin.unsafe(`drop role ${role}`);
  }
}

/**
 * The local cluster's folder, where scripts/stack.sh keeps the data and PgBouncer's files: in the
 * repository's .stack, or, when postgres cannot enter the checkout (a clone in a 0700 home, as
 * root), the folder of postgres's own that stack.sh wrote into `.stack/pg-<port>.location`.
 */
async function clusterDir(port: string): Promise<string> {
  try {
    return (await Deno.readTextFile(`${ROOT}.stack/pg-${port}.location`)).trim();
  } catch (error: unknown) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    return `${ROOT}.stack/pg-${port}`;
  }
}

/**
 * Lets `role` log in through the local PgBouncer for the length of `run`: its SCRAM secret goes
 * into the pooler's auth_file (which scripts/stack.sh writes from the cluster's login roles when
 * the stack comes up, before this role existed), and the admin console's RELOAD reads it. Gives
 * the pooler URL with the role's credentials.
 */
export async function withPoolerLogin<T>(
  admin: postgres.Sql,
  role: string,
  password: string,
  run: (poolerUrl: string) => Promise<T>,
): Promise<T> {
  const port = new URL(DB_URL).port || "54322";
  const userlist = `${await clusterDir(port)}/pgbouncer/userlist.txt`;
  const before = await Deno.readTextFile(userlist);
  const [row] = await admin`select rolpassword from pg_authid where rolname = ${role}`;
  await Deno.writeTextFile(
    userlist,
    `${before}${JSON.stringify(role)} ${JSON.stringify(row!.rolpassword)}\n`,
  );
  await poolerAdmin("RELOAD", { required: true });
  const url = new URL(POOLER_URL);
  url.username = role;
  url.password = password;
  try {
    return await run(url.toString());
  } finally {
    await Deno.writeTextFile(userlist, before);
    await poolerAdmin("RELOAD", { required: true });
    await closePoolerServerConnections();
  }
}

/**
 * Runs one command on PgBouncer's admin console and gives its rows; a failure throws only when
 * `required` (and then gives none).
 */
async function poolerAdmin(
  command: string,
  options: { required?: boolean } = {},
): Promise<Record<string, string>[]> {
  const url = new URL(POOLER_URL);
  url.pathname = "/pgbouncer";
  const { success, stdout, stderr } = await new Deno.Command("psql", {
    args: ["-X", "-q", "--csv", url.href, "-c", command],
    env: { PGPASSWORD: decodeURIComponent(url.password) },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!success) {
    if (options.required) {
      throw new Error(`PgBouncer's ${command} failed: ${new TextDecoder().decode(stderr)}`);
    }
    return [];
  }
  // The admin console's values hold no commas or quotes that matter here: split plainly.
  const [header, ...lines] = new TextDecoder().decode(stdout).split("\n").filter(Boolean);
  const columns = header?.split(",") ?? [];
  return lines.map((line) => {
    const values = line.split(",");
    return Object.fromEntries(columns.map((column, i) => [column, values[i] ?? ""]));
  });
}

/**
 * The clients connected to the local PgBouncer now (its admin console's SHOW CLIENTS): proof that
 * a function's pool came through the pooler, by its `application_name`.
 */
export function poolerClients(): Promise<Record<string, string>[]> {
  return poolerAdmin("SHOW CLIENTS", { required: true });
}

/**
 * Closes PgBouncer's idle server connections (its admin console's RECONNECT) and waits until their
 * backends are gone, so that a test which used the pooler leaves no backend behind for the next
 * test's look at pg_stat_activity.
 */
export async function closePoolerServerConnections(): Promise<void> {
  await poolerAdmin("RECONNECT"); // a pooler that is down has no server connections to close
  const sql = adminSql();
  try {
    for (let i = 0; i < 50; i++) {
      const [row] = await sql`select count(*)::int as n from pg_stat_activity
        where backend_type = 'client backend' and pid <> pg_backend_pid()
          and application_name = 'guided-document-chat'`;
      if (row!.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await sql.end();
  }
}
