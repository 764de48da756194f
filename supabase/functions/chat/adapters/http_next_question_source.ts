/** The NextQuestionSource port over HTTP: the AI service contract (docs/protocol.md). */
import { z } from "zod";
import {
  LIMITS,
  progressSchema,
  QUESTION_TYPES,
  type Turn,
  understoodSchema,
} from "../../_shared/wire/protocol.ts";
import {
  AiRejectedError,
  AiUnavailableError,
  type NextQuestionRequest,
  type NextQuestionResult,
  type NextQuestionSource,
} from "../ports/next_question_source.ts";
import { aiRequestBody } from "./ai_request_body.ts";
import {
  BodyTooLargeError,
  KeepAliveClient,
  keepAliveEligible,
  type PlainResponse,
} from "./keep_alive_http.ts";

const MAX_RESPONSE_BYTES = 1_048_576;

// The original contract's nextQuestion may omit the id; a missing one is derived from history.
// The v2 details are passed through validated; one that does not fit is dropped, not fatal, so a
// service's odd hint never stalls an interview.
const detail = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
/** The service's echo of the latest answer as stored, bounded like an answer. */
const understood = understoodSchema.extend({
  questionId: z.string().min(1).max(LIMITS.maxIdChars),
  answer: z.string().min(1).max(LIMITS.maxAnswerChars),
});
const aiResponse = z.union([
  z.object({
    status: z.literal("in_progress"),
    nextQuestion: z.object({
      id: z.string().min(1).max(LIMITS.maxIdChars).optional(),
      text: z.string().trim().min(1).max(LIMITS.maxQuestionChars),
      type: detail(z.enum(QUESTION_TYPES)),
      required: detail(z.boolean()),
      options: detail(z.array(z.string().trim().min(1).max(500)).min(1).max(100)),
      hint: detail(z.string().trim().min(1).max(1_000)),
      min: detail(z.number().finite()),
      max: detail(z.number().finite()),
      currency: detail(z.string().regex(/^[A-Z]{3}$/)),
      problem: detail(z.string().trim().min(1).max(1_000)),
    }),
    progress: detail(progressSchema),
    understood: detail(understood),
  }),
  z.object({
    status: z.literal("complete"),
    document: z.object({
      // No maximum here: the body's 1 MiB bounds them, and the interview refuses a document over
      // LIMITS.maxDocumentChars with document_too_large, which a malformed body would not say.
      title: z.string().trim().min(1),
      content: z.string().min(1),
      // The database stores markdown documents only (chat_internal.complete_session).
      format: z.literal("markdown").default("markdown"),
    }),
    understood: detail(understood),
  }),
  z.object({ status: z.literal("complete"), documentId: z.uuid() }),
]);

/** Validates an AI service's response body; throws AiUnavailableError when it is malformed. */
export function parseAiResponse(body: unknown, history: readonly Turn[]): NextQuestionResult {
  const parsed = aiResponse.safeParse(body);
  if (!parsed.success) {
    throw new AiUnavailableError(
      `AI service answered with a malformed body: ${parsed.error.issues[0]?.message}`,
    );
  }
  const result = parsed.data;
  if (result.status === "in_progress") {
    const { id, ...rest } = withoutUndefined(result.nextQuestion);
    return {
      status: "in_progress",
      // The original contract's question may have no id: derive one from the history, counted
      // only then (otherwise the whole history would be read on every turn for nothing).
      nextQuestion: {
        id: id ?? `q${history.filter((turn) => turn.role === "assistant").length + 1}`,
        ...rest,
      },
      ...(result.progress ? { progress: result.progress } : {}),
      ...(result.understood ? { understood: result.understood } : {}),
    };
  }
  return result as NextQuestionResult;
}

export interface HttpSourceOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
  /** Base of the exponential backoff between attempts, in milliseconds. */
  backoffMs?: number;
  /**
   * The transport, for tests that fake one. Unset: the keep-alive client (keep_alive_http.ts)
   * where the URL allows it, `fetch` otherwise and for redirects.
   */
  fetch?: typeof fetch;
  onAttempt?: (attempt: { status?: number; latencyMs: number; error?: string }) => void;
}

/** The AI source, and `close` for what holds connections open (tests, a drain). */
export interface HttpNextQuestionSource extends NextQuestionSource {
  /** Closes the keep-alive connections; a later call opens new ones. */
  close(): void;
}

