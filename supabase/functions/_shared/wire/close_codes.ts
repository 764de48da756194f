/**
 * The WebSocket close codes of the wire contract (docs/protocol.md), by name, with what a client
 * does after each: the one table that the chat's transport and interview close with and that the
 * client SDK reads to decide whether to reconnect. 4000-4499 mean "reconnect", 4500-4999 mean
 * "do not reconnect", after Centrifugo's convention.
 */

/** What a client does after a close: stop for good, reconnect, more slowly, or with a new token. */
export type CloseAction = "stop" | "reconnect" | "reconnect_slowly" | "refresh_token";

/** Every code the server closes with, its meaning, and what the client should do. */
export const CLOSE_CODES = {
  complete: { code: 1000, meaning: "interview complete", client: "stop" },
  policyViolation: {
    code: 1008,
    meaning: "policy violation: flooding, oversize or repeated invalid frames",
    client: "stop",
  },
  internalError: { code: 1011, meaning: "internal error", client: "reconnect" },
  restarting: { code: 1012, meaning: "server restarting or draining", client: "reconnect" },
  /** Reserved: the server does not send it today. */
  overloaded: { code: 1013, meaning: "overloaded", client: "reconnect_slowly" },
  tokenExpired: { code: 4001, meaning: "token expired", client: "refresh_token" },
  unauthorized: { code: 4500, meaning: "token missing or invalid", client: "stop" },
  templateNotFound: { code: 4504, meaning: "template not found or inactive", client: "stop" },
  superseded: {
    code: 4509,
    meaning: "superseded by the same user's newer connection",
    client: "stop",
  },
  invalidSessionId: { code: 4522, meaning: "sessionId parameter malformed", client: "stop" },
  /** A quota of the user's is reached: the error frame before it says which and when. */
  quotaExceeded: { code: 4529, meaning: "a quota is reached", client: "stop" },
} as const satisfies Record<string, { code: number; meaning: string; client: CloseAction }>;

export type CloseCodeName = keyof typeof CLOSE_CODES;

/** The codes alone, by name: `CloseCode.superseded` is 4509. */
export const CloseCode = Object.fromEntries(
  Object.entries(CLOSE_CODES).map(([name, { code }]) => [name, code]),
) as { readonly [K in CloseCodeName]: (typeof CLOSE_CODES)[K]["code"] };

/** The contract's entry for a code, or undefined for a code the server never sends. */
export function closeCodeEntry(
  code: number,
): (typeof CLOSE_CODES)[CloseCodeName] & { name: CloseCodeName } | undefined {
  for (const [name, entry] of Object.entries(CLOSE_CODES)) {
    if (entry.code === code) return { ...entry, name: name as CloseCodeName };
  }
  return undefined;
}
