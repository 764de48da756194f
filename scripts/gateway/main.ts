// The local gateway (`npm start` runs it): the platform's URL layout on 127.0.0.1:54321, the port
// `supabase start` uses. Routes /functions/v1/<name>/... to each function's own local port and
// publishes the local signing key's JWKS at /auth/v1/.well-known/jwks.json. Local only: it lives
// under scripts/, which is never deployed.
import { z } from "zod";
import {
  ConfigError,
  parseEnv,
  port as functionPort,
} from "../../supabase/functions/_shared/platform/config.ts";
import { DEFAULT_SIGNING_KEYS_PATH, jwksOf, loadOrCreateSigningKey } from "../local_signing_key.ts";
import { readFunctionsConfig } from "./functions_config.ts";
import { createGatewayHandler, type GatewayFunction } from "./gateway_handler.ts";
import { createJwtGate } from "./jwt_gate.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

const envSchema = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(54321)
    .describe("a port number from 0 to 65535 (0: a free one)"),
  // The chat's port: CHAT_PORT, else WEBSOCKET_PORT, the name npm start gives it.
  CHAT_PORT: functionPort.optional().describe("a port number from 1 to 65535"),
  WEBSOCKET_PORT: functionPort.default(8080).describe("a port number from 1 to 65535"),
  INTERVIEWER_PORT: functionPort.default(8081).describe("a port number from 1 to 65535"),
  CLEANUP_PORT: functionPort.default(8082).describe("a port number from 1 to 65535"),
  DOCUMENTS_PORT: functionPort.default(8084).describe("a port number from 1 to 65535"),
  JWT_SECRET: z.string().min(32).optional().describe("an HS256 secret of 32 or more characters"),
  SIGNING_KEYS_PATH: z.string().default(DEFAULT_SIGNING_KEYS_PATH)
    .describe("the path of the local signing keys file"),
  // The local Auth stand-in behind /auth/v1 (the dev portal), when it runs.
  LOCAL_AUTH_URL: z.url({ protocol: /^https?$/ }).optional()
    .describe("the local Auth stand-in's http:// URL"),
  DEV_PORTAL: z.string().optional().describe('"true" or "false"'),
  DEV_PORTAL_PORT: functionPort.default(8083).describe("a port number from 1 to 65535"),
  SUPABASE_CONFIG_PATH: z.string().default(`${ROOT}supabase/config.toml`)
    .describe("the path of the Supabase CLI's config.toml"),
});

let env: z.infer<typeof envSchema>;
let functions: Map<string, GatewayFunction>;
try {
  env = parseEnv(envSchema, Deno.env.toObject());
  functions = servedFunctions(env);
} catch (error: unknown) {
  if (!(error instanceof ConfigError) && !(error instanceof TypeError)) throw error;
  console.error(`gateway: ${error.message}`);
  Deno.exit(1);
}

/** The functions config.toml declares and enables, each at the port its variable names. */
function servedFunctions(env: z.infer<typeof envSchema>): Map<string, GatewayFunction> {
  const ports: Record<string, number> = {
    chat: env.CHAT_PORT ?? env.WEBSOCKET_PORT,
    interviewer: env.INTERVIEWER_PORT,
    cleanup: env.CLEANUP_PORT,
    documents: env.DOCUMENTS_PORT,
  };
  const declared = readFunctionsConfig(
    Deno.readTextFileSync(env.SUPABASE_CONFIG_PATH),
    env.SUPABASE_CONFIG_PATH,
  );
  const served = new Map<string, GatewayFunction>();
  for (const [name, settings] of declared) {
    const port = ports[name];
    if (!settings.enabled || port === undefined) continue;
    served.set(name, {
      origin: `http://127.0.0.1:${port}`,
      verifyJwt: settings.verifyJwt,
    });
  }
  return served;
}

const signingKey = await loadOrCreateSigningKey(env.SIGNING_KEYS_PATH);
const jwks = jwksOf(signingKey);
const handler = createGatewayHandler({
  functions,
  gate: createJwtGate({ secret: env.JWT_SECRET, jwks }),
  jwks,
  authOrigin: env.LOCAL_AUTH_URL?.replace(/\/$/, "") ??
    (env.DEV_PORTAL === "true" ? `http://127.0.0.1:${env.DEV_PORTAL_PORT}` : undefined),
});

const server = Deno.serve({
  hostname: "127.0.0.1",
  port: env.GATEWAY_PORT,
  onListen: ({ port }) => {
    const lines = [...functions].map(([name, target]) =>
      `gateway: http://127.0.0.1:${port}/functions/v1/${name} -> ${target.origin}/${name}` +
      (target.verifyJwt ? " (verify_jwt)" : "")
    );
    const auth = env.LOCAL_AUTH_URL ??
      (env.DEV_PORTAL === "true" ? `http://127.0.0.1:${env.DEV_PORTAL_PORT}` : undefined);
    if (auth) {
      lines.push(`gateway: http://127.0.0.1:${port}/auth/v1 -> ${auth} (local Auth stand-in)`);
    }
    lines.push(`gateway: JWKS on http://127.0.0.1:${port}/auth/v1/.well-known/jwks.json`);
    console.error(lines.join("\n"));
  },
}, handler);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.addSignalListener(signal, async () => {
    // Open WebSockets would hold the shutdown; their clients reconnect and resume.
    await Promise.race([server.shutdown(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
    Deno.exit(0);
  });
}
