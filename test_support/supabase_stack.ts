// The stack a supabase-js app sees, locally: the chat (with the engine-backed AI service) and the
// dev portal's Auth stand-in behind the gateway on a free port, so that a supabase-js client made
// with the gateway's URL finds the chat at /functions/v1/chat and Auth at /auth/v1. Plus a
// supabase-js client whose session is stored as the library stores it, so that getSession needs
// no Auth server.
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { type EngineAiService, startEngineAiService } from "./engine_ai_service.ts";
import { startGateway } from "./gateway.ts";
import {
  adminSql,
  chatEnv,
  DB_URL,
  freePort,
  type FunctionProcess,
  JWT_SECRET,
  startDenoProcess,
  startFunction,
} from "./local_stack.ts";
import type postgres from "postgres";

export interface SupabaseStack {
  sql: postgres.Sql;
  /** The project URL: the gateway, `http://127.0.0.1:<port>`. */
  supabaseUrl: string;
  /** The dev portal, for POST /dev/session. */
  portalUrl: string;
  /** Signs a new user in through the portal: the session as GoTrue returns it. */
  signIn(email?: string): Promise<StoredSession>;
  logs(): string[];
}

/** A session as supabase-js keeps it under its storage key. */
export interface StoredSession {
  access_token: string;
  token_type: string;
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: { id: string; email: string; [key: string]: unknown };
}

export async function withSupabaseStack(run: (stack: SupabaseStack) => Promise<void>) {
  const sql = adminSql();
  const ai: EngineAiService = startEngineAiService();
  const processes: FunctionProcess[] = [];
  try {
    const chat = await startFunction("chat", chatEnv(ai.url));
    processes.push(chat);
    const portalPort = freePort();
    const portal = await startDenoProcess("scripts/dev_portal.ts", {
      ...chatEnv(ai.url),
      DEV_PORTAL: "true",
      DEV_PORTAL_PORT: String(portalPort),
      SUPABASE_DB_URL: DB_URL,
      JWT_SECRET,
      DEV_TOKEN_ALG: "HS256",
    }, { port: portalPort });
    processes.push(portal);
    const gateway = await startGateway({ chat: chat.port }, { LOCAL_AUTH_URL: portal.baseUrl });
    processes.push(gateway);
    await run({
      sql,
      supabaseUrl: gateway.baseUrl,
      portalUrl: portal.baseUrl,
      async signIn(email = `app-${crypto.randomUUID().slice(0, 8)}@example.test`) {
        const response = await fetch(`${portal.baseUrl}/dev/session`, {
          method: "POST",
          body: JSON.stringify({ email }),
        });
        if (!response.ok) throw new Error(`sign-in failed: ${await response.text()}`);
        return await response.json();
      },
      logs: () => processes.flatMap((process) => process.logs.slice(-20)),
    });
  } finally {
    for (const process of processes.reverse()) await process.stop();
    await ai.close();
    await sql.end();
  }
}

/** supabase-js's storage key for a project URL (`sb-<first label of the host>-auth-token`). */
export function storageKeyOf(supabaseUrl: string): string {
  return `sb-${new URL(supabaseUrl).hostname.split(".")[0]}-auth-token`;
}

/**
 * A supabase-js client that finds `session` in its storage, as after a sign-in on this device:
 * getSession reads it, no Auth server asked. No timer of its own (autoRefreshToken off), so a
 * test refreshes with `auth.refreshSession()`.
 */
export function clientWithStoredSession(
  supabaseUrl: string,
  session: StoredSession,
): SupabaseClient {
  const store = new Map([[storageKeyOf(supabaseUrl), JSON.stringify(session)]]);
  return createClient(supabaseUrl, "local-anon-key", {
    auth: {
      storage: {
        getItem: (key) => store.get(key) ?? null,
        setItem: (key, value) => void store.set(key, value),
        removeItem: (key) => void store.delete(key),
      },
      persistSession: true,
      autoRefreshToken: false,
      detectSessionInUrl: false,
    },
  });
}
