// Every function listens on loopback unless BIND_ADDRESS says otherwise: a development machine on
// a shared network exposes nothing. Read from the kernel's own table of listening sockets
// (/proc/net/tcp), so no traffic leaves loopback to prove it.
import assert from "node:assert/strict";
import {
  chatEnv,
  functionDatabaseEnv,
  JWT_SECRET,
  startFunction,
} from "../../../../../test_support/local_stack.ts";
import { interviewerEnv } from "../../../../../test_support/interviewer.ts";

/** The local IPv4 address a socket listens on at `port`, as /proc/net/tcp writes it. */
async function listeningAddress(port: number): Promise<string | undefined> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const line of (await Deno.readTextFile("/proc/net/tcp")).split("\n").slice(1)) {
    const [, local, , state] = line.trim().split(/\s+/);
    if (state !== "0A" || !local?.endsWith(`:${hexPort}`)) continue; // 0A: LISTEN
    const hex = local.slice(0, 8);
    return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(".");
  }
  return undefined;
}

const envs: Record<string, () => Record<string, string>> = {
  chat: () => chatEnv("http://127.0.0.1:9"),
  documents: () => chatEnv("http://127.0.0.1:9", functionDatabaseEnv("documents")),
  interviewer: () => interviewerEnv(),
  cleanup: () =>
    chatEnv("http://127.0.0.1:9", {
      ...functionDatabaseEnv("cleanup"),
      SUPABASE_SERVICE_ROLE_KEY: "bind-test-key-0123456789",
    }),
};

for (const [name, env] of Object.entries(envs)) {
  Deno.test(`the ${name} function listens on 127.0.0.1 unless BIND_ADDRESS says otherwise`, async (t) => {
    for (const [bind, expected] of [[undefined, "127.0.0.1"], ["0.0.0.0", "0.0.0.0"]] as const) {
      await t.step(`BIND_ADDRESS ${bind ?? "unset"}: ${expected}`, async () => {
        const server = await startFunction(
          name,
          { ...env(), JWT_SECRET, ...(bind ? { BIND_ADDRESS: bind } : {}) },
          "/",
        );
        try {
          assert.equal(await listeningAddress(server.port), expected, server.logs.join("\n"));
        } finally {
          await server.stop();
        }
      });
    }
  });
}
