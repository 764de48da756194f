// Local development only: finds or creates a user in the local stack's auth.users and signs an
// access token for them the way Supabase Auth would issue one: with the local ES256 signing key
// and its kid, as a new hosted project does, or with the legacy HS256 secret.
// Used by `npm run token` and by the dev portal's POST /dev/token; never deployed.
import * as jose from "jose";
import type postgres from "postgres";
import type { LocalSigningKey } from "./local_signing_key.ts";

/** How dev tokens are signed: DEV_TOKEN_ALG, ES256 (the local signing key) unless HS256. */
export type DevTokenAlgorithm = "ES256" | "HS256";

export interface DevTokenOptions {
  /** The legacy HS256 secret; used when no signing key is given. */
  secret?: string;
  /** The local ES256 key (scripts/local_signing_key.ts); signs with its kid when given. */
  signingKey?: LocalSigningKey;
  /** The `iss` the functions expect: JWT_ISSUER, else `<SUPABASE_URL>/auth/v1`. */
  issuer: string;
  email: string;
  /** A jose duration ("1h", "15m") or seconds. Default "1h". */
  expiresIn?: string | number;
}

export async function issueDevToken(
  sql: postgres.Sql,
  options: DevTokenOptions,
): Promise<{ userId: string; token: string }> {
  const [user] = await sql`
    insert into auth.users (id, aud, role, email)
    values (gen_random_uuid(), 'authenticated', 'authenticated', ${options.email})
    on conflict (email) where email is not null do update set updated_at = now()
    returning id`;
  const userId = String(user!.id);
  const unsigned = new jose.SignJWT({
    role: "authenticated",
    aud: "authenticated",
    sub: userId,
    email: options.email,
  })
    .setIssuer(options.issuer)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "1h");
  const { signingKey, secret } = options;
  let token: string;
  if (signingKey) {
    token = await unsigned.setProtectedHeader({ alg: "ES256", typ: "JWT", kid: signingKey.kid })
      .sign(signingKey.privateKey);
  } else if (secret) {
    token = await unsigned.setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(new TextEncoder().encode(secret));
  } else {
    throw new TypeError("Cannot sign a dev token: give the local signing key or JWT_SECRET");
  }
  return { userId, token };
}

/** Whether a connection string points at this machine (the only place dev tokens may come from). */
export function isLoopbackDatabase(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** DEV_TOKEN_ALG read: ES256 when unset; anything but ES256 or HS256 is refused. */
export function devTokenAlgorithm(value: string | undefined): DevTokenAlgorithm {
  if (value === undefined || value === "" || value === "ES256") return "ES256";
  if (value === "HS256") return "HS256";
  throw new TypeError(
    `Environment variable DEV_TOKEN_ALG is "${value}": expected ES256 (the local signing key) or HS256 (JWT_SECRET)`,
  );
}

/**
 * The local anon key: a long-lived token with role `anon`, as `supabase start` prints one. The
 * page makes its supabase-js client with it (the `apikey` every request carries); it opens no
 * function that needs a user (verify_jwt passes it, and the functions refuse its role).
 */
export async function issueAnonKey(
  options: Pick<DevTokenOptions, "secret" | "signingKey" | "issuer">,
): Promise<string> {
  const unsigned = new jose.SignJWT({ role: "anon" })
    .setIssuer(options.issuer)
    .setIssuedAt()
    .setExpirationTime("10y");
  if (options.signingKey) {
    return await unsigned
      .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: options.signingKey.kid })
      .sign(options.signingKey.privateKey);
  }
  if (!options.secret) throw new TypeError("Cannot sign the anon key: no signing key or secret");
  return await unsigned.setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(options.secret));
}
