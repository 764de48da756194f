import assert from "node:assert/strict";
import {
  BodyTooLargeError,
  DeadlineError,
  KeepAliveClient,
  keepAliveEligible,
} from "./keep_alive_http.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A real TCP server that reads each request whole (head and Content-Length body) and answers with
 * the raw bytes `answer` returns for it: a way to send what Deno.serve never would (chunks split
 * anywhere, a close without a length, an interim response). `null` closes the connection.
 */
type Reply = string | null | { text: string; thenClose: true };

function rawServer(answer: (request: string, n: number) => Reply | Promise<Reply>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const requests: string[] = [];
  const conns = new Set<Deno.Conn>();
  let accepted = 0;
  (async () => {
    for await (const conn of listener) {
      accepted++;
      conns.add(conn);
      (async () => {
        let pending = "";
        const buffer = new Uint8Array(65_536);
        try {
          for (;;) {
            const n = await conn.read(buffer);
            if (n === null) break;
            pending += decoder.decode(buffer.subarray(0, n));
            const end = pending.indexOf("\r\n\r\n");
            if (end < 0) continue;
            const length = Number(/content-length: (\d+)/i.exec(pending)?.[1] ?? 0);
            if (pending.length < end + 4 + length) continue;
            const request = pending.slice(0, end + 4 + length);
            pending = pending.slice(end + 4 + length);
            requests.push(request);
            const reply = await answer(request, requests.length);
            if (reply === null) break;
            await conn.write(encoder.encode(typeof reply === "string" ? reply : reply.text));
            if (typeof reply !== "string") break;
          }
        } catch {
          // the client closed
        } finally {
          conns.delete(conn);
          try {
            conn.close();
          } catch { /* closed */ }
        }
      })();
    }
  })();
  const { port } = listener.addr as Deno.NetAddr;
  return {
    url: new URL(`http://127.0.0.1:${port}/v1/chat/next-question?x=1`),
    requests,
    accepted: () => accepted,
    /** Closes the server's side of every open connection, as an idle timeout does. */
    dropConnections() {
      for (const conn of conns) conn.close();
      conns.clear();
    },
    close() {
      listener.close();
      for (const conn of conns) conn.close();
    },
  };
}

