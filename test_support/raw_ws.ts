// A WebSocket client written over a raw TCP socket, for frames no WebSocket API will send:
// text frames carrying invalid UTF-8, unmasked or reserved frames, odd fragmentation.

export interface RawFrame {
  fin: boolean;
  opcode: number;
  payload: Uint8Array;
}

export interface RawFrameOptions {
  fin?: boolean;
  /** Client frames must be masked (RFC 6455 5.1); false sends one unmasked. */
  mask?: boolean;
  /** RSV1-3 bits, which must be 0 without a negotiated extension. */
  rsv?: number;
}

export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

export interface RawWebSocket {
  /** The HTTP status line and headers of the handshake response. */
  status: number;
  headers: Headers;
  sendFrame(opcode: number, payload: Uint8Array | string, options?: RawFrameOptions): Promise<void>;
  /** Sends bytes as they are, framing included. */
  sendBytes(bytes: Uint8Array): Promise<void>;
  /** The next frame from the server, or null when the TCP connection ended. */
  readFrame(timeoutMs?: number): Promise<RawFrame | null>;
  /** Reads until the server's close frame (its code) or the end of the connection (1006). */
  readUntilClosed(timeoutMs?: number): Promise<{ code: number; texts: string[] }>;
  close(): void;
}

/** Opens a WebSocket on a raw TCP socket: handshake by hand, then frames by hand. */
export async function rawConnect(
  baseUrl: string,
  path: string,
  protocols: string[] = ["chat.v1"],
): Promise<RawWebSocket> {
  const url = new URL(baseUrl);
  const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const request = [
    `GET ${path} HTTP/1.1`,
    `Host: ${url.host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
    ...(protocols.length ? [`Sec-WebSocket-Protocol: ${protocols.join(", ")}`] : []),
    "",
    "",
  ].join("\r\n");
  await writeAll(conn, new TextEncoder().encode(request));

  let buffer: Uint8Array = new Uint8Array(0);
  let ended = false;
  const fill = async (timeoutMs: number): Promise<boolean> => {
    if (ended) return false;
    const chunk = new Uint8Array(65_536);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const read = conn.read(chunk).catch(() => null);
    const n = await Promise.race([read, timeout]);
    clearTimeout(timer);
    if (n === "timeout") throw new Error(`No data from the server within ${timeoutMs} ms`);
    if (n === null) {
      ended = true;
      return false;
    }
    buffer = concat(buffer, chunk.subarray(0, n));
    return true;
  };

  // The handshake response ends with an empty line.
  let headerEnd = -1;
  while ((headerEnd = indexOfCrlfCrlf(buffer)) < 0) {
    if (!await fill(5_000)) throw new Error("Connection ended during the handshake");
  }
  const head = new TextDecoder().decode(buffer.subarray(0, headerEnd)).split("\r\n");
  buffer = buffer.slice(headerEnd + 4);
  const status = Number(head[0]?.split(" ")[1]);
  const headers = new Headers();
  for (const line of head.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }

  const readFrame = async (timeoutMs = 5_000): Promise<RawFrame | null> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = parseFrame(buffer);
      if (frame) {
        buffer = buffer.slice(frame.length);
        return frame.frame;
      }
      if (!await fill(Math.max(1, deadline - Date.now()))) return null;
    }
  };

  return {
    status,
    headers,
    async sendFrame(opcode, payload, options = {}) {
      const data = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
      await writeAll(conn, encodeFrame(opcode, data, options));
    },
    async sendBytes(bytes) {
      await writeAll(conn, bytes);
    },
    readFrame,
    async readUntilClosed(timeoutMs = 5_000) {
      const texts: string[] = [];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const frame = await readFrame(Math.max(1, deadline - Date.now()));
        if (!frame) return { code: 1006, texts };
        if (frame.opcode === Opcode.text) texts.push(new TextDecoder().decode(frame.payload));
        if (frame.opcode === Opcode.close) {
          const code = frame.payload.length >= 2
            ? (frame.payload[0]! << 8) | frame.payload[1]!
            : 1005;
          return { code, texts };
        }
      }
    },
    close() {
      try {
        conn.close();
      } catch { /* already closed */ }
    },
  };
}

/** Encodes one client frame (masked unless told otherwise). */
export function encodeFrame(
  opcode: number,
  payload: Uint8Array,
  { fin = true, mask = true, rsv = 0 }: RawFrameOptions = {},
): Uint8Array {
  const length = payload.byteLength;
  const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const header = new Uint8Array(2 + lengthBytes + (mask ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0x0f);
  const view = new DataView(header.buffer);
  if (lengthBytes === 0) header[1] = length;
  else if (lengthBytes === 2) {
    header[1] = 126;
    view.setUint16(2, length);
  } else {
    header[1] = 127;
    view.setBigUint64(2, BigInt(length));
  }
  if (!mask) return concat(header, payload);
  header[1]! |= 0x80;
  const key = crypto.getRandomValues(new Uint8Array(4));
  header.set(key, 2 + lengthBytes);
  const masked = payload.map((byte, i) => byte ^ key[i % 4]!);
  return concat(header, masked);
}

function parseFrame(buffer: Uint8Array): { frame: RawFrame; length: number } | null {
  if (buffer.length < 2) return null;
  const fin = (buffer[0]! & 0x80) !== 0;
  const opcode = buffer[0]! & 0x0f;
  const masked = (buffer[1]! & 0x80) !== 0;
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (length === 126) {
    if (buffer.length < 4) return null;
    length = view.getUint16(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return null;
    length = Number(view.getBigUint64(2));
    offset = 10;
  }
  const maskKey = masked ? buffer.subarray(offset, offset + 4) : null;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return null;
  let payload = buffer.slice(offset, offset + length);
  if (maskKey) payload = payload.map((byte, i) => byte ^ maskKey[i % 4]!);
  return { frame: { fin, opcode, payload }, length: offset + length };
}

function indexOfCrlfCrlf(buffer: Uint8Array): number {
  for (let i = 0; i + 3 < buffer.length; i++) {
    if (buffer[i] === 13 && buffer[i + 1] === 10 && buffer[i + 2] === 13 && buffer[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}