/**
 * The AI service over HTTP: a timeout per attempt, bounded retries with jittered exponential
 * backoff on 5xx, network errors, timeouts and malformed bodies, none on 4xx.
 */
export function createHttpNextQuestionSource(options: HttpSourceOptions): HttpNextQuestionSource {
  const url = new URL(
    "v1/chat/next-question",
    options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`,
  );
  const headers = {
    "Authorization": `Bearer ${options.apiKey}`,
    "Content-Type": "application/json",
  };
  const doFetch = options.fetch ?? fetch;
  const backoffMs = options.backoffMs ?? 200;
  // The keep-alive client unless a test brought its own fetch, or the URL needs what only fetch
  // does (a proxy, credentials in the URL).
  const keepAlive = !options.fetch && keepAliveEligible(url, readEnv)
    ? new KeepAliveClient(url, headers, { maxResponseBytes: MAX_RESPONSE_BYTES })
    : undefined;

  /** The request through fetch, read whole within the size limit. */
  async function viaFetch(body: string): Promise<PlainResponse> {
    // Not AbortSignal.timeout: its timer outlives the request and, when it fires seconds after a
    // successful answer, builds a DOMException with a stack trace; one per turn adds up.
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException("AI service timed out", "TimeoutError")),
      options.timeoutMs,
    );
    try {
      const response = await doFetch(url, {
        method: "POST",
        headers,
        body,
        signal: deadline.signal,
      });
      const text = await readLimited(response);
      return { status: response.status, headers: new Map(), text };
    } finally {
      clearTimeout(timer);
    }
  }

  async function send(body: string): Promise<PlainResponse> {
    if (!keepAlive) return await viaFetch(body);
    const response = await keepAlive.post(body, performance.now() + options.timeoutMs);
    // A redirect is fetch's to follow, as it always was.
    return response.redirected ? await viaFetch(body) : response;
  }

  async function attempt(request: NextQuestionRequest): Promise<NextQuestionResult> {
    const started = performance.now();
    let status: number | undefined;
    try {
      const response = await send(aiRequestBody(request));
      status = response.status;
      const text = response.text;
      if (status >= 500) throw new AiUnavailableError(`AI service answered ${status}`, status);
      if (status >= 400) {
        throw new AiRejectedError(`AI service refused the request with ${status}`, status);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new AiUnavailableError("AI service answered with invalid JSON", status);
      }
      const result = parseAiResponse(body, request.history);
      options.onAttempt?.({ status, latencyMs: performance.now() - started });
      return result;
    } catch (error: unknown) {
      const failure = error instanceof AiRejectedError || error instanceof AiUnavailableError
        ? error
        : error instanceof BodyTooLargeError
        ? new AiUnavailableError(error.message)
        : new AiUnavailableError(`AI service unreachable: ${networkReason(error)}`);
      options.onAttempt?.({
        status,
        latencyMs: performance.now() - started,
        error: failure.message,
      });
      throw failure;
    }
  }

  return {
    async next(request) {
      for (let retry = 0;; retry++) {
        try {
          return { ...(await attempt(request)), source: "ai" };
        } catch (error: unknown) {
          if (error instanceof AiRejectedError || retry >= options.maxRetries) throw error;
          // Full jitter: spreads the retries of many sessions hitting one outage.
          await delay(Math.random() * backoffMs * 2 ** retry);
        }
      }
    },
    close() {
      keepAlive?.close();
    },
  };
}

async function readLimited(response: Response): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw new AiUnavailableError(`AI service answered with ${declared} bytes, over the limit`);
  }
  // With a declared length the runtime reads exactly that many bytes, so the limit holds.
  if (response.headers.has("content-length")) return await response.text();
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new AiUnavailableError("AI service answered with a body over the limit");
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "timed out";
  // fetch's network failures are TypeErrors; the keep-alive client's are Deno's own errors
  // (ConnectionRefused, ConnectionReset, BrokenPipe, ...) or one that says what was wrong.
  if (
    error instanceof TypeError || Object.values(Deno.errors).some((kind) => error instanceof kind)
  ) {
    return "connection failed";
  }
  if (error instanceof Error) return error.message || error.name;
  return "unknown error";
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no env permission: no proxy either
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
