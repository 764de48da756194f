// Least-privilege login roles made for one test, on the cluster and behind PgBouncer, and what
// PgBouncer's console says about its clients.
import postgres from "postgres";
import { adminSql, DB_URL, POOLER_URL, ROOT } from "./local_stack.ts";

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
