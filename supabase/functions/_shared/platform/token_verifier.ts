import * as jose from "jose";
import { createKeySelector, type JsonWebKeyRecord, type VerificationKey } from "./signing_keys.ts";
import { quoted, TokenError } from "./token_error.ts";
import { isUuid } from "./uuid.ts";

export { TokenError, type TokenRefusal } from "./token_error.ts";

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
  /** A JSON Web Key Set: asymmetric public keys, and `oct` keys for HS256. */
  jwks?: { keys: JsonWebKeyRecord[] };
  /** The project's published JWKS, for asymmetric keys `jwks` does not hold; cached by jose. */
  jwksUrl?: URL;
  /** The least time between two fetches of `jwksUrl` on a key miss; 30 s by default. */
  jwksCooldownMs?: number;
  /** Expected `aud`; Supabase user tokens carry "authenticated". */
  audience?: string;
  /** Expected `iss`; unchecked when undefined. Service-role tokens may also carry "supabase". */
  issuer?: string;
  /** Allowed clock skew in seconds. */
  clockToleranceSeconds?: number;
}

/** The `iss` of hosted Supabase's legacy API keys (the anon and service_role JWTs). */
export const LEGACY_KEY_ISSUER = "supabase";

/**
 * Verifies Supabase access tokens with jose: the signature with the key the token's header names
 * (HS256 from the secret or an `oct` key, ES256/RS256/EdDSA from a JWKS, both at once during a
 * rotation), then expiry, the expected role, issuer and audience, and a UUID subject. `alg: none`
 * and algorithms outside a key's family are refused, so an HS256 token is never checked against
 * a public key nor the other way round.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keysFor = createKeySelector(options);
  const clockTolerance = options.clockToleranceSeconds ?? 5;

  return {
    async verify(token, { role = "authenticated" } = {}) {
      if (!token) throw new TokenError("missing", "No token was given");
      let header: jose.ProtectedHeaderParameters;
      try {
        header = jose.decodeProtectedHeader(token);
      } catch {
        throw new TokenError("malformed", "Token is malformed");
      }
      const keys = await keysFor(header);
      const payload = await verifiedPayload(token, keys, header.alg!, clockTolerance);
      return checkClaims(payload, role, options);
    },
  };
}

/** The payload once one of `keys` verifies the signature; each key is tried in turn. */
async function verifiedPayload(
  token: string,
  keys: VerificationKey[],
  alg: string,
  clockTolerance: number,
): Promise<jose.JWTPayload> {
  for (const key of keys) {
    try {
      const { payload } = await jose.jwtVerify(token, key, {
        algorithms: [alg],
        clockTolerance,
        requiredClaims: ["exp"],
      });
      return payload;
    } catch (error: unknown) {
      if (!(error instanceof jose.errors.JWSSignatureVerificationFailed)) {
        throw toTokenError(error);
      }
    }
  }
  throw new TokenError("bad_signature", "Token signature is invalid");
}

function checkClaims(
  payload: jose.JWTPayload,
  role: ExpectedRole,
  options: TokenVerifierOptions,
): VerifiedToken {
  if (payload.role !== role) {
    throw new TokenError("wrong_role", `Token role ${quoted(payload.role)} is not "${role}"`);
  }
  if (options.issuer !== undefined) {
    // Hosted legacy service_role keys are signed with the project's secret but carry "supabase".
    const issuers = role === "service_role"
      ? [options.issuer, LEGACY_KEY_ISSUER]
      : [options.issuer];
    if (typeof payload.iss !== "string" || !issuers.includes(payload.iss)) {
      throw new TokenError(
        "wrong_issuer",
        payload.iss === undefined
          ? `Token has no issuer: expected ${quoted(options.issuer)}`
          : `Token issuer ${quoted(payload.iss)} is not ${quoted(options.issuer)}`,
      );
    }
  }
  // Service-role keys carry no audience; user tokens must carry the expected one.
  if (role === "authenticated" && options.audience !== undefined) {
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(options.audience)) {
      throw new TokenError("wrong_audience", `Token audience is not "${options.audience}"`);
    }
  }
  const sub = payload.sub ?? "";
  if (role === "authenticated" && !isUuid(sub)) {
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
  if (error instanceof TokenError) return error;
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
  return new TokenError("malformed", "Token is malformed");
}

/** Where a Supabase project publishes its signing keys; `supabaseUrl` may end in a path. */
export function jwksUrlOf(supabaseUrl: string): URL {
  return new URL("auth/v1/.well-known/jwks.json", supabaseUrl.replace(/\/*$/, "/"));
}

/** The `iss` hosted Supabase Auth puts in the tokens it issues: `<SUPABASE_URL>/auth/v1`. */
export function issuerOf(supabaseUrl: string): string {
  return new URL("auth/v1", supabaseUrl.replace(/\/*$/, "/")).href;
}

/** The key settings every function reads from its environment. */
export interface TokenKeySettings {
  JWT_SECRET?: string;
  SUPABASE_JWKS?: { keys: JsonWebKeyRecord[] };
  SUPABASE_URL?: string;
  JWT_ISSUER?: string;
}

/**
 * The verifier a function's environment asks for: HS256 tokens against JWT_SECRET and the `oct`
 * keys of SUPABASE_JWKS, asymmetric ones against its public keys and then the project's
 * published JWKS; undefined when the environment names no key at all. The expected issuer is
 * JWT_ISSUER, else the one Supabase Auth derives from SUPABASE_URL, else none.
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
    issuer: settings.JWT_ISSUER ??
      (settings.SUPABASE_URL ? issuerOf(settings.SUPABASE_URL) : undefined),
  });
}
