// scripts/start.sh as a developer runs it, on free ports beside any `npm start`: every function
// comes up with the platform's heap cap, the gateway in front of them, a function killed with SIGKILL is back within seconds
// while the others keep answering, each logs in as its own role (not a superuser), and SIGTERM
// to the script leaves no process behind.
import assert from "node:assert/strict";
import {
  adminSql,
  freePort,
  FUNCTION_APPLICATION_NAMES,
  FUNCTION_NAMES,
  functionRole,
  ROOT,
} from "../test_support/local_stack.ts";

const HEAP_CAP = "--v8-flags=--max-old-space-size=256";

interface Service {
  name: string;
  /** What the process's command line names. */
  entry: string;
  port: number;
  /** A request that only a serving process answers, and the status it answers with. */
  path: string;
  status: number;
  /** Runs on the platform, so under its heap cap. */
  isFunction: boolean;
}

const services: Service[] = [
  ["chat", "/health", 200],
  ["interviewer", "/health", 200],
  ["documents", "/documents", 401], // no token
  ["cleanup", "/", 405], // POST only
].map(([name, path, status]) => ({
  name: String(name),
  entry: `supabase/functions/${name}/index.ts`,
  port: freePort(),
  path: String(path),
  status: Number(status),
  isFunction: true,
}));
// The gateway, on a free port too (never 54321, where a developer's `npm start` may run one). Its
// own route, the JWKS, so that it answers while a function behind it is down.
services.push({
  name: "gateway",
  entry: "scripts/gateway/main.ts",
  port: freePort(),
  path: "/auth/v1/.well-known/jwks.json",
  status: 200,
  isFunction: false,
});
services.push({
  name: "dev_portal",
  entry: "scripts/dev_portal.ts",
  port: freePort(),
  path: "/health",
  status: 200,
  isFunction: false,
});
const portOf = (name: string) => services.find((service) => service.name === name)!.port;

/** Whether the service answers its request as a serving process does, within a second. */
async function answers(service: Service): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${service.port}${service.path}`, {
      signal: AbortSignal.timeout(1_000),
    });
    await response.body?.cancel();
    return response.status === service.status;
  } catch {
    return false;
  }
}

/** Polls `check` every 100 ms until it holds; throws with `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!await check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every process below `root`, by pid, with its command line (NUL-separated arguments). */
function descendants(root: number): Map<number, string[]> {
  const children = new Map<number, number[]>();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...children.get(ppid) ?? [], Number(entry.name)]);
    } catch { /* gone meanwhile */ }
  }
  const found = new Map<number, string[]>();
  const queue = [...children.get(root) ?? []];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    try {
      const cmdline = Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").filter(Boolean);
      found.set(pid, cmdline);
    } catch { /* gone meanwhile */ }
    queue.push(...children.get(pid) ?? []);
  }
  return found;
}

/** The pid and command line of the Deno process serving `service`, if there is one. */
function processOf(root: number, service: Service): { pid: number; cmdline: string[] } | undefined {
  for (const [pid, cmdline] of descendants(root)) {
    if (cmdline.some((arg) => arg.endsWith(service.entry)) && cmdline.includes("run")) {
      return { pid, cmdline };
    }
  }
  return undefined;
}

/** Whether `pid` still runs `cmdline` (not a zombie, and not a new process given the pid). */
function stillRuns(pid: number, cmdline: string): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const now = Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").filter(Boolean);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z" && now.join(" ") === cmdline;
  } catch {
    return false;
  }
}

