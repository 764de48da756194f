import { timingSafeEqual } from "node:crypto";
import { TokenError, type TokenVerifier } from "../_shared/platform/token_verifier.ts";

/** How a request proved it acts for the service role, or why it did not. */
export type ServiceRoleCheck =
  | { ok: true; via: "secret_key" | "jwt" }
  | { ok: false; status: 401 | 403 | 503; reason: string; message: string };

export interface ServiceRoleAuthOptions {
  /** The project's service role (secret) key, compared in constant time. */
  serviceRoleKey: string;
  /** Verifies JWTs; without one, only the key itself is accepted. */
  verifier?: Pick<TokenVerifier, "verify">;
}

/**
 * Checks a request's `Authorization: Bearer ...` for the service role: either the service role
 * key itself, or a JWT whose `role` is `service_role` with a valid signature. A valid token of
 * any other role (a signed-in user, the anon key) is forbidden (403); anything else is 401.
 */
export function createServiceRoleAuth(
  options: ServiceRoleAuthOptions,
): (authorization: string | null) => Promise<ServiceRoleCheck> {
  const keyDigest = digest(options.serviceRoleKey);
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
    if (!token) {
      return refuse(
        401,
        "missing",
        "An Authorization: Bearer header with the service role is required",
      );
    }
    if (timingSafeEqual(await digest(token), await keyDigest)) {
      return { ok: true, via: "secret_key" };
    }
    if (!options.verifier) return refuse(401, "invalid", "The bearer token is not valid");
    try {
      await options.verifier.verify(token, { role: "service_role" });
      return { ok: true, via: "jwt" };
    } catch (error: unknown) {
      if (!(error instanceof TokenError)) throw error;
      switch (error.reason) {
        case "wrong_role":
          return refuse(403, error.reason, "This function requires the service role");
        case "keys_unavailable":
          return refuse(503, error.reason, "The signing keys could not be loaded; try again");
        case "expired":
          return refuse(401, error.reason, "The bearer token has expired");
        default:
          return refuse(401, error.reason, "The bearer token is not valid");
      }
    }
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
