/**
 * `GET .../health` for a plain HTTP function whose database login must be able to do what the
 * function needs: 200 `healthy` with its login role, or 503 `unhealthy` with the reason (a
 * missing grant, or a database that does not answer). Every other request goes to the handler.
 */
import { describeError, type Logger } from "./logger.ts";
import { jsonResponse } from "./json_response.ts";
import { type LoginRoleCheck, missingReason, type RoleReport } from "./login_role_check.ts";
import { withTimeout } from "./with_timeout.ts";

export interface HealthRouteOptions {
  loginRole: LoginRoleCheck;
  log: Logger;
  /** Fields of the function's own, added to every health body. */
  fields?: () => Record<string, unknown>;
  /** Milliseconds the database gets to answer. Default 2000. */
  timeoutMs?: number;
}

export function withHealthRoute(
  handler: (request: Request) => Response | Promise<Response>,
  options: HealthRouteOptions,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const path = new URL(request.url).pathname.replace(/\/+$/, "");
    if (!path.endsWith("/health") || !["GET", "HEAD"].includes(request.method)) {
      return await handler(request);
    }
    const base = { ...options.fields?.(), timestamp: new Date().toISOString() };
    try {
      const report = await withTimeout(options.loginRole.report(), options.timeoutMs ?? 2_000);
      return loginRoleHealth(report, base);
    } catch (error: unknown) {
      options.log.warn("health_database_unavailable", { error: describeError(error) });
      return jsonResponse(503, {
        status: "unhealthy",
        reason: `The database did not answer: ${describeError(error)}`,
        ...base,
      });
    }
  };
}

/**
 * The health answer for what a login role may do: 200 `healthy`, or 503 `unhealthy` with the
 * reason (a missing grant), the function's own fields and the role's report beside it. The chat's
 * health uses it too.
 */
export function loginRoleHealth(
  report: RoleReport,
  fields: Record<string, unknown>,
  headers: HeadersInit = {},
): Response {
  const database = { role: report.role, missing: report.missing };
  const reason = missingReason(report);
  return reason
    ? jsonResponse(503, { status: "unhealthy", reason, ...fields, database }, headers)
    : jsonResponse(200, { status: "healthy", ...fields, database }, headers);
}
