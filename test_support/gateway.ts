// The local gateway (scripts/gateway/main.ts) started as its own process on a free port, never
// 54321, so that tests run beside `npm start` and beside each other.
import { freePort, type FunctionProcess, JWT_SECRET, startDenoProcess } from "./local_stack.ts";

export interface GatewayPorts {
  chat?: number;
  documents?: number;
  interviewer?: number;
  cleanup?: number;
}

/** A gateway routing to the given function ports; a function without one points at a dead port. */
export function startGateway(
  ports: GatewayPorts,
  env: Record<string, string> = {},
  port = freePort(),
): Promise<FunctionProcess> {
  const portOf = (given: number | undefined) => String(given ?? freePort());
  return startDenoProcess("scripts/gateway/main.ts", {
    GATEWAY_PORT: String(port),
    CHAT_PORT: portOf(ports.chat),
    DOCUMENTS_PORT: portOf(ports.documents),
    INTERVIEWER_PORT: portOf(ports.interviewer),
    CLEANUP_PORT: portOf(ports.cleanup),
    JWT_SECRET,
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
    ...env,
  }, { port, readyPath: "/auth/v1/.well-known/jwks.json" });
}
