// CPU per call of the parts of a turn the profile named (BENCHMARKS.md, "Chat CPU per turn"), each
// in a loop in this process, so a part's cost is read without the rest of the turn around it:
//
//   deno run -A bench/turn_parts_bench.ts [iterations]
//
// The AI call's two transports are timed against an echo server in a process of its own (the
// server's CPU is not counted), 20 calls in flight, as a busy chat has them.
import process from "node:process";
import { createLogger } from "../supabase/functions/_shared/platform/logger.ts";
import { jsonb, uuid } from "../supabase/functions/_shared/platform/sql_argument.ts";
import type { Turn } from "../supabase/functions/_shared/wire/protocol.ts";
import { aiRequestBody } from "../supabase/functions/chat/adapters/ai_request_body.ts";
import {
  createHttpNextQuestionSource,
  parseAiResponse,
} from "../supabase/functions/chat/adapters/http_next_question_source.ts";
import { parseClientFrame } from "../supabase/functions/chat/codec/client_frame.ts";
import { answerFits, jsonbTextBytes } from "../supabase/functions/chat/interview/session_limits.ts";
import { midInterviewRequest } from "./http_round_trips.ts";

const iterations = Number(Deno.args[0] ?? "20000");

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** CPU µs per call of `work`, after a warm-up of a tenth as many calls. */
function perCall(work: () => unknown, n = iterations): number {
  for (let i = 0; i < n / 10; i++) work();
  const started = cpuMicros();
  for (let i = 0; i < n; i++) work();
  return (cpuMicros() - started) / n;
}

async function perCallAsync(work: () => Promise<unknown>, n: number, inFlight = 20) {
  for (let i = 0; i < n / 10; i++) await work();
  const started = cpuMicros();
  let left = n;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (left-- > 0) await work();
  }));
  return (cpuMicros() - started) / n;
}

const rows: [string, number][] = [];
const measure = (name: string, micros: number) => {
  rows.push([name, micros]);
  console.log(`${micros.toFixed(2).padStart(8)} µs  ${name}`);
};

// A turn at the end of a 10-question interview: 20 turns of history, the answer to store.
const request = midInterviewRequest(20);
const history = request.history as Turn[];
const answer: Turn = { role: "user", content: "Acme Ltd", questionId: "q11", at: history[0]!.at };

measure(
  "history byte cap, the whole history measured each answer (before)",
  perCall(() => jsonbTextBytes([...history, answer])),
);
measure(
  "history byte cap, turns measured once (after)",
  perCall(() => answerFits(history, answer)),
);
measure("AI request body, JSON.stringify (before)", perCall(() => JSON.stringify(request)));
measure("AI request body, turns and template once (after)", perCall(() => aiRequestBody(request)));
const turnsJson = JSON.stringify([answer]);
measure(
  "SQL arguments of an append, literals built too (before)",
  perCall(() => [uuid(request.sessionId), jsonb(turnsJson)].map((arg) => arg.literal)),
);
measure(
  "SQL arguments of an append, values only (after)",
  perCall(() => [uuid(request.sessionId), jsonb(turnsJson)].map((arg) => arg.value)),
);
const claims = { sub: crypto.randomUUID(), role: "authenticated", aud: "authenticated", exp: 1 };
measure("claims JSON per call (before)", perCall(() => JSON.stringify(claims)));
const frame = JSON.stringify({
  type: "user_message",
  content: "Acme Ltd",
  questionId: "q11",
  clientMessageId: crypto.randomUUID(),
});
measure(
  "answer frame: JSON.parse, zod, the character check",
  perCall(() => parseClientFrame(frame)),
);
const aiAnswer = { status: "in_progress", nextQuestion: { id: "q12", text: "Question 12?" } };
measure("AI response: zod", perCall(() => parseAiResponse(aiAnswer, history)));
let sink = 0;
const logger = createLogger({ write: (line) => (sink += line.length), base: { service: "chat" } });
measure(
  "a log line built (JSON.stringify, ISO time), not written",
  perCall(() => logger.info("session_created", { sessionId: request.sessionId })),
);
measure("a timer set and cleared", perCall(() => clearTimeout(setTimeout(() => {}, 10_000))));

const port = 20_000 + Math.floor(Math.random() * 20_000);
const server = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", new URL("./echo_server.ts", import.meta.url).pathname],
  env: { BENCH_ECHO_PORT: String(port) },
  stdout: "null",
  stderr: "null",
}).spawn();
for (let i = 0; i < 100; i++) {
  try {
    await (await fetch(`http://127.0.0.1:${port}/`)).body?.cancel();
    break;
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const baseUrl = `http://127.0.0.1:${port}`;
const calls = Math.max(2000, Math.floor(iterations / 4));
const viaFetch = createHttpNextQuestionSource({
  baseUrl,
  apiKey: "k",
  timeoutMs: 10_000,
  maxRetries: 0,
  fetch: (input, init) => fetch(input, init),
});
measure("AI call through fetch (before)", await perCallAsync(() => viaFetch.next(request), calls));
const keepAlive = createHttpNextQuestionSource({
  baseUrl,
  apiKey: "k",
  timeoutMs: 10_000,
  maxRetries: 0,
});
measure(
  "AI call through the keep-alive client (after)",
  await perCallAsync(() => keepAlive.next(request), calls),
);
keepAlive.close();
server.kill();
await server.status;
if (sink < 0) console.log(sink);