const json = (body: string, extra = "") =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${
    encoder.encode(body).byteLength
  }\r\n${extra}\r\n${body}`;

function client(url: URL, maxResponseBytes = 1_000) {
  return new KeepAliveClient(url, { Authorization: "Bearer k" }, { maxResponseBytes });
}

const soon = () => performance.now() + 2_000;

Deno.test("the keep-alive HTTP client", async (t) => {
  await t.step(
    "posts the body with its length and headers, and reuses the connection",
    async () => {
      const server = rawServer(() => json('{"ok":true}'));
      const http = client(server.url);
      try {
        for (let i = 0; i < 3; i++) {
          const response = await http.post(`{"n":${i}}`, soon());
          assert.equal(response.status, 200);
          assert.equal(response.text, '{"ok":true}');
          assert.equal(response.headers.get("content-type"), "application/json");
        }
        assert.equal(server.accepted(), 1, "three calls, one connection");
        const [head, body] = server.requests[2]!.split("\r\n\r\n");
        assert.match(head!, /^POST \/v1\/chat\/next-question\?x=1 HTTP\/1\.1\r\n/);
        assert.match(head!, /\r\nHost: 127\.0\.0\.1:\d+\r\n/);
        assert.match(head!, /\r\nAuthorization: Bearer k\r\n/);
        assert.match(head!, /\r\nContent-Length: 7$/);
        assert.equal(body, '{"n":2}');
      } finally {
        http.close();
        server.close();
      }
    },
  );

  await t.step(
    "reads a chunked body with an extension and a trailer, after an interim response",
    async () => {
      const server = rawServer(() =>
        "HTTP/1.1 103 Early Hints\r\nlink: </x>\r\n\r\n" +
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n" +
        '4\r\n{"a"\r\n6;ext=1\r\n:"é"}\r\n0\r\ntrailer: x\r\n\r\n'
      );
      const http = client(server.url);
      try {
        const response = await http.post("{}", soon());
        assert.equal(response.text, '{"a":"é"}');
        assert.equal((await http.post("{}", soon())).text, '{"a":"é"}');
        assert.equal(server.accepted(), 1, "a chunked response leaves the connection reusable");
      } finally {
        http.close();
        server.close();
      }
    },
  );

  await t.step(
    "sends every body whole as UTF-8, longer and shorter ones in turn on one connection",
    async () => {
      // A real HTTP server reads each body by its Content-Length and says what it got.
      const server = Deno.serve({
        hostname: "127.0.0.1",
        port: 0,
        onListen: () => {},
      }, async (request, info) => {
        const bytes = new Uint8Array(await request.arrayBuffer());
        return Response.json({
          length: Number(request.headers.get("content-length")),
          bytes: bytes.byteLength,
          text: decoder.decode(bytes),
          remote: `${info.remoteAddr.hostname}:${info.remoteAddr.port}`,
        });
      });
      const http = client(new URL(`http://127.0.0.1:${server.addr.port}/next`), 1_000_000);
      const remotes = new Set<string>();
      try {
        const bodies = [
          JSON.stringify({ answer: "Jürgen Müller, 東京, 🙂" }),
          JSON.stringify({ answer: "x".repeat(100_000) }), // past what a connection keeps
          JSON.stringify({ answer: "é".repeat(30_000) }), // 2 bytes a unit
          '{"n":1}',
          JSON.stringify({ answer: "🙂".repeat(9_000) }), // 4 bytes a pair
        ];
        for (const body of bodies) {
          const response = await http.post(body, soon());
          const got = JSON.parse(response.text);
          assert.equal(got.text, body);
          assert.equal(got.bytes, encoder.encode(body).byteLength);
          assert.equal(got.length, got.bytes, "Content-Length counts the UTF-8 bytes");
          remotes.add(got.remote);
        }
        assert.equal(remotes.size, 1, "one connection for all five");
      } finally {
        http.close();
        await server.shutdown();
      }
    },
  );

  await t.step("reads a body without a length to the close, then connects again", async () => {
    const server = rawServer(() => ({
      text: "HTTP/1.1 500 Oops\r\n\r\nno length",
      thenClose: true,
    }));
    const http = client(server.url);
    try {
      for (let i = 0; i < 2; i++) {
        const response = await http.post("{}", soon());
        assert.equal(response.status, 500);
        assert.equal(response.text, "no length");
      }
      assert.equal(server.accepted(), 2, "a body read to the close ends its connection");
    } finally {
      http.close();
      server.close();
    }
  });

  await t.step("retries once on a new connection when a reused one was closed idle", async () => {
    const server = rawServer(() => json("{}"));
    const http = client(server.url);
    try {
      await http.post("{}", soon());
      server.dropConnections();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const response = await http.post("{}", soon());
      assert.equal(response.status, 200);
      assert.equal(server.accepted(), 2);
    } finally {
      http.close();
      server.close();
    }
  });

  await t.step("refuses a declared or a chunked body over the limit", async () => {
    const declared = rawServer(() => "HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n");
    const chunked = rawServer(() =>
      `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n${"400\r\n" + "x".repeat(1024)}\r\n`
    );
    const a = client(declared.url);
    const b = client(chunked.url);
    try {
      await assert.rejects(a.post("{}", soon()), BodyTooLargeError);
      await assert.rejects(b.post("{}", soon()), BodyTooLargeError);
    } finally {
      a.close();
      b.close();
      declared.close();
      chunked.close();
    }
  });

  await t.step("gives up at the deadline and closes that connection", async () => {
    const server = rawServer(() => new Promise<string>(() => {}));
    const http = client(server.url);
    try {
      await assert.rejects(http.post("{}", performance.now() + 50), DeadlineError);
    } finally {
      http.close();
      server.close();
    }
  });

  await t.step("says a redirect is one, for fetch to follow", async () => {
    const server = rawServer(() =>
      "HTTP/1.1 307 Temporary Redirect\r\nlocation: /elsewhere\r\ncontent-length: 0\r\n\r\n"
    );
    const http = client(server.url);
    try {
      const response = await http.post("{}", soon());
      assert.equal(response.status, 307);
      assert.equal(response.redirected, true);
    } finally {
      http.close();
      server.close();
    }
  });

  await t.step("refuses a header that would split the request", () => {
    assert.throws(
      () => new KeepAliveClient(new URL("http://x/"), { A: "b\r\nc: d" }, { maxResponseBytes: 1 }),
      TypeError,
    );
  });
});

Deno.test("keepAliveEligible leaves proxies, credentials and other schemes to fetch", () => {
  const none = () => undefined;
  assert.equal(keepAliveEligible(new URL("http://127.0.0.1:8/x"), none), true);
  assert.equal(keepAliveEligible(new URL("https://ai.example/x"), none), true);
  assert.equal(keepAliveEligible(new URL("https://u:p@ai.example/x"), none), false);
  assert.equal(keepAliveEligible(new URL("file:///x"), none), false);
  const proxied = (name: string) => name === "https_proxy" ? "http://proxy:3128" : undefined;
  assert.equal(keepAliveEligible(new URL("https://ai.example/x"), proxied), false);
});
