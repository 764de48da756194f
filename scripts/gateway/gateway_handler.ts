// The local gateway's handler: the platform's URL layout on one port. `/functions/v1/<name>/...`
// goes to that function's local server (WebSocket upgrades included) with the path the function
// sees hosted, `/<name>/...`; `verify_jwt` is applied per function as config.toml says; CORS
// preflights go through unchecked, for the function to answer as it must hosted; and the project's
// signing keys are published at /auth/v1/.well-known/jwks.json.
import type { JwtGate } from "./jwt_gate.ts";
import { forwardHttp } from "./http_forward.ts";
import { routeOf } from "./route.ts";
import { isWebSocketUpgrade, proxyWebSocket } from "./websocket_proxy.ts";

export interface GatewayFunction {
  /** Where the function's own server listens: `http://127.0.0.1:<port>`. */
  origin: string;
  verifyJwt: boolean;
}

export interface GatewayDeps {
  functions: ReadonlyMap<string, GatewayFunction>;
  gate: JwtGate;
  /** The public signing keys, served as they are. */
  jwks: { keys: unknown[] };
  /**
   * Where the rest of /auth/v1 goes: the local stand-in for Supabase Auth (the dev portal's
   * session routes, scripts/dev_auth_routes.ts), so that supabase-js's `setSession` and token
   * refresh find an Auth server at the project URL. Undefined: those routes answer 404.
   */
  authOrigin?: string;
  log?: (line: string) => void;
}

/** The platform's answers carry CORS headers, so a browser can read an error too. */
const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "authorization, x-client-info, apikey, content-type",
  "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
};

export function createGatewayHandler(
  deps: GatewayDeps,
): (request: Request, info?: Deno.ServeHandlerInfo) => Promise<Response> {
  const log = deps.log ?? ((line: string) => console.error(line));
  return async (request, info) => {
    const url = new URL(request.url);
    const route = routeOf(url.pathname);
    if (route.kind === "jwks") {
      if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
      return json(200, deps.jwks, { "cache-control": "public, max-age=600" });
    }
    if (route.kind === "auth") {
      if (!deps.authOrigin) {
        return json(404, {
          code: "NOT_FOUND",
          message: `No local Auth server for ${url.pathname}: the dev portal serves /auth/v1 ` +
            "(DEV_PORTAL=true), or set LOCAL_AUTH_URL",
        });
      }
      try {
        return await forwardHttp(request, { origin: deps.authOrigin, path: route.path }, undefined);
      } catch {
        if (request.signal.aborted) return new Response(null, { status: 499 });
        return json(503, {
          code: "AUTH_UNAVAILABLE",
          message: `The local Auth stand-in is not answering on ${deps.authOrigin}: is the dev ` +
            "portal running? (DEV_PORTAL=true npm start)",
        });
      }
    }
    if (route.kind !== "function") {
      return json(404, {
        code: "NOT_FOUND",
        message: route.kind === "no_function"
          ? "Name a function: /functions/v1/<function name>/..."
          : `No route for ${url.pathname}: functions are under /functions/v1/<function name>`,
      });
    }
    const target = deps.functions.get(route.name);
    if (!target) {
      return json(404, {
        code: "NOT_FOUND",
        message: `Requested function was not found: "${route.name}" is not served here ` +
          `(served: ${[...deps.functions.keys()].join(", ")})`,
      });
    }
    // Hosted skips the check for preflights: browsers send them without the Authorization header.
    if (target.verifyJwt && request.method !== "OPTIONS") {
      const refusal = await deps.gate(request.headers.get("authorization"));
      if (refusal) {
        return json(401, { code: 401, message: refusal.message, reason: refusal.reason });
      }
    }
    const clientAddress = info && "hostname" in info.remoteAddr
      ? info.remoteAddr.hostname
      : undefined;
    try {
      if (isWebSocketUpgrade(request)) {
        const upstream = `${target.origin.replace(/^http/, "ws")}${route.path}${url.search}`;
        const upgraded = await proxyWebSocket(request, upstream, clientAddress);
        if (upgraded) return upgraded;
        return unavailable(route.name, target, "did not accept the WebSocket upgrade");
      }
      return await forwardHttp(request, { origin: target.origin, path: route.path }, clientAddress);
    } catch (error: unknown) {
      if (request.signal.aborted) return new Response(null, { status: 499 });
      log(`[gateway] ${request.method} ${url.pathname} failed: ${String(error)}`);
      return unavailable(route.name, target, "is not answering");
    }
  };
}

function unavailable(name: string, target: GatewayFunction, what: string): Response {
  return json(503, {
    code: "FUNCTION_UNAVAILABLE",
    message: `Function "${name}" ${what} on ${target.origin}: is it running? (npm start serves it)`,
  });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...CORS, "content-type": "application/json", ...headers },
  });
}
