/**
 * The cursor of `GET /documents`: where the previous page ended, as the last document's exact
 * creation time (microseconds, as Postgres keeps it) and id. Opaque to clients: base64url JSON.
 */
import { z } from "zod";
import { isUuid } from "../_shared/platform/uuid.ts";

export interface PageCursor {
  /** `created_at` to the microsecond, ISO 8601 in UTC. */
  createdAt: string;
  id: string;
}

const cursorSchema = z.tuple([
  z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/).refine(isRealInstant),
  z.string().refine(isUuid),
]);

/**
 * Whether an ISO 8601 UTC text names a real instant Postgres can compare with: the shape alone
 * lets through "2026-13-45T25:61:61.000000Z" and year 0000, which Postgres refuses (a 500 before).
 */
function isRealInstant(text: string): boolean {
  const parsed = new Date(`${text.slice(0, 23)}Z`);
  return !Number.isNaN(parsed.getTime()) && text.slice(0, 4) !== "0000" &&
    parsed.toISOString().slice(0, 19) === text.slice(0, 19);
}

export function encodeCursor(cursor: PageCursor): string {
  return btoa(JSON.stringify([cursor.createdAt, cursor.id]))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** @throws {RangeError} when the text is not a cursor this function handed out. */
export function decodeCursor(text: string): PageCursor {
  try {
    const json = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const [createdAt, id] = cursorSchema.parse(JSON.parse(json));
    return { createdAt, id: id.toLowerCase() };
  } catch {
    throw new RangeError(`Cannot read cursor "${text.slice(0, 40)}": use the nextCursor of a page`);
  }
}
