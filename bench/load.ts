// The load generator, run as its own process by bench/main.ts: simulated users doing whole
// interviews against the chat function, idle sessions held open, the WebSocket echo floor, or the
// AI call's HTTP round trip floor (bench/http_round_trips.ts).
//
//   deno run -A bench/load.ts <config.json> <result.json>
//
// The config names the mode; the result is written as JSON. In "idle" mode it reports each step
// on stdout ({"step": n, "open": n}) and waits for a line on stdin before the next step, so the
// orchestrator can read the chat process's memory at each level.

/** The protocol the simulated clients speak; v2 ends each interview with review and confirm. */
export type BenchProtocol = "v1" | "v2";

export interface InterviewConfig {
  mode: "interviews";
  chatUrl: string;
  templateId: string;
  tokens: string[];
  /** Default "v1". */
  protocol?: BenchProtocol;
  /** Mean think time before each answer (uniform in 0.5x to 1.5x); 0: answer at once. */
  thinkMs: number;
  warmupMs: number;
  durationMs: number;
}

export interface IdleConfig {
  mode: "idle";
  /** The chat function, or the echo server (which greets chat-shaped connects) for the floor. */
  chatUrl: string;
  templateId: string;
  tokens: string[];
  /** Default "v1". */
  protocol?: BenchProtocol;
  steps: number[];
  /** Connections being opened at once. */
  openConcurrency: number;
}

export interface EchoConfig {
  mode: "echo";
  echoUrl: string;
  concurrency: number;
  /** Mean wait before each send (uniform in 0.5x to 1.5x); 0: ping-pong flat out. */
  thinkMs: number;
  warmupMs: number;
  durationMs: number;
}

export type LoadConfig = InterviewConfig | IdleConfig | EchoConfig | HttpConfig;

/** One measured exchange: the AI key is "<sessionId>:<history length sent to the AI>". */
export interface Sample {
  key: string;
  ms: number;
}

export interface InterviewResult {
  /** Answer to next question (v2: to the review too), the exchanges that ask the AI. */
  turns: Sample[];
  /** v2: confirm to session_complete, in window (no AI call: its own summary). */
  confirms: number[];
  /** Every turn completed, warm-up included, and this process's CPU time over the same run. */
  totalTurns: number;
  cpuMs: number;
  connects: Sample[];
  windowMs: number;
  completedInterviews: number;
  errors: Record<string, number>;
}

export interface IdleResult {
  open: number;
  failed: number;
  errors: Record<string, number>;
  openMs: number;
}

export interface EchoResult {
  rtts: number[];
  windowMs: number;
  /** Round trips completed, warm-up included: what the echo server's CPU is divided by. */
  total: number;
}

import { type HttpConfig, runHttp } from "./http_round_trips.ts";
import { readCpuTime } from "./stats.ts";

const INTERVIEW_TIMEOUT_MS = 30_000;

function chatSocket(
  chatUrl: string,
  templateId: string,
  token: string,
  protocol: BenchProtocol = "v1",
): WebSocket {
  const url = new URL("/chat", chatUrl.replace(/^http/, "ws"));
  url.searchParams.set("templateId", templateId);
  return new WebSocket(url, [protocol === "v2" ? "chat.v2" : "chat.v1", `jwt-${token}`]);
}

function countError(errors: Record<string, number>, code: string) {
  errors[code] = (errors[code] ?? 0) + 1;
}

/** Runs one interview to completion (or failure); measures connect and every turn in window. */
function interview(
  config: InterviewConfig,
  token: string,
  measureFrom: number,
  stopAt: number,
  result: InterviewResult,
): Promise<void> {
  return new Promise((resolve) => {
    const openedAt = performance.now();
    const socket = chatSocket(config.chatUrl, config.templateId, token, config.protocol);
    let sessionId = "";
    let confirmedAt = 0;
    let historyLength = 0;
    let sentAt = 0;
    let first = true;
    let resumedLastRole: string | undefined;
    let answers = 0;
    const timer = setTimeout(() => {
      countError(result.errors, "timeout");
      socket.close();
    }, INTERVIEW_TIMEOUT_MS);
    const inWindow = () => {
      const now = performance.now();
      return now >= measureFrom && now < stopAt;
    };
    const record = (into: Sample[], ms: number, key: string) => {
      if (inWindow()) into.push({ key, ms });
    };

    socket.onmessage = (event) => {
      const now = performance.now();
      const message = JSON.parse(event.data);
      switch (message.type) {
        case "session_resumed":
          // Only after an earlier failure: carry on from the stored history, unmeasured.
          historyLength = message.history.length;
          resumedLastRole = message.history.at(-1)?.role;
          first = false;
          return;
        case "next_question": {
          sessionId = message.sessionId;
          if (first) {
            record(result.connects, now - openedAt, `${sessionId}:0`);
            first = false;
            historyLength = 1;
          } else if (resumedLastRole !== undefined) {
            if (resumedLastRole === "user") historyLength += 1;
            resumedLastRole = undefined;
          } else {
            result.totalTurns += 1;
            record(result.turns, now - sentAt, `${sessionId}:${historyLength}`);
            historyLength += 1;
          }
          const answer = () => {
            if (performance.now() >= stopAt) return socket.close(1000);
            if (socket.readyState !== WebSocket.OPEN) return;
            answers += 1;
            historyLength += 1;
            sentAt = performance.now();
            socket.send(JSON.stringify({
              type: "user_message",
              content: `Answer ${answers}`,
              questionId: message.question.id,
              clientMessageId: `a${answers}`,
            }));
          };
          if (config.thinkMs > 0) setTimeout(answer, config.thinkMs * (0.5 + Math.random()));
          else answer();
          return;
        }
        case "review":
          // v2: the last answer opens the review (the AI was asked); confirm stores the preview.
          result.totalTurns += 1;
          record(result.turns, now - sentAt, `${sessionId}:${historyLength}`);
          if (performance.now() >= stopAt) return socket.close(1000);
          confirmedAt = performance.now();
          socket.send(JSON.stringify({ type: "confirm", clientMessageId: `c${answers}` }));
          return;
        case "session_complete":
          result.totalTurns += 1;
          if (confirmedAt > 0) {
            if (inWindow()) result.confirms.push(now - confirmedAt);
          } else {
            record(result.turns, now - sentAt, `${sessionId}:${historyLength}`);
          }
          if (inWindow()) result.completedInterviews += 1;
          return;
        case "error":
          countError(result.errors, message.code ?? "error");
          socket.close();
          return;
      }
    };
    socket.onerror = () => {};
    socket.onclose = (event) => {
      clearTimeout(timer);
      if (event.code !== 1000 && event.code !== 1005) {
        countError(result.errors, `close_${event.code}`);
      }
      resolve();
    };
  });
}

