// Tokens as the local stack's Auth issues them: HS256 with the development secret, or ES256 with a
// key of the test's own (and its JWKS), for the functions' end-to-end tests.
import * as jose from "jose";
import { JWT_SECRET, LOCAL_ISSUER } from "./local_stack.ts";

export interface TokenOptions {
  expiresIn?: string | number;
  role?: string;
  audience?: string;
  /** The `iss` claim; LOCAL_ISSUER unless given, none when null. */
  issuer?: string | null;
  secret?: string;
  /** Signs with this ES256 key (and its kid) instead of the HS256 secret. */
  signingKey?: Es256SigningKey;
  claims?: Record<string, unknown>;
}

/** An asymmetric signing key like hosted Supabase's: the private half signs, the JWK verifies. */
export interface Es256SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public JWK, with kid, alg and use, as it appears in a JWKS. */
  publicJwk: jose.JWK;
}

/** A fresh ES256 key pair for signing local tokens; put `publicJwk` in SUPABASE_JWKS. */
export async function createEs256SigningKey(
  kid = `local-es256-${crypto.randomUUID().slice(0, 8)}`,
): Promise<Es256SigningKey> {
  const { publicKey, privateKey } = await jose.generateKeyPair("ES256", { extractable: true });
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  return { kid, privateKey, publicJwk };
}

/** SUPABASE_JWKS holding these keys' public halves. */
export function jwksOf(...keys: Es256SigningKey[]): string {
  return JSON.stringify({ keys: keys.map((key) => key.publicJwk) });
}

/**
 * Signs a token the way Supabase Auth does for a signed-in user: HS256 with the local secret, or
 * ES256 with `signingKey`, issued by LOCAL_ISSUER.
 */
export function signToken(userId: string, options: TokenOptions = {}): Promise<string> {
  const issuer = options.issuer === undefined ? LOCAL_ISSUER : options.issuer;
  const token = new jose.SignJWT({
    role: options.role ?? "authenticated",
    aud: options.audience ?? "authenticated",
    sub: userId,
    ...(issuer === null ? {} : { iss: issuer }),
    ...options.claims,
  })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "1h");
  if (options.signingKey) {
    return token.setProtectedHeader({ alg: "ES256", typ: "JWT", kid: options.signingKey.kid })
      .sign(options.signingKey.privateKey);
  }
  return token.setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}
