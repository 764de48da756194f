// The local stand-in for Supabase Auth (GoTrue), served by the dev portal and reached through the
// gateway at <SUPABASE_URL>/auth/v1, so that supabase-js holds and refreshes a session locally as
// it does against a hosted project: `POST /dev/session` signs a user in (the portal's sign-in by
// email; hosted, the app's own sign-in does this), `GET /auth/v1/user` answers `setSession`,
// `POST /auth/v1/token?grant_type=refresh_token` answers the library's refresh, and
// `POST /auth/v1/logout` its sign-out. Nothing else of GoTrue is here. Local development only.
import * as jose from "jose";
import type { JwtGate } from "./gateway/jwt_gate.ts";

/** A session as GoTrue returns it and supabase-js stores it. */
export interface AuthSession {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: AuthUser;
}

export interface AuthUser {
  id: string;
  aud: string;
  role: string;
  email: string;
  app_metadata: { provider: string; providers: string[] };
  user_metadata: Record<string, never>;
  created_at: string;
}

export interface LocalAuthDeps {
  /** Finds or creates the user and signs an access token for them (dev_auth.ts). */
  issueToken(email: string): Promise<{ userId: string; token: string }>;
  /** Checks an access token's signature and expiry, as the gateway's verify_jwt does. */
  gate: JwtGate;
  /** Signs and checks the refresh tokens (HS256): the stack's JWT_SECRET. */
  refreshSecret: string;
  /** How long a refresh token lasts. Default "7d". */
  refreshTtl?: string;
}

/** A refresh token's audience, so that no access token passes as one, nor one as an access token. */
const REFRESH_AUDIENCE = "local-refresh";
const EMAIL = /^[^\s@<>"']{1,64}@[^\s@<>"']{1,185}$/;
const MAX_BODY_BYTES = 4_096;

export function createLocalAuth(deps: LocalAuthDeps): {
  /** Signs the user with this email in: their session, as supabase-js's setSession takes it. */
  signIn(email: string): Promise<AuthSession>;
  /** The /auth/v1/... routes; the path is the whole URL path. */
  handle(request: Request): Promise<Response>;
} {
  const secret = new TextEncoder().encode(deps.refreshSecret);

  async function sessionOf(email: string): Promise<AuthSession> {
    const { userId, token } = await deps.issueToken(email);
    const claims = jose.decodeJwt(token);
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = claims.exp ?? now;
    const refreshToken = await new jose.SignJWT({ email })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(userId)
      .setAudience(REFRESH_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(deps.refreshTtl ?? "7d")
      .sign(secret);
    return {
      access_token: token,
      token_type: "bearer",
      expires_in: expiresAt - now,
      expires_at: expiresAt,
      refresh_token: refreshToken,
      user: userOf(userId, email, claims.iat ?? now),
    };
  }

  async function refresh(request: Request): Promise<Response> {
    const body = await readJson(request);
    if (typeof body === "string") return authError(400, "validation_failed", body);
    const refreshToken = body.refresh_token;
    if (typeof refreshToken !== "string" || refreshToken === "") {
      return authError(400, "validation_failed", 'Field "refresh_token" is missing');
    }
    let email: string;
    try {
      const { payload } = await jose.jwtVerify(refreshToken, secret, {
        audience: REFRESH_AUDIENCE,
        algorithms: ["HS256"],
      });
      if (typeof payload.email !== "string") throw new TypeError("no email");
      email = payload.email;
    } catch {
      return authError(
        400,
        "refresh_token_not_found",
        "Invalid Refresh Token: Refresh Token Not Found (sign in again)",
      );
    }
    return json(200, await sessionOf(email));
  }

  async function user(request: Request): Promise<Response> {
    const authorization = request.headers.get("authorization");
    const refusal = await deps.gate(authorization);
    if (refusal) return authError(401, "bad_jwt", `${refusal.message}: ${refusal.reason}`);
    const claims = jose.decodeJwt(authorization!.trim().split(/\s+/)[1]!);
    if (typeof claims.sub !== "string" || typeof claims.email !== "string") {
      return authError(403, "bad_jwt", "The token names no user (no sub or email claim)");
    }
    return json(200, userOf(claims.sub, claims.email, claims.iat ?? 0));
  }

  return {
    signIn: (email) => sessionOf(email),
    async handle(request) {
      const url = new URL(request.url);
      if (request.method === "OPTIONS") return preflight(request);
      if (url.pathname === "/auth/v1/user" && request.method === "GET") return await user(request);
      if (url.pathname === "/auth/v1/token" && request.method === "POST") {
        const grant = url.searchParams.get("grant_type");
        if (grant === "refresh_token") return await refresh(request);
        return authError(
          400,
          "unsupported_grant_type",
          `Grant type "${grant ?? ""}" is not offered locally: sign in on the demo page ` +
            "(POST /dev/session), then refresh with grant_type=refresh_token",
        );
      }
      if (url.pathname === "/auth/v1/logout" && request.method === "POST") {
        // Nothing is kept server side: the page forgets the session, the token runs out.
        return new Response(null, { status: 204, headers: CORS });
      }
      return authError(
        404,
        "not_found",
        `${request.method} ${url.pathname} is not part of the local Auth stand-in ` +
          "(it serves GET /auth/v1/user, POST /auth/v1/token?grant_type=refresh_token, " +
          "POST /auth/v1/logout)",
      );
    },
  };
}

/** Reads `{ "email": ... }` of a sign-in; a string is the problem, in the user's words. */
export async function readSignInEmail(request: Request): Promise<string | { email: string }> {
  const body = await readJson(request);
  if (typeof body === "string") return body;
  const email = body.email;
  if (typeof email !== "string" || !EMAIL.test(email.trim())) {
    return 'Field "email" must be an email address';
  }
  return { email: email.trim().toLowerCase() };
}

async function readJson(request: Request): Promise<Record<string, unknown> | string> {
  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > MAX_BODY_BYTES) return "Body too large";
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== "object" || body === null) return "Body must be a JSON object";
    return body as Record<string, unknown>;
  } catch {
    return "Body must be JSON";
  }
}

function userOf(id: string, email: string, issuedAt: number): AuthUser {
  return {
    id,
    aud: "authenticated",
    role: "authenticated",
    email,
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: {},
    created_at: new Date(issuedAt * 1000).toISOString(),
  };
}

/** The page (another origin) calls these through the gateway, as it would call hosted Auth. */
const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "cache-control": "no-store",
};

function preflight(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS,
      // supabase-js sends apikey, x-client-info and x-supabase-api-version beside Authorization.
      "access-control-allow-headers": request.headers.get("access-control-request-headers") ??
        "authorization, apikey, content-type, x-client-info, x-supabase-api-version",
      "access-control-max-age": "600",
    },
  });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...CORS, "content-type": "application/json; charset=utf-8" },
  });
}

/** GoTrue's error shape, which supabase-js reads into an AuthApiError (`code`, `message`). */
function authError(status: number, code: string, message: string): Response {
  return json(status, { code: status, error_code: code, msg: message });
}