async function runInterviews(config: InterviewConfig): Promise<InterviewResult> {
  const cpuBefore = await readCpuTime("self");
  const result: InterviewResult = {
    turns: [],
    confirms: [],
    totalTurns: 0,
    cpuMs: 0,
    connects: [],
    windowMs: config.durationMs,
    completedInterviews: 0,
    errors: {},
  };
  const start = performance.now();
  const measureFrom = start + config.warmupMs;
  const stopAt = measureFrom + config.durationMs;
  await Promise.all(config.tokens.map(async (token) => {
    while (performance.now() < stopAt) {
      await interview(config, token, measureFrom, stopAt, result);
    }
  }));
  // Only turns that finished inside the window count, and only those were recorded.
  result.cpuMs = (await readCpuTime("self")).ownMs - cpuBefore.ownMs;
  return result;
}

async function runIdle(config: IdleConfig): Promise<IdleResult> {
  const result: IdleResult = { open: 0, failed: 0, errors: {}, openMs: 0 };
  const sockets: WebSocket[] = [];
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
  const waitForGo = async () => {
    const { done } = await lines.read();
    if (done) throw new Error("The orchestrator went away");
  };
  const openOne = (token: string) =>
    new Promise<void>((resolve) => {
      const socket = chatSocket(config.chatUrl, config.templateId, token, config.protocol);
      let ready = false;
      const timer = setTimeout(() => socket.close(), INTERVIEW_TIMEOUT_MS);
      socket.onmessage = (event) => {
        if (ready) return;
        const message = JSON.parse(event.data);
        if (message.type === "next_question") {
          clearTimeout(timer);
          ready = true;
          result.open += 1;
          sockets.push(socket);
          resolve();
        }
      };
      socket.onerror = () => {};
      socket.onclose = (event) => {
        clearTimeout(timer);
        if (ready) {
          result.open -= 1;
          countError(result.errors, `dropped_${event.code}`);
          return;
        }
        result.failed += 1;
        countError(result.errors, `close_${event.code}`);
        resolve();
      };
    });

  const started = performance.now();
  let next = 0;
  for (const step of config.steps) {
    const target = Math.min(step, config.tokens.length);
    const workers = Array.from({ length: config.openConcurrency }, async () => {
      while (next < target) await openOne(config.tokens[next++]!);
    });
    await Promise.all(workers);
    console.log(JSON.stringify({ step, open: result.open, failed: result.failed }));
    await waitForGo();
  }
  result.openMs = performance.now() - started;
  const open = result.open;
  for (const socket of sockets) socket.close(1000);
  result.open = open;
  return result;
}

async function runEcho(config: EchoConfig): Promise<EchoResult> {
  const result: EchoResult = { rtts: [], windowMs: config.durationMs, total: 0 };
  const payload = JSON.stringify({
    type: "user_message",
    content: "Answer 1",
    questionId: "q1",
    clientMessageId: "a1",
  });
  const start = performance.now();
  const measureFrom = start + config.warmupMs;
  const stopAt = measureFrom + config.durationMs;
  await Promise.all(
    Array.from({ length: config.concurrency }, () =>
      new Promise<void>((resolve) => {
        const socket = new WebSocket(config.echoUrl);
        let sentAt = 0;
        const send = () => {
          sentAt = performance.now();
          socket.send(payload);
        };
        socket.onopen = send;
        socket.onmessage = () => {
          const now = performance.now();
          result.total += 1;
          if (now >= measureFrom && now < stopAt) result.rtts.push(now - sentAt);
          if (now >= stopAt) return socket.close(1000);
          if (config.thinkMs > 0) setTimeout(send, config.thinkMs * (0.5 + Math.random()));
          else send();
        };
        socket.onerror = () => {};
        socket.onclose = () => resolve();
      })),
  );
  return result;
}

if (import.meta.main) {
  const [configPath, resultPath] = Deno.args;
  if (!configPath || !resultPath) {
    console.error("Usage: load.ts <config.json> <result.json>");
    Deno.exit(2);
  }
  const config: LoadConfig = JSON.parse(await Deno.readTextFile(configPath));
  const result = config.mode === "interviews"
    ? await runInterviews(config)
    : config.mode === "idle"
    ? await runIdle(config)
    : config.mode === "http"
    ? await runHttp(config)
    : await runEcho(config);
  await Deno.writeTextFile(resultPath, JSON.stringify(result));
  Deno.exit(0);
}
