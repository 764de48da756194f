import { timingSafeEqual } from "node:crypto";
import { bearerToken } from "../_shared/platform/bearer_token.ts";
import { TokenError, type TokenVerifier } from "../_shared/platform/token_verifier.ts";

/** How a request proved it acts for the service role, or why it did not. */
export type ServiceRoleCheck =
  | { ok: true; via: "secret_key" | "jwt" }
  | { ok: false; status: 401 | 403 | 503; reason: string; message: string };

export interface ServiceRoleAuthOptions {
  /**
   * Keys that carry the service role, each compared in constant time: the project's secret keys
   * (`sb_secret_...`) and the legacy service role key.
   */
  secretKeys: readonly string[];
  /** The project's publishable keys: known, so that one is told it lacks the service role. */
  publishableKeys?: readonly string[];
  /** Verifies service_role JWTs; without one, only the keys are accepted. */
  verifier?: Pick<TokenVerifier, "verify">;
}

/** Hosted Supabase's new API keys are opaque strings with these prefixes, never JWTs. */
const NEW_KEY_PREFIX = /^sb_(secret|publishable)_/;

/**
 * Checks a request for the service role. The credential is `Authorization: Bearer ...` when the
 * request has one (as Supabase's API gateway, the bearer says who the call acts as), else the
 * `apikey` header. It may be a secret key or the legacy service role key, or a JWT whose `role`
 * is `service_role` with a valid signature and issuer. A publishable key, or a valid token of any
 * other role (a signed-in user, the anon key), is forbidden (403); anything else is 401.
 */
export function createServiceRoleAuth(
  options: ServiceRoleAuthOptions,
): (headers: Headers) => Promise<ServiceRoleCheck> {
  if (options.secretKeys.length === 0 && !options.verifier) {
    throw new TypeError("Cannot check the service role: give a secret key or a token verifier");
  }
  const secretDigests = Promise.all(options.secretKeys.map(digest));
  const publishableDigests = Promise.all((options.publishableKeys ?? []).map(digest));

  const check = async (credential: string, name: string): Promise<ServiceRoleCheck> => {
    const given = await digest(credential);
    if (matchesAny(given, await secretDigests)) return { ok: true, via: "secret_key" };
    if (matchesAny(given, await publishableDigests)) {
      return refuse(
        403,
        "wrong_role",
        "This function requires the service role: use a secret key, not a publishable one",
      );
    }
    if (NEW_KEY_PREFIX.test(credential) || !options.verifier) {
      return refuse(401, "invalid", `The ${name} is not valid`);
    }
    try {
      await options.verifier.verify(credential, { role: "service_role" });
      return { ok: true, via: "jwt" };
    } catch (error: unknown) {
      if (!(error instanceof TokenError)) throw error;
      switch (error.reason) {
        case "wrong_role":
          return refuse(403, error.reason, "This function requires the service role");
        case "keys_unavailable":
          return refuse(503, error.reason, "The signing keys could not be loaded; try again");
        case "expired":
          return refuse(401, error.reason, `The ${name} has expired`);
        default:
          return refuse(401, error.reason, `The ${name} is not valid`);
      }
    }
  };

  return (headers) => {
    const bearer = bearerToken(headers.get("authorization"));
    if (bearer) return check(bearer, "bearer token");
    const apikey = headers.get("apikey")?.trim();
    if (apikey) return check(apikey, "apikey");
    return Promise.resolve(refuse(
      401,
      "missing",
      "The service role is required: send a secret key as apikey, or Authorization: Bearer",
    ));
  };
}

function refuse(status: 401 | 403 | 503, reason: string, message: string): ServiceRoleCheck {
  return { ok: false, status, reason, message };
}

// Hashing first makes both sides the same length, so the comparison leaks nothing, not even
// the key's length.
async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Compares against every key, with no early exit, so the time says nothing of which matched. */
function matchesAny(given: Uint8Array, digests: readonly Uint8Array[]): boolean {
  let matched = false;
  for (const candidate of digests) matched = timingSafeEqual(given, candidate) || matched;
  return matched;
}
