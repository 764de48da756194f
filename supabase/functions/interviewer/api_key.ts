/** Bearer key authentication for the interviewer, compared in constant time. */
import { bearerToken } from "../_shared/platform/bearer_token.ts";

const encoder = new TextEncoder();

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * Returns a check of an `Authorization` header against `Bearer <apiKey>`.
 *
 * Both sides are hashed with SHA-256 and the digests compared byte by byte without an early
 * exit, so the time taken says nothing about how much of the key matched, nor its length.
 */
export function createApiKeyCheck(apiKey: string): (header: string | null) => Promise<boolean> {
  const expected = digest(apiKey);
  return async (header) => {
    const key = bearerToken(header);
    const given = await digest(key ?? "");
    const wanted = await expected;
    let difference = key === undefined ? 1 : 0;
    for (let i = 0; i < wanted.length; i++) difference |= wanted[i]! ^ given[i]!;
    return difference === 0;
  };
}
