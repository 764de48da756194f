// Which part of the platform a request to the gateway is for, from its path alone. Pure.
//
// Hosted Supabase and the Supabase CLI route `/functions/v1/<name>/...` to the function and strip
// `/functions/v1` (Kong's `strip_path`), so the function sees `/<name>/...`: the Edge Runtime's
// main worker takes the name from the first segment and hands the request on unchanged. The
// gateway does the same, so a function's routing works the same here as deployed.

/** Where the signing keys are published, as on every Supabase project. */
export const JWKS_PATH = "/auth/v1/.well-known/jwks.json";
const AUTH_PREFIX = "/auth/v1";
const FUNCTIONS_PREFIX = "/functions/v1";
/** A function's name as `supabase functions new` accepts it (the folder name is the URL). */
const FUNCTION_NAME = /^[A-Za-z0-9_-]+$/;

export type GatewayRoute =
  /** The published JWKS. */
  | { kind: "jwks" }
  /** Any other Auth route (`/auth/v1/user`, `/auth/v1/token`, ...): the local Auth stand-in's. */
  | { kind: "auth"; path: string }
  /** A function: its name and the path it sees (`/<name>/...`, the query kept apart). */
  | { kind: "function"; name: string; path: string }
  /** Under /functions/v1 but with no function name in it. */
  | { kind: "no_function" }
  | { kind: "unknown" };

export function routeOf(pathname: string): GatewayRoute {
  if (pathname === JWKS_PATH) return { kind: "jwks" };
  if (pathname.startsWith(`${AUTH_PREFIX}/`)) return { kind: "auth", path: pathname };
  if (pathname !== FUNCTIONS_PREFIX && !pathname.startsWith(`${FUNCTIONS_PREFIX}/`)) {
    return { kind: "unknown" };
  }
  const path = pathname.slice(FUNCTIONS_PREFIX.length);
  const name = path.split("/")[1] ?? "";
  if (!FUNCTION_NAME.test(name)) return { kind: "no_function" };
  return { kind: "function", name, path };
}
