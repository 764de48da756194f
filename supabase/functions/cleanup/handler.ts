import { createLogger, type Logger } from "../_shared/platform/logger.ts";
import { jsonResponse } from "../_shared/platform/json_response.ts";
import type { ServiceRoleCheck } from "./service_role_auth.ts";
import type { StaleSessionPurge } from "./stale_session_purge.ts";
import { BodyError, parseCleanupRequest } from "./request_body.ts";

export interface CleanupHandlerOptions {
  /** Decides whether the request's apikey or Authorization header carries the service role. */
  authorize: (headers: Headers) => Promise<ServiceRoleCheck>;
  purge: StaleSessionPurge;
  /** Rows per batch when the request does not say. */
  batchSize: number;
  /** A run stops starting new batches after this long and answers `complete: false`. */
  timeBudgetMs: number;
  /** Receives one `cleanup_run` event per request. */
  log?: Logger;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

const MAX_BODY_BYTES = 4096;

/**
 * The cleanup function: `POST` with the service role purges stale sessions in batches (or, with
 * `dryRun`, counts them) and answers `{ deleted, cutoff, dryRun, ... }`. Every request, refused
 * or not, logs exactly one JSON line.
 */
export function createCleanupHandler(
  options: CleanupHandlerOptions,
): (request: Request) => Promise<Response> {
  const log = options.log ?? createLogger({ base: { service: "cleanup" } });
  const now = options.now ?? Date.now;

  return async (request) => {
    const started = now();
    const finish = (status: number, body: Record<string, unknown>, fields = {}) => {
      const level = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
      log[level]("cleanup_run", { status, ...fields, durationMs: now() - started });
      const headers = new Headers();
      if (status === 405) headers.set("allow", "POST");
      if (status === 401) headers.set("www-authenticate", 'Bearer realm="cleanup"');
      return jsonResponse(status, body, headers);
    };

    if (request.method !== "POST") {
      return finish(405, { error: `Method ${request.method} is not allowed: use POST` }, {
        reason: "method",
      });
    }

    const auth = await options.authorize(request.headers);
    if (!auth.ok) {
      return finish(auth.status, { error: auth.message, code: auth.reason }, {
        reason: auth.reason,
      });
    }

    const text = await request.text();
    if (new TextEncoder().encode(text).length > MAX_BODY_BYTES) {
      return finish(413, { error: `Body is larger than ${MAX_BODY_BYTES} bytes` }, {
        reason: "body_too_large",
      });
    }
    let body;
    try {
      body = parseCleanupRequest(text);
    } catch (error: unknown) {
      if (!(error instanceof BodyError)) throw error;
      return finish(400, { error: error.message }, { reason: "invalid_body", via: auth.via });
    }

    const { dryRun, maxAgeHours } = body;
    const batchSize = body.batchSize ?? options.batchSize;
    const run: Record<string, unknown> = { via: auth.via, dryRun, maxAgeHours, batchSize };
    let deleted = 0;
    let batches = 0;
    try {
      const cutoff = await options.purge.cutoff(maxAgeHours);
      run.cutoff = cutoff;
      if (dryRun) {
        const stale = await options.purge.countStale(cutoff);
        return finish(200, { deleted: 0, stale, cutoff, dryRun, maxAgeHours }, {
          ...run,
          deleted: 0,
          stale,
        });
      }
      let complete = false;
      while (!complete && (batches === 0 || now() - started < options.timeBudgetMs)) {
        const removed = await options.purge.purgeBatch(cutoff, batchSize);
        batches += 1;
        deleted += removed;
        complete = removed < batchSize;
      }
      return finish(200, { deleted, cutoff, dryRun, maxAgeHours, batches, complete }, {
        ...run,
        deleted,
        batches,
        complete,
      });
    } catch (error: unknown) {
      // Batches already done are committed: say how many went before the failure.
      return finish(500, { error: "The purge failed; see the function's logs", deleted }, {
        ...run,
        deleted,
        batches,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  };
}
