// The functions (and other Deno entry points) started as their own processes on free ports, each
// waited for until it serves, for the end-to-end tests.
import {
  functionDatabaseEnv,
  JWT_SECRET,
  LOCAL_SUPABASE_URL,
  ROOT,
  withEnvOverrides,
} from "./local_stack.ts";

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
