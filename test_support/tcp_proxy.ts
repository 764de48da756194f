// A TCP proxy on the loopback interface between a client and a server under test, so a test can
// cut connections the way a network does (no close frame: the client sees 1006) and hold what
// either side sends so that it is lost with the connection.

export interface TcpProxy {
  port: number;
  /** Connections currently open through the proxy. */
  readonly open: number;
  /**
   * Stops forwarding the bytes of one side (the client's by default) to the other; they are
   * kept until released or dropped.
   */
  hold(from?: "client" | "server"): void;
  /** Forwards what was held, both ways, and forwards again. */
  release(): void;
  /** Cuts every open connection at once; held bytes are lost. Forwarding stays as it was. */
  dropAll(): void;
  close(): Promise<void>;
}

export function startTcpProxy(target: { hostname?: string; port: number }): TcpProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  type Pair = {
    client: Deno.Conn;
    server: Deno.Conn;
    held: Uint8Array[];
    heldReplies: Uint8Array[];
  };
  const pairs = new Set<Pair>();
  const holding = { client: false, server: false };

  const shut = (conn: Deno.Conn) => {
    try {
      conn.close();
    } catch { /* already closed */ }
  };

  const serve = async (client: Deno.Conn) => {
    let server: Deno.Conn;
    try {
      server = await Deno.connect({ hostname: target.hostname ?? "127.0.0.1", port: target.port });
    } catch {
      return shut(client);
    }
    const pair: Pair = { client, server, held: [], heldReplies: [] };
    pairs.add(pair);
    const upstream = (async () => {
      for await (const chunk of reads(client)) {
        if (!pairs.has(pair)) break;
        if (holding.client) pair.held.push(chunk);
        else await write(server, chunk);
      }
    })();
    const downstream = (async () => {
      for await (const chunk of reads(server)) {
        if (!pairs.has(pair)) break;
        if (holding.server) pair.heldReplies.push(chunk);
        else await write(client, chunk);
      }
    })();
    await Promise.allSettled([Promise.race([upstream, downstream])]);
    pairs.delete(pair);
    shut(client);
    shut(server);
    await Promise.allSettled([upstream, downstream]);
  };

  const accepting = (async () => {
    try {
      for await (const conn of listener) void serve(conn);
    } catch { /* listener closed */ }
  })();

  return {
    port: (listener.addr as Deno.NetAddr).port,
    get open() {
      return pairs.size;
    },
    hold(from = "client") {
      holding[from] = true;
    },
    release() {
      holding.client = holding.server = false;
      for (const pair of pairs) {
        for (const chunk of pair.held.splice(0)) void write(pair.server, chunk);
        for (const chunk of pair.heldReplies.splice(0)) void write(pair.client, chunk);
      }
    },
    dropAll() {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.held.length = pair.heldReplies.length = 0;
        shut(pair.client);
        shut(pair.server);
      }
    },
    async close() {
      this.dropAll();
      listener.close();
      await accepting;
    },
  };
}

/** Chunks read from a connection until it ends or is closed. */
async function* reads(conn: Deno.Conn): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(64 * 1024);
  for (;;) {
    let count: number | null;
    try {
      count = await conn.read(buffer);
    } catch {
      return;
    }
    if (count === null) return;
    yield buffer.slice(0, count);
  }
}

async function write(conn: Deno.Conn, chunk: Uint8Array): Promise<void> {
  try {
    let written = 0;
    while (written < chunk.length) written += await conn.write(chunk.subarray(written));
  } catch { /* the other side is gone */ }
}
