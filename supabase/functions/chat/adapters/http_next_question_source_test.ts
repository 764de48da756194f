import assert from "node:assert/strict";
import { createHttpNextQuestionSource, parseAiResponse } from "./http_next_question_source.ts";
import {
  AiRejectedError,
  AiUnavailableError,
  type NextQuestionRequest,
} from "../ports/next_question_source.ts";

const request: NextQuestionRequest = {
  sessionId: "s1",
  templateId: "t1",
  history: [{ role: "assistant", content: "Who?", questionId: "q1", at: "x" }],
  template: {
    id: "t1",
    slug: "t",
    name: "T",
    description: "",
    questions: [],
    body: "",
    version: 1,
    hash: "h",
  },
};

/** A real HTTP server answering with the given responses in turn (the last one repeats). */
function serve(responses: (() => Response | Promise<Response>)[]) {
  const seen: { authorization: string | null; body: unknown }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    seen.push({ authorization: req.headers.get("authorization"), body: await req.json() });
    return await responses[Math.min(seen.length - 1, responses.length - 1)]!();
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, seen, close: () => server.shutdown() };
}

function source(url: string, options: { maxRetries?: number; timeoutMs?: number } = {}) {
  return createHttpNextQuestionSource({
    baseUrl: url,
    apiKey: "k",
    timeoutMs: options.timeoutMs ?? 1_000,
    maxRetries: options.maxRetries ?? 2,
    backoffMs: 5,
  });
}

Deno.test("the HTTP AI client", async (t) => {
  await t.step("posts the contract's request with the bearer key", async () => {
    const ai = serve([
      () => Response.json({ status: "in_progress", nextQuestion: { id: "q2", text: "When?" } }),
    ]);
    try {
      const result = await source(ai.url).next(request);
      assert.deepEqual(result, {
        status: "in_progress",
        nextQuestion: { id: "q2", text: "When?" },
        source: "ai",
      });
      assert.equal(ai.seen[0]?.authorization, "Bearer k");
      assert.deepEqual(ai.seen[0]?.body, JSON.parse(JSON.stringify(request)));
    } finally {
      await ai.close();
    }
  });

  await t.step("retries 5xx and gives up after maxRetries", async () => {
    const ai = serve([() => new Response("no", { status: 503 })]);
    try {
      await assert.rejects(source(ai.url, { maxRetries: 2 }).next(request), AiUnavailableError);
      assert.equal(ai.seen.length, 3, "one attempt and two retries");
    } finally {
      await ai.close();
    }
  });

  await t.step("recovers when a retry succeeds", async () => {
    const ai = serve([
      () => new Response("no", { status: 500 }),
      () => new Response("{broken"),
      () => Response.json({ status: "complete", documentId: crypto.randomUUID() }),
    ]);
    try {
      const result = await source(ai.url, { maxRetries: 2 }).next(request);
      assert.equal(result.status, "complete");
      assert.equal(ai.seen.length, 3);
    } finally {
      await ai.close();
    }
  });

  await t.step("does not retry a 4xx", async () => {
    const ai = serve([() => new Response("bad", { status: 422 })]);
    try {
      const error = await source(ai.url).next(request).catch((e: unknown) => e);
      assert.ok(error instanceof AiRejectedError);
      assert.equal(error.status, 422);
      assert.equal(ai.seen.length, 1);
    } finally {
      await ai.close();
    }
  });

  await t.step("times out a hanging service", async () => {
    let release = () => {};
    const ai = serve([
      () => new Promise<Response>((resolve) => (release = () => resolve(new Response("late")))),
    ]);
    try {
      const error = await source(ai.url, { maxRetries: 0, timeoutMs: 100 }).next(request).catch((
        e: unknown,
      ) => e);
      assert.ok(error instanceof AiUnavailableError);
      assert.match(error.message, /timed out/);
    } finally {
      release();
      await ai.close();
    }
  });

  await t.step("refuses bodies over 1 MiB", async () => {
    const ai = serve([() => new Response("x".repeat(1_100_000))]);
    try {
      await assert.rejects(source(ai.url, { maxRetries: 0 }).next(request), /over the limit/);
    } finally {
      await ai.close();
    }
  });

  await t.step("reports an unreachable service as unavailable", async () => {
    await assert.rejects(
      source("http://127.0.0.1:9", { maxRetries: 1 }).next(request),
      AiUnavailableError,
    );
  });
});

Deno.test("parseAiResponse", async (t) => {
  await t.step("derives a missing question id from the questions asked so far", () => {
    assert.deepEqual(
      parseAiResponse({ status: "in_progress", nextQuestion: { text: "When?" } }, request.history),
      {
        status: "in_progress",
        nextQuestion: { id: "q2", text: "When?" },
      },
    );
  });
  await t.step("defaults a document's format to markdown", () => {
    assert.deepEqual(
      parseAiResponse({ status: "complete", document: { title: "T", content: "C" } }, []),
      {
        status: "complete",
        document: { title: "T", content: "C", format: "markdown" },
      },
    );
  });
  await t.step("refuses a document in a format other than markdown (the database's only)", () => {
    for (const format of ["html", "text"]) {
      const body = { status: "complete", document: { title: "T", content: "C", format } };
      assert.throws(() => parseAiResponse(body, []), AiUnavailableError, format);
    }
  });
  await t.step("refuses malformed shapes", () => {
    for (
      const body of [null, {}, { status: "done" }, { status: "in_progress" }, {
        status: "in_progress",
        nextQuestion: { text: "" },
      }, { status: "complete", documentId: "not-a-uuid" }]
    ) {
      assert.throws(() => parseAiResponse(body, []), AiUnavailableError, JSON.stringify(body));
    }
  });
});
