// A TCP proxy on the loopback interface between a client and a server under test, so a test can
// cut connections the way a network does (no close frame: the client sees 1006) and hold what
// the client sends so that it is lost with the connection.

export interface TcpProxy {
  port: number;
  /** Connections currently open through the proxy. */
  readonly open: number;
  /** Stops forwarding client bytes to the server; they are kept until released or dropped. */
  hold(): void;
  /** Forwards what was held and forwards again. */
  release(): void;
  /** Cuts every open connection at once; held bytes are lost. Forwarding stays as it was. */
  dropAll(): void;
  close(): Promise<void>;
}

export function startTcpProxy(target: { hostname?: string; port: number }): TcpProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const pairs = new Set<{ client: Deno.Conn; server: Deno.Conn; held: Uint8Array[] }>();
  let holding = false;

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
    const pair = { client, server, held: [] as Uint8Array[] };
    pairs.add(pair);
    const upstream = (async () => {
      for await (const chunk of reads(client)) {
        if (!pairs.has(pair)) break;
        if (holding) pair.held.push(chunk);
        else await write(server, chunk);
      }
    })();
    const downstream = (async () => {
      for await (const chunk of reads(server)) {
        if (!pairs.has(pair)) break;
        await write(client, chunk);
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
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const pair of pairs) {
        for (const chunk of pair.held.splice(0)) void write(pair.server, chunk);
      }
    },
    dropAll() {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.held.length = 0;
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