Deno.test("scripts/start.sh supervises every function", async (t) => {
  const env = { ...Deno.env.toObject() };
  delete env.DB_URL; // the local stack's direct connection, as `npm start` uses it
  const script = new Deno.Command("bash", {
    args: ["scripts/start.sh"],
    cwd: ROOT,
    env: {
      ...env,
      WEBSOCKET_PORT: String(portOf("chat")),
      INTERVIEWER_PORT: String(portOf("interviewer")),
      CLEANUP_PORT: String(portOf("cleanup")),
      DOCUMENTS_PORT: String(portOf("documents")),
      DEV_PORTAL_PORT: String(portOf("dev_portal")),
      GATEWAY_PORT: String(portOf("gateway")),
      AI_SERVICE_URL: `http://127.0.0.1:${portOf("interviewer")}`,
      DEV_PORTAL: "true",
      CHAT_PROCESSES: "1",
      NODE_ENV: "production",
      NO_COLOR: "1",
    },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const logs: string[] = [];
  const reading = (async () => {
    for await (const chunk of script.stderr.pipeThrough(new TextDecoderStream())) {
      logs.push(...chunk.split("\n").filter(Boolean));
    }
  })();
  // Every process the script started, with its command line.
  const seen = new Map<number, string>();
  const remember = () =>
    descendants(script.pid).forEach((cmdline, pid) => seen.set(pid, cmdline.join(" ")));
  const survivors = () => [...seen].filter(([pid, cmdline]) => stillRuns(pid, cmdline));
  try {
    await t.step("every function comes up on its own port", async () => {
      await until("every service answers", async () => {
        remember();
        return (await Promise.all(services.map(answers))).every(Boolean);
      }, 90_000);
    });

    await t.step("each function logs in as its own role, not a superuser", async () => {
      const admin = adminSql();
      try {
        for (const name of FUNCTION_NAMES) {
          // Each checks its login role when it starts, so its pool holds a backend by now.
          const logins = await admin`
            select distinct a.usename, r.rolsuper, r.rolbypassrls
            from pg_stat_activity a join pg_roles r on r.rolname = a.usename
            where a.application_name = ${FUNCTION_APPLICATION_NAMES[name]}`;
          assert.deepEqual(
            [...logins],
            [{ usename: functionRole(name), rolsuper: false, rolbypassrls: false }],
            name,
          );
        }
      } finally {
        await admin.end();
      }
    });

    await t.step("each function runs under the platform's 256 MB heap cap", () => {
      for (const service of services.filter((service) => service.isFunction)) {
        const found = processOf(script.pid, service);
        assert.ok(found, `no process serves ${service.name}`);
        assert.ok(found.cmdline.includes(HEAP_CAP), `${service.name}: ${found.cmdline.join(" ")}`);
      }
    });

    for (const victim of services.filter((service) => service.isFunction)) {
      await t.step(
        `${victim.name} killed with SIGKILL comes back; the others keep serving`,
        async () => {
          const before = processOf(script.pid, victim);
          assert.ok(before, `no process serves ${victim.name}`);
          Deno.kill(before.pid, "SIGKILL");
          const others = services.filter((service) => service !== victim);
          await until(`${victim.name} serves again from a new process`, async () => {
            remember();
            const down = (await Promise.all(others.map(answers)))
              .flatMap((ok, i) => ok ? [] : [others[i]!.name]);
            assert.deepEqual(down, [], `stopped answering while ${victim.name} was down`);
            const now = processOf(script.pid, victim);
            return now !== undefined && now.pid !== before.pid && await answers(victim);
          }, 20_000);
          assert.ok(
            logs.includes(`[start] ${victim.name} exited with code 137; restarting in 0.5 s`),
            logs.join("\n"),
          );
        },
      );
    }

    await t.step("SIGTERM stops the script and every process it started", async () => {
      remember();
      script.kill("SIGTERM");
      const status = await script.status;
      assert.equal(status.code, 0, logs.join("\n"));
      await until("every process it started is gone", () => {
        return Promise.resolve(survivors().length === 0);
      }, 15_000);
      for (const service of services) assert.equal(await answers(service), false, service.name);
    });
  } finally {
    try {
      script.kill("SIGKILL");
    } catch { /* already gone */ }
    for (const [pid] of survivors()) Deno.kill(pid, "SIGKILL");
    await script.status;
    await reading;
  }
});
