/** Why a token was refused; never carries the token itself. */
export type TokenRefusal =
  | "missing"
  | "malformed"
  | "bad_signature"
  | "algorithm_not_allowed"
  | "unknown_key"
  | "expired"
  | "not_yet_valid"
  | "wrong_audience"
  | "wrong_issuer"
  | "wrong_role"
  | "bad_subject"
  | "keys_unavailable";

/** A refused token. `reason` is safe to log; the token is not kept. */
export class TokenError extends Error {
  override name = "TokenError";
  constructor(readonly reason: TokenRefusal, message: string) {
    super(message);
  }
}

/** A value from a token, quoted and cut short, for a message that may echo it to the caller. */
export function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
}
