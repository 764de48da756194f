// A real HTTP server that speaks the AI contract (DESIGN section 5) and can be told to fail:
// the test double for the one part that is external by nature.

export type FakeAiMode = "ok" | "fail_500" | "hang" | "malformed" | "reject_400" | "oversized";

interface Turn {
  role: string;
  content: string;
  questionId?: string;
}

export interface FakeAiService {
  url: string;
  requests: { sessionId: string; history: Turn[] }[];
  /** Answers the next `times` calls with `mode`, then goes back to "ok". */
  failNext(mode: FakeAiMode, times?: number): void;
  /** Every call answers with `mode` until changed. */
  setMode(mode: FakeAiMode): void;
  /** Completion returns a documentId chosen by the test instead of a document. */
  completeWithDocumentId(id: string | null): void;
  /** Every answer waits this long first (0: none). */
  setDelay(ms: number): void;
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
  let delayMs = 0;
  const requests: FakeAiService["requests"] = [];
  const hanging = new Set<(value: Response) => void>();

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    if (req.headers.get("authorization") !== `Bearer ${apiKey}`) {
      return Response.json({ error: "unauthorized" }, { status: 401 });
    }
    const body = await req.json();
    requests.push({ sessionId: body.sessionId, history: body.history });
    const current = failures.shift() ?? mode;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
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
    }
    const questions = body.template.questions as { id: string; text: string }[];
    const answered = new Map<string, string>();
    for (const turn of body.history as Turn[]) {
      if (turn.role === "user" && turn.questionId) answered.set(turn.questionId, turn.content);
    }
    const next = questions.find((q) => !answered.has(q.id));
    if (next) return Response.json({ status: "in_progress", nextQuestion: next });
    if (documentId) return Response.json({ status: "complete", documentId });
    const content = questions.map((q) => `${q.id}: ${answered.get(q.id)}`).join("\n");
    return Response.json({
      status: "complete",
      document: { title: body.template.name, content, format: "markdown" },
    });
  });

  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    setMode(next) {
      mode = next;
    },
    completeWithDocumentId(id) {
      documentId = id;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    async close() {
      for (const resolve of hanging) resolve(new Response("", { status: 503 }));
      await server.shutdown();
    },
  };
}
