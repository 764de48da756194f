// The dev portal: the demo page of the chat client on http://127.0.0.1:8083, started by
// `npm start` when DEV_PORTAL=true. Local development only: it lives under scripts/, so it is
// never deployed, listens on the loopback interface only, and signs users in (POST /dev/session,
// POST /dev/token, and the Auth stand-in the gateway forwards /auth/v1 to) only for a database on
// this machine.
import postgres from "postgres";
import { z } from "zod";
import {
  ConfigError,
  httpUrl,
  JWT_ISSUER_FORM,
  jwtIssuer,
  parseEnv,
} from "../supabase/functions/_shared/platform/config.ts";
import { issuerOf } from "../supabase/functions/_shared/platform/token_verifier.ts";
import { devTokenAlgorithm, isLoopbackDatabase, issueAnonKey, issueDevToken } from "./dev_auth.ts";
import { createLocalAuth } from "./dev_auth_routes.ts";
import { createJwtGate } from "./gateway/jwt_gate.ts";
import { DEFAULT_SIGNING_KEYS_PATH, jwksOf, loadOrCreateSigningKey } from "./local_signing_key.ts";
import { createDevPortalHandler } from "./dev_portal_handler.ts";

const ROOT = new URL("../", import.meta.url).pathname;

const envSchema = z.object({
  DEV_PORTAL: z.literal("true").describe('"true" (the local stack turns the portal on)'),
  DEV_PORTAL_PORT: z.coerce.number().int().min(1).max(65535).default(8083)
    .describe("a port number from 1 to 65535"),
  // The chat is reached through the local gateway, at its platform URL.
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(54321)
    .describe("a port number from 1 to 65535"),
  // The project URL of the page's supabase-js client: the gateway.
  DEV_PORTAL_SUPABASE_URL: z.url({ protocol: /^https?$/ }).optional()
    .describe("the project's http:// or https:// URL (the gateway's)"),
  DEV_PORTAL_CHAT_URL: z.url({ protocol: /^wss?$/ }).optional()
    .describe("the chat function's ws:// or wss:// URL"),
  DEV_PORTAL_DOCUMENTS_URL: z.url({ protocol: /^https?$/ }).optional()
    .describe("the functions' http:// or https:// base URL (<project URL>/functions/v1)"),
  DEV_PORTAL_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(500).default(10_000)
    .describe("milliseconds of silence before the page pings the chat, 500 or more"),
  DEV_PORTAL_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().min(500).default(5_000)
    .describe("milliseconds the page waits for a frame after its ping, 500 or more"),
  SUPABASE_DB_URL: z.string().regex(/^postgres(ql)?:\/\/.+/).describe("a postgres:// URL"),
  JWT_SECRET: z.string().min(32).describe("an HS256 secret of 32 or more characters"),
  // The issuer the functions expect, so that they accept the portal's tokens.
  SUPABASE_URL: httpUrl.default("http://127.0.0.1:54321").describe("the project's http(s) URL"),
  JWT_ISSUER: jwtIssuer.optional().describe(JWT_ISSUER_FORM),
  DEV_TOKEN_TTL: z.string().regex(/^\d+[smhd]$/).default("1h")
    .describe('a duration such as "15m" or "1h"'),
  DEV_TOKEN_ALG: z.enum(["ES256", "HS256"]).default("ES256")
    .describe("ES256 (the local signing key) or HS256 (JWT_SECRET)"),
  SIGNING_KEYS_PATH: z.string().default(DEFAULT_SIGNING_KEYS_PATH)
    .describe("the path of the local signing keys file"),
});

let env: z.infer<typeof envSchema>;
try {
  env = parseEnv(envSchema, Deno.env.toObject());
} catch (error: unknown) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`dev portal: ${error.message}`);
  Deno.exit(1);
}

