// The dev portal's HTTP handler: the demo page, the client module compiled for the browser, its
// configuration, the local sign-in (a session for supabase-js, or a bare token) and the local
// stand-in for Supabase Auth under /auth/v1 (dev_auth_routes.ts), which the gateway forwards to.
// The page reads documents and interviews from the documents function, as a hosted app would.
// Local development only: lives under scripts/, which `supabase functions deploy` never ships.
import { jsonResponse } from "../supabase/functions/_shared/platform/json_response.ts";
import { type createLocalAuth, readSignInEmail } from "./dev_auth_routes.ts";

export interface DevPortalDeps {
  /**
   * The project URL the page's supabase-js client is made with: the gateway,
   * `http://127.0.0.1:54321`, as `supabase start` prints it. The chat and the functions are found
   * under it (`/functions/v1/...`), the session's Auth at `/auth/v1`.
   */
  supabaseUrl?: string;
  /** The key supabase-js is made with (`apikey`): the local anon key. */
  anonKey?: string;
  /** The chat endpoint, for a client that is not given a supabase-js client. */
  chatUrl: string;
  /**
   * The functions' base URL (`<supabaseUrl>/functions/v1`): the page downloads documents from
   * `<documentsUrl>/documents/<id>?format=...`.
   */
  documentsUrl: string;
  /** The local Auth stand-in; undefined with the token endpoint (both off: 404). */
  auth?: ReturnType<typeof createLocalAuth>;
  /**
   * How soon the page notices a silent drop (ChatClient's heartbeat options): a ping after
   * this much silence, and a reconnect when nothing answers it in time.
   */
  heartbeat?: { intervalMs: number; timeoutMs: number };
  /** Mints a local token for an email; undefined turns POST /dev/token off (404). */
  issueToken?: (email: string) => Promise<{ userId: string; token: string }>;
  /** Reads a file of the repository, by path relative to its root. */
  readFile(path: string): Promise<Uint8Array>;
  /** Compiles a TypeScript module of the repository (and its imports) to one browser module. */
  bundle(path: string): Promise<string>;
}

/** Static files served as they are, by URL path. */
const STATIC: Record<string, { file: string; type: string }> = {
  "/": { file: "client/demo/index.html", type: "text/html; charset=utf-8" },
  "/demo/style.css": { file: "client/demo/style.css", type: "text/css; charset=utf-8" },
};

/** Browser modules bundled from the repository's modules (TypeScript compiled), by URL path. */
const MODULES: Record<string, string> = {
  "/demo/app.js": "client/demo/app.js",
  "/client/chat_client.js": "client/chat_client.ts",
};

const EMAIL = /^[^\s@<>"']{1,64}@[^\s@<>"']{1,185}$/;
const MAX_BODY_BYTES = 4_096;

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/** The page's policy: its own scripts only; it connects to itself, the chat and the documents. */
function contentSecurityPolicy(origins: string[]): string {
  const connect = [...new Set(origins.map((url) => new URL(url).origin))].join(" ");
  return "default-src 'self'; script-src 'self'; style-src 'self'; " +
    `connect-src 'self' ws: wss: ${connect}; img-src 'self' data:; ` +
    "base-uri 'none'; frame-ancestors 'none'";
}

export function createDevPortalHandler(deps: DevPortalDeps): (req: Request) => Promise<Response> {
  const policy = contentSecurityPolicy(
    deps.supabaseUrl ? [deps.documentsUrl, deps.supabaseUrl] : [deps.documentsUrl],
  );
  const respond = (body: Uint8Array | string, type: string) =>
    new Response(body as BodyInit, {
      headers: { "content-type": type, "content-security-policy": policy, ...SECURITY_HEADERS },
    });
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname;
    try {
      if (request.method === "GET" || request.method === "HEAD") {
        const file = STATIC[path];
        if (file) return respond(await deps.readFile(file.file), file.type);
        const module = MODULES[path];
        if (module) return respond(await deps.bundle(module), "text/javascript; charset=utf-8");
        if (path === "/health") return json(200, { status: "ok" });
        if (path === "/dev/config") {
          return json(200, {
            ...(deps.supabaseUrl ? { supabaseUrl: deps.supabaseUrl } : {}),
            ...(deps.anonKey ? { anonKey: deps.anonKey } : {}),
            chatUrl: deps.chatUrl,
            documentsUrl: deps.documentsUrl,
            ...(deps.heartbeat
              ? {
                heartbeatIntervalMs: deps.heartbeat.intervalMs,
                heartbeatTimeoutMs: deps.heartbeat.timeoutMs,
              }
              : {}),
            devTokens: deps.issueToken !== undefined,
          });
        }
      }
      if (path.startsWith("/auth/v1/")) {
        if (!deps.auth) return json(404, { error: "Not found", code: "not_found" });
        return await deps.auth.handle(request);
      }
      if (path === "/dev/session") {
        if (!deps.auth) return json(404, { error: "Not found", code: "not_found" });
        if (request.method !== "POST") return json(405, { error: "Use POST", code: "method" });
        const read = await readSignInEmail(request);
        if (typeof read === "string") {
          return json(read === "Body too large" ? 413 : 400, { error: read, code: "invalid" });
        }
        return json(200, await deps.auth.signIn(read.email));
      }
      if (path === "/dev/token") {
        if (!deps.issueToken) return json(404, { error: "Not found", code: "not_found" });
        if (request.method !== "POST") return json(405, { error: "Use POST", code: "method" });
        return await token(deps.issueToken, request);
      }
      return json(404, { error: `No route for "${path}"`, code: "not_found" });
    } catch (error: unknown) {
      console.error(`dev portal: ${request.method} ${path} failed:`, error);
      return json(500, { error: "Internal error", code: "internal" });
    }
  };
}

async function token(
  issue: NonNullable<DevPortalDeps["issueToken"]>,
  request: Request,
): Promise<Response> {
  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > MAX_BODY_BYTES) {
    return json(413, { error: "Body too large", code: "too_large" });
  }
  let email: unknown;
  try {
    email = (JSON.parse(text) as { email?: unknown })?.email;
  } catch {
    return json(400, { error: "Body must be JSON", code: "invalid_json" });
  }
  if (typeof email !== "string" || !EMAIL.test(email.trim())) {
    return json(400, { error: 'Field "email" must be an email address', code: "invalid_email" });
  }
  const issued = await issue(email.trim().toLowerCase());
  return json(200, { userId: issued.userId, accessToken: issued.token });
}

function json(status: number, body: unknown): Response {
  return jsonResponse(status, body, {
    "content-type": "application/json; charset=utf-8",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    ...SECURITY_HEADERS,
  });
}
