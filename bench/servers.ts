// The benchmark's servers, each a process of its own: the chat function, the AI service, the echo
// server and the reference interviewer. It remembers what it started, so a run that fails half
// way still stops every one of them.
import { chatEnv } from "../test_support/local_stack.ts";
import type { BenchOptions } from "./options.ts";
import { type Child, startServer } from "./processes.ts";

const AI_KEY = "bench-ai-key";
const INTERVIEWER_KEY = "bench-interviewer-key";

/** Where the servers are: the repository root (as a path ending in "/") and their logs' folder. */
export interface ServerPlace {
  root: string;
  workDir: string;
}

export class BenchServers {
  readonly #options: BenchOptions;
  readonly #place: ServerPlace;
  readonly #children: Child[] = [];

  constructor(options: BenchOptions, place: ServerPlace) {
    this.#options = options;
    this.#place = place;
  }

  async #start(
    script: string,
    name: string,
    env: Record<string, string>,
    portVariable: string,
    launch: { readyPath?: string; args?: string[]; port?: number } = {},
  ): Promise<Child> {
    const child = await startServer(script, {
      env,
      portVariable,
      readyPath: launch.readyPath,
      args: launch.args ?? [],
      port: launch.port,
      logPath: `${this.#place.workDir}/${name}.log`,
    });
    this.#children.push(child);
    return child;
  }

  async stop(child: Child): Promise<void> {
    await child.stop();
    this.#children.splice(this.#children.indexOf(child), 1);
  }

  /** Stops every server still running. */
  async stopAll(): Promise<void> {
    await Promise.all(this.#children.map((child) => child.stop()));
  }

  /** The bench's AI service; with `upstream`, a proxy that times another AI service. */
  startAi(upstream?: { url: string; key: string }): Promise<Child> {
    return this.#start(
      "bench/ai_server.ts",
      "ai",
      {
        ...baseEnv(),
        BENCH_AI_KEY: AI_KEY,
        ...(upstream
          ? { BENCH_AI_UPSTREAM: upstream.url, BENCH_AI_UPSTREAM_KEY: upstream.key }
          : {}),
      },
      "BENCH_AI_PORT",
      { readyPath: "/stats" },
    );
  }

  startChat(aiUrl: string, name: string, port?: number): Promise<Child> {
    const options = this.#options;
    return this.#start(
      "supabase/functions/chat/index.ts",
      name,
      chatEnv(aiUrl, {
        AI_SERVICE_API_KEY: AI_KEY,
        AI_TIMEOUT_MS: "10000",
        AI_MAX_RETRIES: "2",
        AI_FALLBACK_TO_BUILTIN: "false",
        SUPABASE_DB_URL: options.dbUrl,
        DB_POOL_MAX: String(options.poolMax),
        DB_PREPARE: String(options.prepare),
        WEBSOCKET_REUSE_PORT: String(options.chatProcesses > 1),
        NODE_ENV: "production",
      }),
      "WEBSOCKET_PORT",
      {
        readyPath: "/health",
        // The flags scripts/start.sh runs the chat function with, unless told otherwise.
        args: [
          ...options.chatFlags,
          // Deno.serve's reusePort is behind this flag in Deno 2.9.
          ...(options.chatProcesses > 1 ? ["--unstable-net"] : []),
        ],
        port,
      },
    );
  }

  /** The load phases' chat: BENCH_CHAT_PROCESSES processes on one port, as start.sh runs them. */
  async startChats(aiUrl: string, name: string): Promise<Child[]> {
    const first = await this.startChat(aiUrl, `${name}-1`);
    const port = Number(new URL(first.url).port);
    const rest = await Promise.all(
      Array.from(
        { length: this.#options.chatProcesses - 1 },
        (_, i) => this.startChat(aiUrl, `${name}-${i + 2}`, port),
      ),
    );
    return [first, ...rest];
  }

  startEcho(name: string): Promise<Child> {
    return this.#start("bench/echo_server.ts", name, baseEnv(), "BENCH_ECHO_PORT");
  }

  /** The reference interviewer as an AI service, or undefined where this tree has none. */
  async startInterviewer(): Promise<{ url: string; key: string } | undefined> {
    const entry = `${this.#place.root}supabase/functions/interviewer/index.ts`;
    try {
      await Deno.stat(entry);
    } catch {
      return undefined;
    }
    const interviewer = await this.#start(
      "supabase/functions/interviewer/index.ts",
      "interviewer",
      {
        ...chatEnv("http://127.0.0.1:9", {
          SUPABASE_DB_URL: this.#options.dbUrl,
          AI_SERVICE_API_KEY: INTERVIEWER_KEY,
          INTERVIEWER_API_KEY: INTERVIEWER_KEY,
          NODE_ENV: "production",
        }),
      },
      "WEBSOCKET_PORT",
      { readyPath: "/health" },
    );
    return { url: interviewer.url, key: INTERVIEWER_KEY };
  }
}

function baseEnv(): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
  };
}
