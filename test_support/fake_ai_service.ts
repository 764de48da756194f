// A real HTTP server that speaks the AI contract (docs/ai_service.md) and can be told to fail:
// the test double for the one part that is external by nature.

import type { Prng } from "./prng.ts";

export type FakeAiMode =
  | "ok"
  | "fail_500"
  | "hang"
  | "malformed"
  | "reject_400"
  | "oversized"
  /** JSON of the wrong shape: an in_progress answer without a question text. */
  | "wrong_shape"
  /** A body over the 1 MiB limit, streamed without a content-length. */
  | "oversized_chunked"
  /** A 200 whose body starts, then stalls until the caller gives up. */
  | "stalled_body";

/** Random failures: each call fails with probability `rate`, in one of `modes`. */
export interface RandomFailures {
  rate: number;
  prng: Prng;
  modes?: FakeAiMode[];
}

interface Turn {
  role: string;
  content: string;
  questionId?: string;
}

export interface FakeAiService {
  url: string;
  /** What each request carried: the session, its history, and the template (with its version). */
  requests: { sessionId: string; history: Turn[]; template?: Record<string, unknown> }[];
  /** Answers the next `times` calls with `mode`, then goes back to "ok". */
  failNext(mode: FakeAiMode, times?: number): void;
  /** Every call answers with `mode` until changed. */
  setMode(mode: FakeAiMode): void;
  /** Makes a random share of calls fail (null turns it off). */
  failRandomly(failures: RandomFailures | null): void;
  /** Delays every answer, failures too, by `ms` (or what the function returns per call). */
  setDelay(ms: number | (() => number)): void;
  /** Counts of calls: all of them, and those answered with a failure mode. */
  stats: { calls: number; failed: number; delayed: number };
  /** Whether to keep every request in `requests` (off for long runs). */
  keepRequests: boolean;
  /** Completion returns a documentId chosen by the test instead of a document. */
  completeWithDocumentId(id: string | null): void;
  /** Completion returns this document instead of the list of answers (null: back to the list). */
  completeWithDocument(document: { title: string; content: string } | null): void;
  close(): Promise<void>;
}

/**
 * Walks the request's template questions in order: the next question is the first one without
 * a user answer; when all are answered, it completes with a document listing every answer.
 */
export function startFakeAiService(apiKey = "test-ai-key"): FakeAiService {
  let mode: FakeAiMode = "ok";
  const failures: FakeAiMode[] = [];
  let documentId: string | null = null;
  let document: { title: string; content: string } | null = null;
  const requests: FakeAiService["requests"] = [];
  const hanging = new Set<(value: Response) => void>();
  let random: RandomFailures | null = null;
  let delay: number | (() => number) = 0;
  const stats = { calls: 0, failed: 0, delayed: 0 };
  const service = { keepRequests: true };

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    if (req.headers.get("authorization") !== `Bearer ${apiKey}`) {
      return Response.json({ error: "unauthorized" }, { status: 401 });
    }
    const body = await req.json();
    if (service.keepRequests) {
      requests.push({ sessionId: body.sessionId, history: body.history, template: body.template });
    }
    stats.calls++;
    let current = failures.shift() ?? mode;
    if (current === "ok" && random && random.prng.chance(random.rate)) {
      current = random.prng.pick(random.modes ?? ["fail_500"]);
    }
    if (current !== "ok") stats.failed++;
    const wait = typeof delay === "function" ? delay() : delay;
    if (wait > 0) {
      stats.delayed++;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    switch (current) {
      case "fail_500":
        return Response.json({ error: "boom" }, { status: 500 });
      case "reject_400":
        return Response.json({ error: "bad request" }, { status: 400 });
      case "malformed":
        return new Response("{not json", { headers: { "content-type": "application/json" } });
      case "oversized":
        return new Response("x".repeat(2_000_000));
      case "hang":
        return await new Promise<Response>((resolve) => hanging.add(resolve));
      case "wrong_shape":
        return Response.json({ status: "in_progress", nextQuestion: { id: "q1", text: "" } });
      case "oversized_chunked":
        return new Response(chunks(64, 32_768));
      case "stalled_body":
        return new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"status":"in_progress","next'));
            },
          }),
          { headers: { "content-type": "application/json" } },
        );
    }
    const questions = body.template.questions as { id: string; text: string }[];
    const answered = new Map<string, string>();
    for (const turn of body.history as Turn[]) {
      if (turn.role === "user" && turn.questionId) answered.set(turn.questionId, turn.content);
    }
    const next = questions.find((q) => !answered.has(q.id));
    // The original contract: id and text only, whatever else the template says.
    if (next) {
      return Response.json({
        status: "in_progress",
        nextQuestion: { id: next.id, text: next.text },
      });
    }
    if (documentId) return Response.json({ status: "complete", documentId });
    if (document) {
      return Response.json({ status: "complete", document: { ...document, format: "markdown" } });
    }
    const content = questions.map((q) => `${q.id}: ${answered.get(q.id)}`).join("\n");
    return Response.json({
      status: "complete",
      document: { title: body.template.name, content, format: "markdown" },
    });
  });

  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    stats,
    get keepRequests() {
      return service.keepRequests;
    },
    set keepRequests(value: boolean) {
      service.keepRequests = value;
    },
    failRandomly(next) {
      random = next;
    },
    setDelay(ms) {
      delay = ms;
    },
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    setMode(next) {
      mode = next;
    },
    completeWithDocumentId(id) {
      documentId = id;
    },
    completeWithDocument(next) {
      document = next;
    },
    async close() {
      for (const resolve of hanging) resolve(new Response("", { status: 503 }));
      await server.shutdown();
    },
  };
}

/** A stream of `count` chunks of `size` bytes, with no content-length. */
function chunks(count: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ >= count) return controller.close();
      controller.enqueue(new Uint8Array(size).fill(0x78));
    },
  });
}
