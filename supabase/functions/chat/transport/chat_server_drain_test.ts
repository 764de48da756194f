// The drain's race with a handshake in progress, on a real socket: a connection whose handshake
// passed just as the drain began opens after the drain closed the others. Before, it was never
// closed by the drain and the process exited under it (the client saw 1006, not 1012).
import assert from "node:assert/strict";
import { createLogger } from "../../_shared/platform/logger.ts";
import type { TokenVerifier, VerifiedToken } from "../../_shared/platform/token_verifier.ts";
import type { NextQuestionSource } from "../ports/next_question_source.ts";
import type { SessionStore, TemplateRecord } from "../ports/session_store.ts";
import { ChatServer } from "./chat_server.ts";

const TEMPLATE_ID = "a0000000-0000-4000-8000-000000000001";
const USER_ID = "b0000000-0000-4000-8000-000000000001";

const template: TemplateRecord = {
  id: TEMPLATE_ID,
  slug: "drain-test",
  name: "Drain test",
  description: "",
  questions: [{ id: "q1", text: "Name?", type: "short_text" }],
  body: "{{q1}}",
  version: 1,
  hash: "0".repeat(64),
};

Deno.test("a socket that opens after the drain began gets 1012, and the drain waits for it", async () => {
  let verifying!: () => void;
  const verified = new Promise<void>((resolve) => (verifying = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const verifier: TokenVerifier = {
    async verify(): Promise<VerifiedToken> {
      verifying();
      await released;
      return {
        userId: USER_ID,
        role: "authenticated",
        expiresAt: Date.now() + 3_600_000,
        claims: { sub: USER_ID, role: "authenticated" },
      };
    },
  };
  const untouched = () => {
    throw new Error("a drained connection touches no session");
  };
  // Only the handshake's template lookup may run: the socket opens after the drain began.
  const store = new Proxy({ findTemplate: () => Promise.resolve(template) }, {
    get: (target, name) => name in target ? target[name as keyof typeof target] : untouched,
  }) as unknown as SessionStore;
  const questions = { next: untouched } as unknown as NextQuestionSource;
  const lines: string[] = [];
  const server = new ChatServer({
    verifier,
    store,
    questions,
    log: createLogger({ write: (line) => lines.push(line) }),
    instanceId: "drain-test",
  });
  const http = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, server.handle);
  try {
    const socket = new WebSocket(
      `ws://127.0.0.1:${http.addr.port}/chat?templateId=${TEMPLATE_ID}`,
      ["chat.v1", "jwt-any"],
    );
    const closed = new Promise<number>((resolve) => (socket.onclose = (e) => resolve(e.code)));
    await verified; // the handshake is under way, before any drain
    const order: string[] = [];
    const drained = server.drain(50).then(() => order.push("drained"));
    release();
    const code = await closed;
    order.push("closed");
    await drained;
    assert.deepEqual(code, 1012, "sent to another instance, to resume there");
    assert.deepEqual(order, ["closed", "drained"], "the drain ended only once the socket closed");
    assert.ok(
      !lines.some((line) => line.includes('"connection_opened"')),
      "nothing was opened or claimed here",
    );
  } finally {
    await http.shutdown();
  }
});
