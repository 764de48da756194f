import * as jose from "jose";
import { quoted, TokenError } from "./token_error.ts";

/** A JSON Web Key as it arrives in SUPABASE_JWKS or from the project's JWKS URL. */
export type JsonWebKeyRecord = Record<string, unknown>;

export interface SigningKeySources {
  /** The legacy HS256 shared secret (JWT_SECRET); it has no key id. */
  secret?: string;
  /** A key set handed to the function: public keys, and `oct` keys for HS256. */
  jwks?: { keys: JsonWebKeyRecord[] };
  /** The project's published key set; asked when the keys above do not name the token's key. */
  jwksUrl?: URL;
  /** The least time between two fetches of `jwksUrl` on a key miss; jose's 30 s by default. */
  jwksCooldownMs?: number;
}

export type VerificationKey = Uint8Array | CryptoKey;

/** The keys one token may be checked against, chosen from its protected header alone. */
export type KeySelector = (header: jose.ProtectedHeaderParameters) => Promise<VerificationKey[]>;

/** The one symmetric algorithm Supabase signs with; HS384 and HS512 are refused. */
export const SYMMETRIC_ALGORITHM = "HS256";
/** The asymmetric algorithms of Supabase's signing keys (EdDSA under both of its names). */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = ["ES256", "RS256", "EdDSA", "Ed25519"];

interface SymmetricKey {
  kid?: string;
  key: Uint8Array;
}

/**
 * Chooses the keys for a token by its `alg` and `kid`, so that both kinds of token verify
 * during a rotation from the legacy secret to asymmetric keys. HS256 is checked only against
 * the secret and `oct` keys; the asymmetric algorithms only against public keys (jose's key
 * sets refuse symmetric algorithms), so no token is ever checked with a key of the other kind.
 * An asymmetric key missing from `jwks` is looked up at `jwksUrl`, which jose fetches again once
 * on a miss (at most every 30 s) so that a newly published key is found.
 */
export function createKeySelector(sources: SigningKeySources): KeySelector {
  const symmetric = symmetricKeysOf(sources);
  const publicKeys = (sources.jwks?.keys ?? []).filter((jwk) => jwk.kty !== "oct");
  const sets = [
    publicKeys.length > 0 ? jose.createLocalJWKSet({ keys: publicKeys as jose.JWK[] }) : undefined,
    sources.jwksUrl
      ? jose.createRemoteJWKSet(sources.jwksUrl, {
        cacheMaxAge: 600_000,
        cooldownDuration: sources.jwksCooldownMs ?? 30_000,
      })
      : undefined,
  ].filter((set) => set !== undefined);
  if (symmetric.length === 0 && sets.length === 0) {
    throw new TypeError("Cannot verify tokens: give a secret, a JWKS or a JWKS URL");
  }

  return async (header) => {
    const { alg, kid } = header;
    if (alg === SYMMETRIC_ALGORITHM && symmetric.length > 0) {
      return symmetricKeysFor(symmetric, kid);
    }
    if (typeof alg !== "string" || !ASYMMETRIC_ALGORITHMS.includes(alg) || sets.length === 0) {
      throw new TokenError(
        "algorithm_not_allowed",
        `Token algorithm ${quoted(alg ?? null)} is not allowed`,
      );
    }
    for (const set of sets) {
      const keys = await keysIn(set, header);
      if (keys) return keys;
    }
    throw unknownKey(alg, kid);
  };
}

function symmetricKeysOf(sources: SigningKeySources): SymmetricKey[] {
  const keys: SymmetricKey[] = [];
  if (sources.secret) keys.push({ key: new TextEncoder().encode(sources.secret) });
  for (const jwk of sources.jwks?.keys ?? []) {
    if (jwk.kty !== "oct") continue;
    if (jwk.alg !== undefined && jwk.alg !== SYMMETRIC_ALGORITHM) continue;
    if (jwk.use !== undefined && jwk.use !== "sig") continue;
    if (typeof jwk.k !== "string" || jwk.k === "") {
      throw new TypeError(`Cannot use the JWKS: "oct" key ${quoted(jwk.kid ?? null)} has no "k"`);
    }
    keys.push({
      ...(typeof jwk.kid === "string" ? { kid: jwk.kid } : {}),
      key: jose.base64url.decode(jwk.k),
    });
  }
  return keys;
}

/**
 * A token with a key id is checked against the `oct` keys of that id, else against the keys
 * that have none (the legacy secret: hosted Auth may name it with a kid the function never
 * saw). A token without one is checked against every symmetric key.
 */
function symmetricKeysFor(keys: SymmetricKey[], kid: string | undefined): Uint8Array[] {
  if (kid === undefined) return keys.map(({ key }) => key);
  const named = keys.filter((key) => key.kid === kid);
  const chosen = named.length > 0 ? named : keys.filter((key) => key.kid === undefined);
  if (chosen.length === 0) throw unknownKey(SYMMETRIC_ALGORITHM, kid);
  return chosen.map(({ key }) => key);
}

type KeySet = (
  header: jose.ProtectedHeaderParameters,
  token?: jose.FlattenedJWSInput,
) => Promise<CryptoKey>;

/** The set's keys for this header; undefined when it has none. */
async function keysIn(
  set: KeySet,
  header: jose.ProtectedHeaderParameters,
): Promise<VerificationKey[] | undefined> {
  try {
    return [await set(header)];
  } catch (error: unknown) {
    if (error instanceof jose.errors.JWKSNoMatchingKey) return undefined;
    if (error instanceof jose.errors.JWKSMultipleMatchingKeys) {
      const keys: VerificationKey[] = [];
      for await (const key of error) keys.push(key);
      return keys;
    }
    // An unreachable URL, an answer that is not a key set, a key that cannot be imported.
    throw new TokenError("keys_unavailable", "Signing keys could not be loaded");
  }
}

function unknownKey(alg: string, kid: string | undefined): TokenError {
  return new TokenError(
    "unknown_key",
    kid === undefined
      ? `No signing key of this project verifies ${quoted(alg)} tokens without a key id`
      : `Token key id ${quoted(kid)} is not one of this project's ${quoted(alg)} signing keys`,
  );
}
