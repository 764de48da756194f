// Child processes of the benchmark: each server and load generator runs as its own Deno process.
import { freePort, ROOT } from "../test_support/local_stack.ts";

export interface Child {
  pid: number;
  port: number;
  url: string;
  /** Sends SIGTERM (or the given signal) and waits for the process to exit. */
  stop(signal?: Deno.Signal): Promise<void>;
}

const PERMISSIONS = ["--allow-net", "--allow-env", "--allow-read", "--allow-sys"];

/**
 * Starts a Deno script as its own process serving on a free port (passed in the env variable
 * `portVariable`), logs to `logPath`, and waits until `readyPath` answers.
 */
export async function startServer(
  script: string,
  options: {
    env: Record<string, string>;
    portVariable: string;
    logPath: string;
    readyPath?: string;
    args?: string[];
    /** A port already in use by a sibling started with reusePort; a free one by default. */
    port?: number;
  },
): Promise<Child> {
  const port = options.port ?? freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, ...(options.args ?? []), `${ROOT}${script}`],
    cwd: ROOT,
    env: { ...options.env, [options.portVariable]: String(port), NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // stdout (the JSON log lines) and stderr each go to a file of their own, read as fast as written.
  const drain = async (stream: ReadableStream<Uint8Array>, path: string) => {
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    await stream.pipeTo(file.writable);
  };
  const logging = Promise.all([
    drain(child.stdout, options.logPath),
    drain(child.stderr, options.logPath.replace(/\.log$/, ".stderr.log")),
  ]).catch(() => {});
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${url}${options.readyPath ?? "/"}`);
      await response.body?.cancel();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        await child.status;
        throw new Error(`${script} did not start; see ${options.logPath}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  let stopped: Promise<void> | undefined;
  return {
    pid: child.pid,
    port,
    url,
    stop(signal: Deno.Signal = "SIGTERM") {
      stopped ??= (async () => {
        try {
          child.kill(signal);
        } catch { /* already gone */ }
        const timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch { /* gone */ }
        }, 10_000);
        await child.status;
        clearTimeout(timer);
        await logging;
      })();
      return stopped;
    },
  };
}

/** Runs a bench script to completion: `script config.json result.json`, and parses the result. */
export async function runToCompletion<T>(
  script: string,
  config: unknown,
  workDir: string,
  name: string,
): Promise<T> {
  const configPath = `${workDir}/${name}.config.json`;
  const resultPath = `${workDir}/${name}.result.json`;
  await Deno.writeTextFile(configPath, JSON.stringify(config));
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${ROOT}${script}`, configPath, resultPath],
    cwd: ROOT,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`${script} (${name}) failed with ${output.code}`);
  return JSON.parse(await Deno.readTextFile(resultPath)) as T;
}

/** A child that talks in lines: the orchestrator reads its stdout and answers on its stdin. */
export interface Conversation<T> {
  lines: AsyncIterableIterator<string>;
  say(line: string): Promise<void>;
  result(): Promise<T>;
}

export async function converse<T>(
  script: string,
  config: unknown,
  workDir: string,
  name: string,
): Promise<Conversation<T>> {
  const configPath = `${workDir}/${name}.config.json`;
  const resultPath = `${workDir}/${name}.result.json`;
  await Deno.writeTextFile(configPath, JSON.stringify(config));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${ROOT}${script}`, configPath, resultPath],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  async function* split(): AsyncIterableIterator<string> {
    let buffer = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        yield buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
      }
    }
  }
  return {
    lines: split(),
    say: (line) => writer.write(encoder.encode(`${line}\n`)),
    async result() {
      await writer.close().catch(() => {});
      const status = await child.status;
      if (!status.success) throw new Error(`${script} (${name}) failed with ${status.code}`);
      return JSON.parse(await Deno.readTextFile(resultPath)) as T;
    },
  };
}
