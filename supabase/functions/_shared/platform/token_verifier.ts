import * as jose from "jose";
import { z } from "zod";

/** Why a token was refused; never carries the token itself. */
export type TokenRefusal =
  | "missing"
  | "malformed"
  | "bad_signature"
  | "algorithm_not_allowed"
  | "expired"
  | "not_yet_valid"
  | "wrong_audience"
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

export type ExpectedRole = "authenticated" | "service_role";

export interface VerifiedToken {
  /** The user id (`sub`), a UUID; empty for service-role tokens without one. */
  userId: string;
  role: ExpectedRole;
  /** Expiry as milliseconds since the epoch. */
  expiresAt: number;
  /** The verified claims, as PostgREST would hand them to Postgres. */
  claims: Record<string, unknown>;
}

export interface TokenVerifier {
  verify(token: string, options?: { role?: ExpectedRole }): Promise<VerifiedToken>;
}

export interface TokenVerifierOptions {
  /** HS256 shared secret (legacy and local stacks). */
  secret?: string;
  /** A JSON Web Key Set (hosted Supabase's asymmetric signing keys). */
  jwks?: { keys: Record<string, unknown>[] };
  /** Where to fetch the JWKS from when neither of the above is given; cached by jose. */
  jwksUrl?: URL;
  /** Expected `aud`; Supabase user tokens carry "authenticated". */
  audience?: string;
  /** Allowed clock skew in seconds. */
  clockToleranceSeconds?: number;
}

const ASYMMETRIC_ALGORITHMS = ["RS256", "ES256", "EdDSA"];
const uuid = z.uuid();

/**
 * Verifies Supabase access tokens with jose: signature (HS256 secret or JWKS), expiry, audience,
 * the expected role and a UUID subject. `alg: none` and algorithms outside the key's family are
 * refused, so an HS256 token can never be checked against a public key or the other way round.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const key = resolveKey(options);
  const algorithms = options.secret ? ["HS256"] : ASYMMETRIC_ALGORITHMS;
  const clockTolerance = options.clockToleranceSeconds ?? 5;

  return {
    async verify(token, { role = "authenticated" } = {}) {
      if (!token) throw new TokenError("missing", "No token was given");
      let payload: jose.JWTPayload;
      try {
        ({ payload } = await jose.jwtVerify(token, key as never, {
          algorithms,
          clockTolerance,
          requiredClaims: ["exp"],
        }));
      } catch (error: unknown) {
        throw toTokenError(error);
      }
      return checkClaims(payload, role, options.audience);
    },
  };
}

function resolveKey(options: TokenVerifierOptions) {
  if (options.secret) return new TextEncoder().encode(options.secret);
  if (options.jwks) return jose.createLocalJWKSet(options.jwks as jose.JSONWebKeySet);
  if (options.jwksUrl) return jose.createRemoteJWKSet(options.jwksUrl, { cacheMaxAge: 600_000 });
  throw new TypeError("Cannot verify tokens: give a secret, a JWKS or a JWKS URL");
}

function checkClaims(
  payload: jose.JWTPayload,
  role: ExpectedRole,
  audience: string | undefined,
): VerifiedToken {
  if (payload.role !== role) {
    throw new TokenError("wrong_role", `Token role "${String(payload.role)}" is not "${role}"`);
  }
  // Service-role keys carry no audience; user tokens must carry the expected one.
  if (role === "authenticated" && audience !== undefined) {
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(audience)) {
      throw new TokenError("wrong_audience", `Token audience is not "${audience}"`);
    }
  }
  const sub = payload.sub ?? "";
  if (role === "authenticated" && !uuid.safeParse(sub).success) {
    throw new TokenError("bad_subject", "Token subject is not a UUID");
  }
  return {
    userId: sub,
    role,
    expiresAt: (payload.exp ?? 0) * 1000,
    claims: payload as Record<string, unknown>,
  };
}

function toTokenError(error: unknown): TokenError {
  if (error instanceof jose.errors.JWTExpired) {
    return new TokenError("expired", "Token has expired");
  }
  if (error instanceof jose.errors.JWTClaimValidationFailed) {
    const reason = error.claim === "nbf" ? "not_yet_valid" : "malformed";
    return new TokenError(reason, `Token claim "${error.claim}" is invalid: ${error.reason}`);
  }
  if (error instanceof jose.errors.JOSEAlgNotAllowed) {
    return new TokenError("algorithm_not_allowed", "Token algorithm is not allowed");
  }
  if (
    error instanceof jose.errors.JWSSignatureVerificationFailed ||
    error instanceof jose.errors.JWKSNoMatchingKey
  ) {
    return new TokenError("bad_signature", "Token signature is invalid");
  }
  if (error instanceof jose.errors.JWKSTimeout || error instanceof jose.errors.JWKSInvalid) {
    return new TokenError("keys_unavailable", "Signing keys could not be loaded");
  }
  return new TokenError("malformed", "Token is malformed");
}

/** Where a Supabase project publishes its signing keys; `supabaseUrl` may end in a path. */
export function jwksUrlOf(supabaseUrl: string): URL {
  return new URL("auth/v1/.well-known/jwks.json", supabaseUrl.replace(/\/*$/, "/"));
}

/** The key settings every function reads from its environment. */
export interface TokenKeySettings {
  JWT_SECRET?: string;
  SUPABASE_JWKS?: { keys: Record<string, unknown>[] };
  SUPABASE_URL?: string;
}

/**
 * The verifier a function's environment asks for: an HS256 secret (legacy and local stacks), a
 * JWKS handed to the function, or the project's published JWKS, in that order; undefined when
 * the environment names none of them.
 */
export function tokenVerifierFor(
  settings: TokenKeySettings,
  options: { audience?: string } = {},
): TokenVerifier | undefined {
  if (!settings.JWT_SECRET && !settings.SUPABASE_JWKS && !settings.SUPABASE_URL) return undefined;
  return createTokenVerifier({
    secret: settings.JWT_SECRET,
    jwks: settings.SUPABASE_JWKS,
    jwksUrl: settings.SUPABASE_URL ? jwksUrlOf(settings.SUPABASE_URL) : undefined,
    audience: options.audience,
  });
}
