import { z } from "zod";
import type { Turn } from "./turns.ts";

/** WebSocket close codes (DESIGN section 4): 4000-4499 reconnect, 4500-4999 do not. */
export const CloseCode = {
  complete: 1000,
  policyViolation: 1008,
  internalError: 1011,
  restarting: 1012,
  overloaded: 1013,
  tokenExpired: 4001,
  unauthorized: 4500,
  templateNotFound: 4504,
  superseded: 4509,
  invalidSessionId: 4522,
} as const;

/** The subprotocol the server speaks, and the prefix of the one that carries the token. */
export const SUBPROTOCOL = "chat.v1";
export const TOKEN_SUBPROTOCOL_PREFIX = "jwt-";

/** Limits on what a client may send; documented in docs/protocol.md ("Limits"). */
export const LIMITS = {
  /** Largest text frame accepted, in bytes (UTF-8). */
  maxFrameBytes: 16_384,
  /** Longest answer, in characters. */
  maxAnswerChars: 5_000,
  /** Longest clientMessageId or questionId. */
  maxIdChars: 128,
  /** Invalid frames tolerated on one connection before it is closed with 1008. */
  maxInvalidFrames: 10,
  /** Token bucket: frames a client may send in a burst, and frames refilled per second. */
  burstFrames: 20,
  refillFramesPerSecond: 5,
} as const;

/** Strings Postgres can store in jsonb: well-formed UTF-16 and no NUL character. */
const storableText = z.string().refine(
  (value) => value.isWellFormed() && !value.includes("\u0000"),
  "contains characters that cannot be stored (NUL or an unpaired surrogate)",
);
const identifier = storableText.pipe(z.string().min(1).max(LIMITS.maxIdChars));

const userMessage = z.object({
  type: z.literal("user_message"),
  content: storableText.pipe(
    z.string().max(LIMITS.maxAnswerChars).refine((value) => value.trim().length > 0, "is empty"),
  ),
  clientMessageId: identifier.optional(),
  questionId: identifier.optional(),
});
const retry = z.object({ type: z.literal("retry") });
const ping = z.object({ type: z.literal("ping"), id: identifier.optional() });
const refreshToken = z.object({
  type: z.literal("refresh_token"),
  token: z.string().min(1).max(LIMITS.maxFrameBytes),
});

const clientFrame = z.discriminatedUnion("type", [userMessage, retry, ping, refreshToken]);
export type ClientFrame = z.infer<typeof clientFrame>;
export type UserMessage = z.infer<typeof userMessage>;

export const CLIENT_FRAME_TYPES = ["user_message", "retry", "ping", "refresh_token"] as const;

export type FrameErrorCode =
  | "binary_not_supported"
  | "frame_too_large"
  | "invalid_json"
  | "invalid_message"
  | "unknown_type"
  | "invalid_field";

export type ParsedFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; code: FrameErrorCode; message: string };

/** Turns one raw WebSocket frame into a validated client message or a specific error. */
export function parseClientFrame(data: unknown): ParsedFrame {
  if (typeof data !== "string") {
    return fail("binary_not_supported", "Binary frames are not supported; send JSON text");
  }
  // A UTF-16 code unit takes at most 3 UTF-8 bytes: only long frames need encoding to measure.
  if (
    data.length * 3 > LIMITS.maxFrameBytes &&
    new TextEncoder().encode(data).byteLength > LIMITS.maxFrameBytes
  ) {
    return fail("frame_too_large", `Frames are limited to ${LIMITS.maxFrameBytes} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return fail("invalid_json", "Frame is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("invalid_message", 'Frame must be a JSON object with a "type"');
  }
  const type = (value as Record<string, unknown>).type;
  if (typeof type !== "string") {
    return fail("invalid_message", 'Frame must be a JSON object with a "type"');
  }
  if (!(CLIENT_FRAME_TYPES as readonly string[]).includes(type)) {
    return fail("unknown_type", `Unknown message type "${type.slice(0, 40)}"`);
  }
  const result = clientFrame.safeParse(value);
  if (result.success) return { ok: true, frame: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.join(".") || "frame";
  return fail("invalid_field", `Field "${field}" ${describeIssue(issue)}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") return `must be a ${issue.expected}`;
  if (issue.code === "too_big") return `is longer than ${issue.maximum} characters`;
  if (issue.code === "too_small") return "is empty";
  return issue.message;
}

function fail(code: FrameErrorCode, message: string): ParsedFrame {
  return { ok: false, code, message };
}

export interface QuestionPayload {
  id: string;
  text: string;
}

/** Every message the server sends. Fields may be added; none may be renamed or removed. */
export type ServerMessage =
  | { type: "session_resumed"; sessionId: string; history: readonly Turn[] }
  | { type: "next_question"; sessionId: string; question: QuestionPayload }
  | { type: "session_complete"; sessionId: string; documentId: string }
  | { type: "error"; message: string; code?: string; retryable?: boolean }
  | { type: "pong"; id?: string }
  | { type: "token_refreshed"; expiresAt: string };
