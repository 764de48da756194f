/** The codec's inbound half: one raw WebSocket frame to a validated client frame or an error. */
import type { z } from "zod";
import {
  CLIENT_FRAME_TYPES,
  type ClientFrame,
  clientFrameSchema,
  LIMITS,
  type ProtocolVersion,
} from "../../_shared/wire/protocol.ts";
import { invisibleCharacterProblem } from "../../_shared/wire/invisible_characters.ts";

export { LIMITS };

export type FrameErrorCode =
  | "binary_not_supported"
  | "frame_too_large"
  | "invalid_json"
  | "invalid_message"
  | "unknown_type"
  | "invalid_field"
  /** v2: an answer holding a bidi control, a zero-width or a control character. */
  | "invalid_character";

export type ParsedFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; code: FrameErrorCode; message: string };

/**
 * Turns one raw WebSocket frame into a validated client message or a specific error. A v1
 * connection knows only v1's frame types; the others are `unknown_type` there, as before v2.
 */
export function parseClientFrame(data: unknown, version: ProtocolVersion = "v1"): ParsedFrame {
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
  if (!(CLIENT_FRAME_TYPES[version] as readonly string[]).includes(type)) {
    return fail("unknown_type", `Unknown message type "${type.slice(0, 40)}"`);
  }
  const result = clientFrameSchema.safeParse(value);
  if (result.success) {
    const frame = result.data;
    // An answer is stored and shown as typed: one that would display differently from its
    // stored text (invisible_characters.ts) is refused here, before anything is stored.
    if ("content" in frame && typeof frame.content === "string") {
      const problem = invisibleCharacterProblem(frame.content);
      if (problem !== undefined) {
        return fail(version === "v2" ? "invalid_character" : "invalid_field", problem);
      }
    }
    return { ok: true, frame };
  }
  const issue = result.error.issues[0]!;
  const field = issue.path.join(".") || "frame";
  const content = (value as Record<string, unknown>).content;
  if (version === "v2" && field === "content" && typeof content === "string") {
    // v2 clients show this to the person who typed the answer: say it in their words.
    if (issue.code === "too_big") {
      // Counted as the limit is, in code points: an emoji is one character, not two.
      const characters = [...content].length;
      return fail(
        "invalid_field",
        `Your answer is ${characters.toLocaleString("en-US")} characters long; please keep ` +
          `it under ${LIMITS.maxAnswerChars.toLocaleString("en-US")} characters`,
      );
    }
    if (content.trim() === "") return fail("invalid_field", "Please type an answer first");
  }
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
