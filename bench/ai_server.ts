// The benchmark's AI service, run as its own process. It speaks the AI contract (docs/ai_service.md)
// and records how long it spent on each request, keyed by session and history length, so the load
// generator can subtract the AI's own time from each turn it measured.
//
// Without BENCH_AI_UPSTREAM it answers at once: the next unanswered question of the template sent
// with the request, or a document when all are answered. With BENCH_AI_UPSTREAM it forwards every
// request to that AI service (the reference interviewer) and records the whole forwarding time.
//
//   GET  /stats  {"times": {"<sessionId>:<historyLength>": ms, ...}, "requests": n}
//   POST /reset  forgets the recorded times

const port = Number(Deno.env.get("BENCH_AI_PORT") ?? "0");
const apiKey = Deno.env.get("BENCH_AI_KEY") ?? "bench-ai-key";
const upstream = Deno.env.get("BENCH_AI_UPSTREAM");
const upstreamKey = Deno.env.get("BENCH_AI_UPSTREAM_KEY") ?? apiKey;
const upstreamUrl = upstream
  ? new URL("v1/chat/next-question", upstream.endsWith("/") ? upstream : `${upstream}/`)
  : undefined;

interface Turn {
  role: string;
  content: string;
  questionId?: string;
}

let times = new Map<string, number>();
let requests = 0;

function answerAtOnce(body: {
  template: { name: string; questions: { id: string; text: string }[] };
  history: Turn[];
}): Response {
  const answered = new Map<string, string>();
  for (const turn of body.history) {
    if (turn.role === "user" && turn.questionId) answered.set(turn.questionId, turn.content);
  }
  const questions = body.template.questions;
  const next = questions.find((q) => !answered.has(q.id));
  if (next) {
    return Response.json({ status: "in_progress", nextQuestion: { id: next.id, text: next.text } });
  }
  const content = questions.map((q) => `${q.id}: ${answered.get(q.id)}`).join("\n");
  return Response.json({
    status: "complete",
    document: { title: body.template.name, content, format: "markdown" },
  });
}

async function forward(text: string): Promise<Response> {
  const response = await fetch(upstreamUrl!, {
    method: "POST",
    headers: { "authorization": `Bearer ${upstreamKey}`, "content-type": "application/json" },
    body: text,
  });
  const payload = await response.arrayBuffer();
  return new Response(payload, {
    status: response.status,
    headers: { "content-type": response.headers.get("content-type") ?? "application/json" },
  });
}

Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, async (request) => {
  const started = performance.now();
  const path = new URL(request.url).pathname;
  if (path === "/stats") {
    return Response.json({ times: Object.fromEntries(times), requests });
  }
  if (path === "/reset") {
    times = new Map();
    requests = 0;
    return Response.json({ ok: true });
  }
  if (request.headers.get("authorization") !== `Bearer ${apiKey}`) {
    return Response.json({ error: "unauthorized" }, { status: 401 });
  }
  const text = await request.text();
  const body = JSON.parse(text);
  const response = upstreamUrl ? await forward(text) : answerAtOnce(body);
  const key = `${body.sessionId}:${body.history.length}`;
  // A retried request for the same turn adds to that turn's AI time.
  times.set(key, (times.get(key) ?? 0) + performance.now() - started);
  requests++;
  return response;
});
