// The WebSocket proxy over real sockets: an upstream server and the gateway's handler, each on a
// free loopback port in this process.
import assert from "node:assert/strict";
import { createGatewayHandler } from "./gateway_handler.ts";
import { callerCloseCode, upstreamCloseCode } from "./websocket_proxy.ts";

interface Upstream {
  port: number;
  seen: { path: string; protocols: string | null; authorization: string | null }[];
  closes: { code: number; reason: string }[];
  server: Deno.HttpServer;
}

/** Echoes every frame; "close:<code>" makes it close with that code. */
function startUpstream(): Upstream {
  const upstream: Omit<Upstream, "port" | "server"> = { seen: [], closes: [] };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const url = new URL(request.url);
    upstream.seen.push({
      path: `${url.pathname}${url.search}`,
      protocols: request.headers.get("sec-websocket-protocol"),
      authorization: request.headers.get("authorization"),
    });
    const { socket, response } = Deno.upgradeWebSocket(request, { protocol: "chat.v2" });
    socket.onopen = () => socket.send("hello from the function");
    socket.onmessage = (event) => {
      const text = typeof event.data === "string" ? event.data : "";
      const close = /^close:(\d+)$/.exec(text);
      if (close) socket.close(Number(close[1]), `closing with ${close[1]}`);
      else socket.send(event.data);
    };
    socket.onclose = (event) => upstream.closes.push({ code: event.code, reason: event.reason });
    return response;
  });
  return { ...upstream, port: server.addr.port, server };
}

function open(url: string, protocols: string[]) {
  const socket = new WebSocket(url, protocols);
  socket.binaryType = "arraybuffer";
  const frames: (string | ArrayBuffer)[] = [];
  const waiters: (() => void)[] = [];
  socket.onmessage = (event) => {
    frames.push(event.data);
    waiters.splice(0).forEach((wake) => wake());
  };
  const closed = new Promise<CloseEvent>((resolve) => (socket.onclose = resolve));
  const opened = new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error("the socket did not open"));
  });
  const next = async () => {
    while (frames.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    return frames.shift()!;
  };
  return { socket, opened, closed, next };
}

Deno.test("the gateway's WebSocket proxy", async (t) => {
  const upstream = startUpstream();
  const gateway = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    createGatewayHandler({
      functions: new Map([["chat", {
        origin: `http://127.0.0.1:${upstream.port}`,
        verifyJwt: false,
      }]]),
      gate: () => Promise.resolve(undefined),
      jwks: { keys: [] },
      log: () => {},
    }),
  );
  const base = `ws://127.0.0.1:${gateway.addr.port}/functions/v1/chat`;
  try {
    await t.step(
      "the function sees /<name>/..., the query and the offered subprotocols",
      async () => {
        const client = open(`${base}/x?templateId=abc`, ["chat.v2", "jwt-token"]);
        await client.opened;
        assert.equal(client.socket.protocol, "chat.v2");
        assert.equal(await client.next(), "hello from the function");
        assert.deepEqual(upstream.seen.at(-1), {
          path: "/chat/x?templateId=abc",
          protocols: "chat.v2, jwt-token",
          authorization: null,
        });
        client.socket.close(1000, "done");
        await client.closed;
      },
    );

    await t.step("text and binary frames cross in both directions, in order", async () => {
      const client = open(base, ["chat.v2"]);
      await client.opened;
      assert.equal(await client.next(), "hello from the function");
      for (let i = 0; i < 20; i++) client.socket.send(`frame ${i}`);
      client.socket.send(new Uint8Array([0, 1, 2, 255]));
      for (let i = 0; i < 20; i++) assert.equal(await client.next(), `frame ${i}`);
      assert.deepEqual([...new Uint8Array(await client.next() as ArrayBuffer)], [0, 1, 2, 255]);
      client.socket.close(1000);
      await client.closed;
    });

    for (const code of [1000, 1008, 1011, 1012, 1013, 4001, 4500, 4504, 4509]) {
      await t.step(`the function's close code ${code} and reason reach the caller`, async () => {
        const client = open(base, ["chat.v2"]);
        await client.opened;
        await client.next();
        client.socket.send(`close:${code}`);
        const closed = await client.closed;
        assert.deepEqual([closed.code, closed.reason], [code, `closing with ${code}`]);
      });
    }

    await t.step("the caller's close code and reason reach the function", async () => {
      const client = open(base, ["chat.v2"]);
      await client.opened;
      await client.next();
      const before = upstream.closes.length;
      client.socket.close(4321, "caller leaves");
      await client.closed;
      for (let i = 0; i < 100 && upstream.closes.length === before; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.deepEqual(upstream.closes.at(-1), { code: 4321, reason: "caller leaves" });
    });

    await t.step("a malformed upgrade is 400 and leaves no socket open upstream", async () => {
      const before = upstream.closes.length;
      const response = await fetch(`http://127.0.0.1:${gateway.addr.port}/functions/v1/chat`, {
        // No sec-websocket-key: the function accepts (its side is the gateway's own client), the
        // caller's handshake cannot be answered.
        headers: {
          upgrade: "websocket",
          connection: "Upgrade",
          "sec-websocket-protocol": "chat.v2",
        },
      });
      assert.equal(response.status, 400);
      const body = await response.json();
      assert.equal(body.code, "BAD_UPGRADE");
      assert.match(body.message, /^Not a valid WebSocket upgrade: /);
      for (let i = 0; i < 100 && upstream.closes.length === before; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(upstream.closes.length, before + 1, "the function's side was closed");
    });

    await t.step("a function that is not running answers 503 instead of an upgrade", async () => {
      const dead = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen() {} },
        createGatewayHandler({
          functions: new Map([["chat", { origin: "http://127.0.0.1:9", verifyJwt: false }]]),
          gate: () => Promise.resolve(undefined),
          jwks: { keys: [] },
          log: () => {},
        }),
      );
      try {
        const response = await fetch(`http://127.0.0.1:${dead.addr.port}/functions/v1/chat`, {
          headers: {
            upgrade: "websocket",
            connection: "Upgrade",
            "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
            "sec-websocket-version": "13",
          },
        });
        assert.equal(response.status, 503);
        assert.equal((await response.json()).code, "FUNCTION_UNAVAILABLE");
      } finally {
        await dead.shutdown();
      }
    });
  } finally {
    await gateway.shutdown();
    await upstream.server.shutdown();
  }
});

Deno.test("close codes a proxy cannot send as they are", () => {
  // The function's 1006 (no close frame) becomes 1011 for the caller; 1005 a close without code.
  assert.equal(callerCloseCode(1006), 1011);
  assert.equal(callerCloseCode(1005), undefined);
  assert.equal(callerCloseCode(1012), 1012);
  // Deno's client sends only 1000 and 3000-4999 upstream.
  assert.equal(upstreamCloseCode(1001), undefined);
  assert.equal(upstreamCloseCode(1000), 1000);
  assert.equal(upstreamCloseCode(4000), 4000);
});
