/**
 * The body of `POST /v1/chat/next-question` (docs/ai_service.md): read with a size limit,
 * parsed as JSON and checked with zod. The template itself is checked by `parseTemplate`.
 */
import { z } from "zod";
import { turnSchema } from "../_shared/wire/interview_turn.ts";
import { isUuid } from "../_shared/platform/uuid.ts";

export const MAX_REQUEST_BYTES = 1_048_576;
export const MAX_HISTORY_TURNS = 5_000;
/** Twice the longest answer the chat function accepts, and room for a question with a hint. */
export const MAX_TURN_CHARS = 10_000;

// Unknown fields are ignored, so the chat function may add fields to the contract.
const requestSchema = z.object({
  sessionId: z.string().min(1).max(200).optional(),
  templateId: z.string().min(1).max(200).optional(),
  history: z.array(turnSchema.extend({ content: z.string().max(MAX_TURN_CHARS) }))
    .max(MAX_HISTORY_TURNS).optional(),
  template: z.record(z.string(), z.unknown()).optional(),
  // v2 additions (docs/ai_service.md). The answers are checked but not used: only the history
  // tells an accepted answer from a refused one, so the engine derives them from it.
  answers: z.record(z.string().max(200), z.string().max(MAX_TURN_CHARS)).optional(),
  protocol: z.enum(["v1", "v2"]).optional(),
  // The person's IANA time zone: relative dates ("tomorrow") resolve against today there. An
  // unknown name is read as UTC, as the chat reads it.
  tz: z.string().min(1).max(64).optional(),
});

/** What to interview: a template and history sent along, or a session stored in the database. */
export type NextQuestionRequest =
  & (
    | { mode: "stateless"; sessionId?: string; template: unknown; history: unknown[] }
    | { mode: "session"; sessionId: string }
  )
  & {
    /** The contract version to answer in; absent means v1. */
    protocol: "v1" | "v2";
    /** The person's IANA time zone, when the request says one. */
    tz?: string;
  };

export type Parsed<T> =
  | { ok: true; value: T }
  | { ok: false; status: 400 | 413; code: string; message: string };

/** Reads the body as JSON, refusing more than `MAX_REQUEST_BYTES`. */
export async function readJsonBody(request: Request): Promise<Parsed<unknown>> {
  const tooLarge = {
    ok: false,
    status: 413,
    code: "too_large",
    message: `The request body is over ${MAX_REQUEST_BYTES} bytes`,
  } as const;
  if (Number(request.headers.get("content-length") ?? "0") > MAX_REQUEST_BYTES) {
    await request.body?.cancel();
    return tooLarge;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of request.body ?? []) {
      size += chunk.byteLength;
      if (size > MAX_REQUEST_BYTES) return tooLarge;
      chunks.push(chunk);
    }
  } catch {
    return { ok: false, status: 400, code: "unreadable", message: "The request body broke off" };
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, value: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) };
  } catch {
    return {
      ok: false,
      status: 400,
      code: "malformed_json",
      message: "The request body is not valid UTF-8 JSON",
    };
  }
}

/**
 * Checks the shape of a parsed body. With `template` the request is stateless (`history`
 * defaults to none); without it, `sessionId` names a stored session to read.
 */
export function parseNextQuestionRequest(body: unknown): Parsed<NextQuestionRequest> {
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    const detail = parsed.error.issues.slice(0, 3)
      .map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    return invalid(`Malformed request: ${detail.join("; ")}`);
  }
  const { sessionId, templateId, history, template, tz } = parsed.data;
  const protocol = parsed.data.protocol ?? "v1";
  const zone = tz === undefined ? {} : { tz };
  if (template !== undefined) {
    if (templateId !== undefined && template.id !== templateId) {
      return invalid(`Malformed request: templateId "${templateId}" is not template.id`);
    }
    return {
      ok: true,
      value: {
        mode: "stateless",
        template,
        history: history ?? [],
        protocol,
        ...zone,
        ...(sessionId === undefined ? {} : { sessionId }),
      },
    };
  }
  if (sessionId === undefined) {
    return invalid('Malformed request: send "template" and "history", or a "sessionId"');
  }
  if (!isUuid(sessionId)) {
    return invalid(`Malformed request: sessionId "${sessionId}" is not a UUID`);
  }
  return { ok: true, value: { mode: "session", sessionId, protocol, ...zone } };
}

function invalid(message: string): Parsed<never> {
  return { ok: false, status: 400, code: "invalid_request", message };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    out += typeof key === "number" ? `[${key}]` : `${out === "" ? "" : "."}${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}
