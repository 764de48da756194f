// The dev portal's HTTP handler: the demo page, the client module compiled for the browser,
// and the few reads a web app would make through Supabase's Data API (templates, documents),
// done here under the caller's token with RLS, because the local stack has no PostgREST.
// Local development only: lives under scripts/, which `supabase functions deploy` never ships.
import type postgres from "postgres";
import { asUser } from "../supabase/functions/_shared/platform/database.ts";
import type {
  TokenVerifier,
  VerifiedToken,
} from "../supabase/functions/_shared/platform/token_verifier.ts";

export interface DevPortalDeps {
  sql: postgres.Sql;
  verifier: TokenVerifier;
  /** The chat endpoint the page connects to. */
  chatUrl: string;
  /** The documents function's base URL (its lists and downloads), which the page fetches. */
  documentsUrl: string;
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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BODY_BYTES = 4_096;

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/** The page's policy: its own scripts only; it connects to itself, the chat and the documents. */
function contentSecurityPolicy(documentsUrl: string): string {
  return "default-src 'self'; script-src 'self'; style-src 'self'; " +
    `connect-src 'self' ws: wss: ${new URL(documentsUrl).origin}; img-src 'self' data:; ` +
    "base-uri 'none'; frame-ancestors 'none'";
}

export function createDevPortalHandler(deps: DevPortalDeps): (req: Request) => Promise<Response> {
  const policy = contentSecurityPolicy(deps.documentsUrl);
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
        if (path === "/dev/templates") return await templates(deps, request);
        const document = /^\/dev\/documents\/([^/]+)$/.exec(path);
        if (document) return await documentById(deps, request, document[1]!);
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

async function templates(deps: DevPortalDeps, request: Request): Promise<Response> {
  const identity = await authenticate(deps, request);
  if (identity instanceof Response) return identity;
  const rows = await asUser(deps.sql, identity.claims, 5_000, (tx) =>
    tx`
    select id, slug, name, description, jsonb_array_length(questions) as question_count
    from public.document_templates order by name`);
  return json(200, {
    templates: rows.map((row) => ({
      id: row.id,
      slug: row.slug,
      name: row.name,
      description: row.description,
      questionCount: row.question_count,
    })),
  });
}

async function documentById(
  deps: DevPortalDeps,
  request: Request,
  id: string,
): Promise<Response> {
  const identity = await authenticate(deps, request);
  if (identity instanceof Response) return identity;
  if (!UUID.test(id)) return json(404, { error: "Document not found", code: "not_found" });
  const [row] = await asUser(deps.sql, identity.claims, 5_000, (tx) =>
    tx`
    select id, session_id, template_id, title, content, format, created_at
    from public.generated_documents where id = ${id}`);
  if (!row) return json(404, { error: "Document not found", code: "not_found" });
  return json(200, {
    id: row.id,
    sessionId: row.session_id,
    templateId: row.template_id,
    title: row.title,
    content: row.content,
    format: row.format,
    createdAt: row.created_at,
  });
}

async function authenticate(
  deps: DevPortalDeps,
  request: Request,
): Promise<VerifiedToken | Response> {
  const header = request.headers.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? "";
  try {
    return await deps.verifier.verify(bearer);
  } catch {
    return json(401, { error: "Unauthorized", code: "unauthorized" });
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      ...SECURITY_HEADERS,
    },
  });
}
