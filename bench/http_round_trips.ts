// The floor for the AI call's own HTTP round trip: every turn makes one, so the per-turn floor
// holds one. Loops of the chat's own AI client (createHttpNextQuestionSource, keep-alive fetch,
// the same request shape and size as a turn halfway through an interview) against the echo server
// (bench/echo_server.ts), which answers a POST at once with a next question; each loop waits the
// latency phases' think time between calls, as the chat's sessions do.
import { createHttpNextQuestionSource } from "../supabase/functions/chat/adapters/http_next_question_source.ts";
import type { NextQuestionRequest } from "../supabase/functions/chat/ports/next_question_source.ts";
import { readCpuTime } from "./stats.ts";

export interface HttpConfig {
  mode: "http";
  echoUrl: string;
  concurrency: number;
  /** Mean wait before each call (uniform in 0.5x to 1.5x); 0: flat out. */
  thinkMs: number;
  warmupMs: number;
  durationMs: number;
  /** Questions of the interview the requests are shaped after; history is half of them. */
  questions: number;
}

export interface HttpResult {
  rtts: number[];
  windowMs: number;
  failures: number;
  /** Calls completed, warm-up included, and this process's CPU for them: the client's side of
   * the AI call, which is the chat's side of it. */
  total: number;
  cpuMs: number;
}

/** A request as the chat sends it halfway through an interview of `questions` short questions. */
export function midInterviewRequest(questions: number): NextQuestionRequest {
  const ids = Array.from({ length: questions }, (_, i) => `q${i + 1}`);
  const at = new Date().toISOString();
  const history = ids.slice(0, Math.ceil(questions / 2)).flatMap((id, i) => [
    { role: "assistant" as const, content: `Question ${i + 1}?`, questionId: id, at },
    { role: "user" as const, content: `Answer ${i + 1}`, questionId: id, at },
  ]);
  return {
    sessionId: crypto.randomUUID(),
    templateId: crypto.randomUUID(),
    history,
    template: {
      id: crypto.randomUUID(),
      slug: "bench-http-floor",
      name: "Bench",
      description: "Bench",
      questions: ids.map((id, i) => ({ id, text: `Question ${i + 1}?`, type: "short_text" })),
      body: ids.map((id) => `{{${id}}}`).join("\n"),
    } as NextQuestionRequest["template"],
  };
}

export async function runHttp(config: HttpConfig): Promise<HttpResult> {
  const result: HttpResult = {
    rtts: [],
    windowMs: config.durationMs,
    failures: 0,
    total: 0,
    cpuMs: 0,
  };
  const cpuBefore = await readCpuTime("self");
  const source = createHttpNextQuestionSource({
    baseUrl: config.echoUrl,
    apiKey: "bench-http-floor",
    timeoutMs: 10_000,
    maxRetries: 0,
  });
  const request = midInterviewRequest(config.questions);
  const start = performance.now();
  const measureFrom = start + config.warmupMs;
  const stopAt = measureFrom + config.durationMs;
  const think = () =>
    config.thinkMs > 0
      ? new Promise((resolve) => setTimeout(resolve, config.thinkMs * (0.5 + Math.random())))
      : Promise.resolve();
  await Promise.all(Array.from({ length: config.concurrency }, async () => {
    for (;;) {
      await think();
      const sentAt = performance.now();
      if (sentAt >= stopAt) return;
      try {
        await source.next(request);
      } catch {
        result.failures++;
        continue;
      }
      const now = performance.now();
      result.total += 1;
      if (sentAt >= measureFrom && now < stopAt) result.rtts.push(now - sentAt);
    }
  }));
  result.cpuMs = (await readCpuTime("self")).ownMs - cpuBefore.ownMs;
  return result;
}