// Tokens as a new hosted project's Auth signs them: ES256 with the key the gateway publishes.
const signingKey = devTokenAlgorithm(env.DEV_TOKEN_ALG) === "ES256"
  ? await loadOrCreateSigningKey(env.SIGNING_KEYS_PATH)
  : undefined;
const sql = postgres(env.SUPABASE_DB_URL, { max: 4, prepare: false, onnotice: () => {} });
const tokensAllowed = isLoopbackDatabase(env.SUPABASE_DB_URL);
if (!tokensAllowed) {
  console.error("dev portal: the database is not on this machine; POST /dev/token is off");
}

const issuer = env.JWT_ISSUER ?? issuerOf(env.SUPABASE_URL);
const issueToken = (email: string) =>
  issueDevToken(sql, {
    secret: env.JWT_SECRET,
    signingKey,
    issuer,
    email,
    expiresIn: env.DEV_TOKEN_TTL,
  });
const supabaseUrl = (env.DEV_PORTAL_SUPABASE_URL ?? `http://127.0.0.1:${env.GATEWAY_PORT}`)
  .replace(/\/$/, "");
const handler = createDevPortalHandler({
  supabaseUrl,
  anonKey: await issueAnonKey({ secret: env.JWT_SECRET, signingKey, issuer }),
  chatUrl: env.DEV_PORTAL_CHAT_URL ?? `${supabaseUrl.replace(/^http/, "ws")}/functions/v1/chat`,
  documentsUrl: env.DEV_PORTAL_DOCUMENTS_URL ?? `${supabaseUrl}/functions/v1`,
  // What stands in for Supabase Auth locally (docs/client.md): sessions for the page's supabase-js.
  auth: tokensAllowed
    ? createLocalAuth({
      issueToken,
      gate: createJwtGate({
        secret: env.JWT_SECRET,
        jwks: signingKey ? jwksOf(signingKey) : undefined,
      }),
      refreshSecret: env.JWT_SECRET,
    })
    : undefined,
  heartbeat: {
    intervalMs: env.DEV_PORTAL_HEARTBEAT_INTERVAL_MS,
    timeoutMs: env.DEV_PORTAL_HEARTBEAT_TIMEOUT_MS,
  },
  issueToken: tokensAllowed ? issueToken : undefined,
  readFile: (path) => Deno.readFile(`${ROOT}${path}`),
  bundle: createBundler(),
});

/**
 * Compiles a client module for the browser with `deno bundle` (esbuild inside Deno), cached
 * until a file under client/ or supabase/functions/_shared/ (the document renderer the page
 * imports) changes, so editing either and reloading the page is enough.
 */
function createBundler(): (path: string) => Promise<string> {
  const cache = new Map<string, { stamp: number; code: string }>();
  return async (path) => {
    const stamp = Math.max(
      await newestChange(`${ROOT}client`),
      await newestChange(`${ROOT}supabase/functions/_shared`),
    );
    const cached = cache.get(path);
    if (cached && cached.stamp === stamp) return cached.code;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--platform", "browser", `${ROOT}${path}`],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(`Cannot bundle "${path}": ${new TextDecoder().decode(output.stderr)}`);
    }
    const code = new TextDecoder().decode(output.stdout);
    cache.set(path, { stamp, code });
    return code;
  };
}

/** The latest modification time of a file under a folder, in milliseconds. */
async function newestChange(folder: string): Promise<number> {
  let newest = 0;
  for await (const entry of Deno.readDir(folder)) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory) newest = Math.max(newest, await newestChange(path));
    else if (entry.isFile) newest = Math.max(newest, (await Deno.stat(path)).mtime?.getTime() ?? 0);
  }
  return newest;
}

const server = Deno.serve({
  hostname: "127.0.0.1",
  port: env.DEV_PORTAL_PORT,
  onListen: ({ port }) => console.error(`dev portal: demo page on http://127.0.0.1:${port}/`),
}, handler);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.addSignalListener(signal, async () => {
    await server.shutdown();
    await sql.end({ timeout: 2 });
    Deno.exit(0);
  });
}
