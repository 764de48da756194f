/**
 * postgres.js's socket over `Deno.connect`, in place of Deno's `node:net` emulation: a variant
 * that bench/postgres_client_bench.ts measures against the shipped configuration.
 *
 * Why it was tried: a perf profile of the chat under load charged about a seventh of its CPU to
 * the emulation's streams (Readable.push, the Writable's callbacks) around each database round
 * trip. postgres.js takes a socket of its own (`options.socket`); this one is the few methods and
 * events it uses, as its Cloudflare build's polyfill is, on Deno's TCP connection. Measured, it
 * saved nothing (BENCHMARKS.md, "postgres.js per query"), so the functions do not use it.
 */
import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";

/** What postgres.js passes its socket factory (the parsed connection options). */
export interface PostgresSocketOptions {
  host: string[];
  port: number[];
}

/** The size of each read: a data row of a turn's call is far smaller; big results take more. */
const READ_BYTES = 64 * 1024;

/**
 * Bytes queued unwritten above which `write` answers false and `drain` follows, as a node
 * socket's high-water mark does. postgres.js waits for `drain` before it sends more.
 */
const HIGH_WATER_BYTES = 64 * 1024;

type Connect = (options: { hostname: string; port: number }) => Promise<Deno.TcpConn>;

/**
 * The socket postgres.js needs: `write(bytes, done?)`, `end(bytes?)`, `destroy()`,
 * `setKeepAlive`, `pause`/`resume` and `readyState`; events `data` (a Buffer of its own per
 * read: postgres.js keeps a partial message across reads), `drain`, `error`, then `close`
 * once (with whether it was an error). It connects at once; writes before it is connected wait.
 */
export class DenoTcpSocket extends EventEmitter {
  readyState: "opening" | "open" | "closed" = "opening";
  readonly host: string;
  readonly port: number;
  #conn: Deno.TcpConn | undefined;
  #queue: { bytes: Uint8Array; done?: () => void }[] = [];
  #queuedBytes = 0;
  #writing = false;
  #wantsDrain = false;
  #paused = false;
  #resume: (() => void) | undefined;
  #closing = false;

  constructor(host: string, port: number, connect: Connect = Deno.connect) {
    super();
    this.host = host;
    this.port = port;
    connect({ hostname: host, port }).then(
      (conn) => this.#opened(conn),
      (error) => this.#fail(error),
    );
  }

  write(bytes: Uint8Array, done?: () => void): boolean {
    if (this.readyState === "closed" || this.#closing) return false;
    this.#queue.push({ bytes, done });
    this.#queuedBytes += bytes.byteLength;
    if (this.#conn && !this.#writing) this.#flush();
    if (this.#queuedBytes < HIGH_WATER_BYTES) return true;
    this.#wantsDrain = true;
    return false;
  }

  /** Writes what is given and what is queued, then closes. */
  end(bytes?: Uint8Array): void {
    if (bytes) this.write(bytes);
    this.#closing = true;
    if (this.#conn && !this.#writing) this.#close(false);
  }

  destroy(): void {
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#close(false);
  }

  setKeepAlive(enable: boolean): void {
    this.#conn?.setKeepAlive(enable);
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#resume?.();
    this.#resume = undefined;
  }

  #opened(conn: Deno.TcpConn): void {
    if (this.readyState === "closed") {
      conn.close();
      return;
    }
    this.#conn = conn;
    conn.setNoDelay(true);
    this.readyState = "open";
    if (this.#queue.length > 0) this.#flush();
    else if (this.#closing) this.#close(false);
    this.#read(conn);
  }

  async #read(conn: Deno.TcpConn): Promise<void> {
    const scratch = new Uint8Array(READ_BYTES);
    try {
      while (this.readyState === "open") {
        if (this.#paused) await new Promise<void>((resolve) => (this.#resume = resolve));
        const read = await conn.read(scratch);
        if (read === null) break;
        this.emit("data", Buffer.from(scratch.subarray(0, read)));
      }
      this.#close(false);
    } catch (error) {
      // A read cut short by our own close is the end, not an error.
      if (this.readyState === "closed") return;
      this.#fail(error);
    }
  }

  async #flush(): Promise<void> {
    const conn = this.#conn!;
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        const { bytes, done } = this.#queue.shift()!;
        for (let written = 0; written < bytes.byteLength;) {
          written += await conn.write(written === 0 ? bytes : bytes.subarray(written));
        }
        this.#queuedBytes -= bytes.byteLength;
        done?.();
        if (this.#wantsDrain && this.#queuedBytes < HIGH_WATER_BYTES) {
          this.#wantsDrain = false;
          this.emit("drain");
        }
      }
    } catch (error) {
      this.#writing = false;
      if (this.readyState !== "closed") this.#fail(error);
      return;
    }
    this.#writing = false;
    if (this.#closing) this.#close(false);
  }

  #fail(error: unknown): void {
    if (this.readyState === "closed") return;
    this.emit("error", error);
    this.#close(true);
  }

  #close(hadError: boolean): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    this.#resume?.();
    try {
      this.#conn?.close();
    } catch {
      // Already closed by the peer's end: nothing left to release.
    }
    this.emit("close", hadError);
  }
}

/** The factory postgres.js calls for each connection (`options.socket`). */
export function denoTcpSocket(options: PostgresSocketOptions): DenoTcpSocket {
  return new DenoTcpSocket(options.host[0] ?? "localhost", options.port[0] ?? 5432);
}
