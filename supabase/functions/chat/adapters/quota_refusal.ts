/**
 * A CH429 refusal of the database as a typed error. The quota functions (quotas.sql) put a JSON
 * detail beside the sentence: `{"quota": "sessions_per_minute", "limit": 10,
 * "retryAfterSeconds": 42}`; the sentence is the user's, the detail is the chat's.
 */
import { QuotaExceededError, type QuotaName, WriteRefusedError } from "../ports/session_store.ts";

const QUOTAS: readonly QuotaName[] = [
  "open_interviews",
  "sessions_per_minute",
  "documents_per_day",
];

/**
 * The refusal for a CH429 error's message and detail. A detail this chat cannot read (a newer
 * database's quota) still refuses as a quota, without the quota's name or a wait.
 */
export function quotaRefusal(message: string, detail: unknown): WriteRefusedError {
  const parsed = parseDetail(detail);
  const quota = QUOTAS.find((name) => name === parsed?.quota);
  if (!quota) return new WriteRefusedError("quota_exceeded", message);
  const wait = parsed?.retryAfterSeconds;
  const retryAfterSeconds = typeof wait === "number" && Number.isInteger(wait) && wait > 0
    ? wait
    : undefined;
  return new QuotaExceededError(quota, message, retryAfterSeconds);
}

function parseDetail(detail: unknown): Record<string, unknown> | undefined {
  if (typeof detail !== "string") return undefined;
  try {
    const value: unknown = JSON.parse(detail);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}
