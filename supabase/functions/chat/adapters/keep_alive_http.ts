/**
 * A small HTTP/1.1 client for one origin, with a pool of keep-alive connections: the AI call's
 * transport. `fetch` spends about 85 µs of CPU a call on loopback (a Request, Headers, webidl
 * conversions, an AbortSignal, a body stream per response), this about 20 (BENCHMARKS.md, "Chat
 * CPU per turn"), and every turn makes one call. What it does not do, the caller leaves to
 * `fetch`: redirects (`redirected` is set and the caller asks again with fetch), proxies, other
 * schemes (see `keepAliveEligible`).
 */

/** A response read whole: status, lower-case header names, and the body as UTF-8 text. */
export interface PlainResponse {
  status: number;
  headers: Map<string, string>;
  text: string;
}

export interface KeepAliveOptions {
  /** Bodies longer than this, declared or read, are refused (`BodyTooLargeError`). */
  maxResponseBytes: number;
  /**
   * Idle connections kept for reuse; more are closed. Default 256: as many as a busy process has
   * calls in flight (the saturated bench has up to 200), or each call past the pool connects anew
   * (a profile with 32 spent 4% of the chat's CPU in connect).
   */
  maxIdle?: number;
  /**
   * An idle connection older than this is closed, not reused: servers close idle keep-alive
   * connections after a few seconds (Node 5 s, Deno.serve and nginx longer), and a request
   * written into one the server is closing fails. Default 2,000 ms.
   */
  idleMs?: number;
}

/** The response declared or carried more than `maxResponseBytes`. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

/** The deadline passed before the response was read whole. */
export class DeadlineError extends Error {
  override name = "TimeoutError";
}

const MAX_HEAD_BYTES = 65_536;
/** The largest request buffer a connection keeps for its next request: 256 idle ones hold 16 MB. */
const MAX_KEPT_REQUEST_BYTES = 65_536;
/** Each connection's read buffer: an AI answer is a few hundred bytes; a longer one takes more reads. */
const READ_BYTES = 4_096;
const CRLF = new Uint8Array([13, 10]);
const HEAD_END = new Uint8Array([13, 10, 13, 10]);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Whether `url` can go through this client: plain http or https, no credentials, no proxy. */
export function keepAliveEligible(url: URL, env: (name: string) => string | undefined): boolean {
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (url.username || url.password) return false;
  const proxy = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]
    .some((name) => env(name) || env(name.toLowerCase()));
  return !proxy;
}

/**
 * A connection, the buffer its reads land in (one read at a time per connection), and the
 * buffer its requests are written from, made at the first request's size.
 */
interface Pooled {
  conn: Deno.Conn;
  scratch: Uint8Array;
  out?: Uint8Array;
}

interface Idle extends Pooled {
  since: number;
}

/** One origin's keep-alive connections and the POST that uses them. */
export class KeepAliveClient {
  readonly #url: URL;
  readonly #head: string;
  readonly #headRoom: number;
  readonly #options: Required<KeepAliveOptions>;
  readonly #idle: Idle[] = [];
  readonly #busy = new Set<Deno.Conn>();

