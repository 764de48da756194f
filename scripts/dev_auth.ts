// Local development only: finds or creates a user in the local stack's auth.users and signs an
// access token for them with the local HS256 secret, the way Supabase Auth would issue one.
// Used by `npm run token` and by the dev portal's POST /dev/token; never deployed.
import * as jose from "jose";
import type postgres from "postgres";

export interface DevTokenOptions {
  secret: string;
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
  const token = await new jose.SignJWT({
    role: "authenticated",
    aud: "authenticated",
    sub: userId,
    email: options.email,
  })
    .setIssuer(options.issuer)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "1h")
    .sign(new TextEncoder().encode(options.secret));
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
