// The platform's `verify_jwt` check, run by the gateway before a function whose config.toml block
// asks for it: `Authorization: Bearer <JWT>` with a valid signature and, when present, an
// unexpired `exp`, whatever its role (the anon key passes, as hosted). Like the Supabase CLI's
// local Edge Runtime, HS256 tokens are checked against the legacy secret and ES256/RS256 ones
// against the project's signing keys. The function still does its own, complete check.
import * as jose from "jose";
import {
  createKeySelector,
  type JsonWebKeyRecord,
} from "../../supabase/functions/_shared/platform/signing_keys.ts";
import { TokenError } from "../../supabase/functions/_shared/platform/token_error.ts";

export interface JwtGateKeys {
  /** The legacy HS256 secret (JWT_SECRET). */
  secret?: string;
  /** The project's public signing keys, as published at /auth/v1/.well-known/jwks.json. */
  jwks?: { keys: JsonWebKeyRecord[] };
}

/** Why a request was refused: the message hosted answers with, and a local detail. */
export interface JwtRefusal {
  message: string;
  reason: string;
}

export type JwtGate = (authorization: string | null) => Promise<JwtRefusal | undefined>;

export function createJwtGate(keys: JwtGateKeys): JwtGate {
  const keysFor = createKeySelector({ secret: keys.secret, jwks: keys.jwks });
  return async (authorization) => {
    if (!authorization) {
      return {
        message: "Missing authorization header",
        reason: 'Send "Authorization: Bearer <access token>"',
      };
    }
    const [scheme, token, ...rest] = authorization.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== "bearer" || !token || rest.length > 0) {
      return {
        message: "Auth header is not 'Bearer {token}'",
        reason: 'The Authorization header must be "Bearer " and then the token',
      };
    }
    try {
      const header = jose.decodeProtectedHeader(token);
      let last: unknown;
      for (const key of await keysFor(header)) {
        try {
          await jose.jwtVerify(token, key, { algorithms: [header.alg!] });
          return undefined;
        } catch (error: unknown) {
          last = error;
          if (!(error instanceof jose.errors.JWSSignatureVerificationFailed)) break;
        }
      }
      return { message: "Invalid JWT", reason: reasonOf(last) };
    } catch (error: unknown) {
      return { message: "Invalid JWT", reason: reasonOf(error) };
    }
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof jose.errors.JWTExpired) return "The token has expired";
  if (error instanceof jose.errors.JWSSignatureVerificationFailed) {
    return "The token's signature does not match this project's keys";
  }
  if (error instanceof jose.errors.JWTClaimValidationFailed) {
    return `The token's "${error.claim}" claim is invalid: ${error.reason}`;
  }
  if (error instanceof TokenError) return error.message;
  return "The token is not a well-formed JWT";
}