  /**
   * @param headers sent with every request, besides Host and Content-Length.
   * @throws {TypeError} when a header name or value could split the request.
   */
  constructor(url: URL, headers: Record<string, string>, options: KeepAliveOptions) {
    this.#url = url;
    this.#options = { maxIdle: 256, idleMs: 2_000, ...options };
    let head = `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
    for (const [name, value] of Object.entries(headers)) {
      if (!/^[A-Za-z0-9-]+$/.test(name) || /[\r\n\0]/.test(value)) {
        throw new TypeError(`Cannot send header "${name}": a line break or NUL in it`);
      }
      head += `${name}: ${value}\r\n`;
    }
    this.#head = head;
    // Room for the head before the body: the head's fixed part and a Content-Length line.
    this.#headRoom = encoder.encode(head).byteLength + "Content-Length: \r\n\r\n".length + 16;
  }

  /**
   * POSTs `body` and reads the response whole, by `deadline` (an epoch in ms, performance.now()).
   * A reused connection that fails before any byte of the response came back (the server closed
   * it while idle) is retried once on a new one.
   */
  async post(body: string, deadline: number): Promise<PlainResponse & { redirected: boolean }> {
    for (let fresh = false;; fresh = true) {
      const reused = fresh ? undefined : this.#takeIdle();
      const pooled: Pooled = reused ??
        { conn: await this.#connect(deadline), scratch: new Uint8Array(READ_BYTES) };
      const { conn } = pooled;
      const request = this.#request(pooled, body);
      const exchange = new Exchange(pooled, this.#options.maxResponseBytes);
      this.#busy.add(conn);
      const timer = setTimeout(() => exchange.expire(), Math.max(0, deadline - performance.now()));
      try {
        await writeAll(conn, request);
        const response = await exchange.read();
        this.#release(pooled, response.reusable);
        const redirected = response.status >= 300 && response.status < 400;
        return {
          status: response.status,
          headers: response.headers,
          text: response.text,
          redirected,
        };
      } catch (error: unknown) {
        this.#release(pooled, false);
        if (exchange.expired) throw new DeadlineError("The AI service did not answer in time");
        if (reused && exchange.bytesRead === 0 && !(error instanceof BodyTooLargeError)) continue;
        throw error;
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /**
   * The request's bytes, in the connection's own buffer: the body is encoded once, straight into
   * place after room for the head, whose Content-Length it then knows. Encoding the body and
   * copying it behind the head was a fourteenth of what a turn allocated. A body longer than
   * MAX_KEPT_REQUEST_BYTES gets a buffer of its own, not kept.
   */
  #request(pooled: Pooled, body: string): Uint8Array {
    const room = this.#headRoom;
    const need = room + body.length * 3; // a UTF-16 unit is at most 3 bytes of UTF-8
    let out = pooled.out;
    if (!out || out.byteLength < need) {
      out = new Uint8Array(Math.ceil(need / 4096) * 4096);
      if (out.byteLength <= MAX_KEPT_REQUEST_BYTES) pooled.out = out;
    }
    const { written } = encoder.encodeInto(body, out.subarray(room));
    const head = encoder.encode(`${this.#head}Content-Length: ${written}\r\n\r\n`);
    out.set(head, room - head.byteLength);
    return out.subarray(room - head.byteLength, room + written);
  }

  /** Closes every connection, idle or in use (a pending call then fails). */
  close(): void {
    for (const { conn } of this.#idle.splice(0)) closeQuietly(conn);
    for (const conn of this.#busy) closeQuietly(conn);
    this.#busy.clear();
  }

  #takeIdle(): Pooled | undefined {
    const now = performance.now();
    for (let idle = this.#idle.pop(); idle; idle = this.#idle.pop()) {
      if (now - idle.since < this.#options.idleMs) return idle;
      closeQuietly(idle.conn);
    }
    return undefined;
  }

  #release(pooled: Pooled, reusable: boolean): void {
    this.#busy.delete(pooled.conn);
    if (reusable && this.#idle.length < this.#options.maxIdle) {
      this.#idle.push({ ...pooled, since: performance.now() });
    } else {
      closeQuietly(pooled.conn);
    }
  }

  async #connect(deadline: number): Promise<Deno.Conn> {
    const hostname = this.#url.hostname.replace(/^\[(.*)\]$/, "$1");
    const tls = this.#url.protocol === "https:";
    const port = Number(this.#url.port || (tls ? 443 : 80));
    const connecting = tls ? Deno.connectTls({ hostname, port }) : Deno.connect({ hostname, port });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DeadlineError("The AI service did not accept a connection in time")),
        Math.max(0, deadline - performance.now()),
      );
    });
    try {
      return await Promise.race([connecting, late]);
    } catch (error: unknown) {
      // A connection that arrives after the deadline is closed at once.
      connecting.then(closeQuietly, () => {});
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** One response read off one connection: the head, then the body by its framing. */
class Exchange {
  readonly #conn: Deno.Conn;
  readonly #scratch: Uint8Array;
  readonly #limit: number;
  #buffer: Uint8Array = new Uint8Array(0);
  bytesRead = 0;
  expired = false;

  constructor(pooled: Pooled, limit: number) {
    this.#conn = pooled.conn;
    this.#scratch = pooled.scratch;
    this.#limit = limit;
  }

  /** Closing the connection ends the pending read. */
  expire(): void {
    this.expired = true;
    closeQuietly(this.#conn);
  }

  async read(): Promise<{
    status: number;
    headers: Map<string, string>;
    text: string;
    reusable: boolean;
  }> {
    for (;;) {
      const head = decoder.decode(await this.#until(HEAD_END, MAX_HEAD_BYTES));
      const [statusLine, ...lines] = head.split("\r\n");
      const match = /^HTTP\/1\.([01]) (\d{3})/.exec(statusLine ?? "");
      if (!match) throw new Error("The AI service's answer is not HTTP/1.x");
      const status = Number(match[2]);
      const headers = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon <= 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
      }
      // An interim response (103 Early Hints) comes before the real one.
      if (status >= 100 && status < 200) continue;
      const connection = headers.get("connection")?.toLowerCase() ?? "";
      let reusable = match[1] === "1"
        ? !connection.includes("close")
        : connection.includes("keep-alive");
      let body: Uint8Array;
      if (status === 204 || status === 304) {
        body = new Uint8Array(0);
      } else if (headers.get("transfer-encoding")?.toLowerCase().includes("chunked")) {
        body = await this.#chunked();
      } else if (headers.has("content-length")) {
        const length = Number(headers.get("content-length"));
        if (!Number.isSafeInteger(length) || length < 0) {
          throw new Error("The AI service declared a malformed Content-Length");
        }
        if (length > this.#limit) {
          throw new BodyTooLargeError(`AI service answered with ${length} bytes, over the limit`);
        }
        body = await this.#exactly(length);
      } else {
        body = await this.#toEnd();
        reusable = false;
      }
      // Bytes past the response mean the connection is out of step: not reused.
      if (this.#buffer.byteLength > 0) reusable = false;
      return { status, headers, text: decoder.decode(body), reusable };
    }
  }

  async #fill(): Promise<boolean> {
    const n = await this.#conn.read(this.#scratch);
    if (n === null) return false;
    this.bytesRead += n;
    // Copied out: the scratch buffer takes the next read.
    this.#buffer = this.#buffer.byteLength === 0
      ? this.#scratch.slice(0, n)
      : concat([this.#buffer, this.#scratch.subarray(0, n)]);
    return true;
  }

  #take(n: number): Uint8Array {
    const taken = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return taken;
  }

  /** The bytes before `delimiter` (which is consumed), at most `max` of them. */
  async #until(delimiter: Uint8Array, max: number): Promise<Uint8Array> {
    for (let from = 0;;) {
      const at = indexOf(this.#buffer, delimiter, from);
      if (at >= 0) {
        const found = this.#take(at);
        this.#take(delimiter.byteLength);
        return found;
      }
      if (this.#buffer.byteLength > max) {
        throw new Error("The AI service's answer has an oversized head or chunk line");
      }
      from = Math.max(0, this.#buffer.byteLength - delimiter.byteLength + 1);
      if (!(await this.#fill())) throw new Error("The AI service closed the connection early");
    }
  }

  async #exactly(n: number): Promise<Uint8Array> {
    while (this.#buffer.byteLength < n) {
      if (!(await this.#fill())) throw new Error("The AI service closed the connection early");
    }
    return this.#take(n);
  }

  async #chunked(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const line = decoder.decode(await this.#until(CRLF, 1024));
      const length = parseInt(line, 16);
      if (!Number.isSafeInteger(length) || length < 0) {
        throw new Error("The AI service sent a malformed chunk");
      }
      if (length === 0) break;
      size += length;
      if (size > this.#limit) {
        throw new BodyTooLargeError("AI service answered with a body over the limit");
      }
      chunks.push(await this.#exactly(length));
      await this.#exactly(2);
    }
    // Trailers, if any, up to the empty line.
    while ((await this.#until(CRLF, MAX_HEAD_BYTES)).byteLength > 0);
    return concat(chunks);
  }

  async #toEnd(): Promise<Uint8Array> {
    while (await this.#fill()) {
      if (this.#buffer.byteLength > this.#limit) {
        throw new BodyTooLargeError("AI service answered with a body over the limit");
      }
    }
    return this.#take(this.#buffer.byteLength);
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.byteLength;) {
    offset += await conn.write(bytes.subarray(offset));
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  for (let i = haystack.indexOf(first, from); i >= 0; i = haystack.indexOf(first, i + 1)) {
    if (i + needle.byteLength > haystack.byteLength) return -1;
    let j = 1;
    while (j < needle.byteLength && haystack[i + j] === needle[j]) j++;
    if (j === needle.byteLength) return i;
  }
  return -1;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.byteLength;
  }
  return all;
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}
