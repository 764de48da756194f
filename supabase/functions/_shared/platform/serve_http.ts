/**
 * Serves a plain HTTP function: under the Edge Runtime the platform picks the port; under plain
 * Deno it listens on `hostname` and `port` and, on SIGTERM or SIGINT, stops taking requests, closes `sql` and
 * exits.
 */
import type { Sql } from "./database.ts";
import type { Logger } from "./logger.ts";

declare const EdgeRuntime: unknown;

export function serveHttp(
  handler: (request: Request) => Response | Promise<Response>,
  options: { port: number; hostname: string; name: string; log: Logger; sql: Sql },
): void {
  if (typeof EdgeRuntime !== "undefined") {
    Deno.serve(handler);
    return;
  }
  const server = Deno.serve({
    port: options.port,
    hostname: options.hostname,
    onListen: ({ hostname, port }) =>
      options.log.info(`${options.name}_listening`, { hostname, port }),
  }, handler);
  const stop = async () => {
    await server.shutdown();
    await options.sql.end({ timeout: 5 });
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
}
