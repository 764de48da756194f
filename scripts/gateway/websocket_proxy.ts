// A WebSocket through the gateway: the caller's upgrade is answered only once the function has
// accepted the same upgrade (same path, query, subprotocols and headers), with the subprotocol the
// function chose, and then every frame goes across in both directions, text and binary, in order,
// and each side's close code and reason reach the other.
//
// Deno's WebSocket client may send only 1000 and 3000-4999 (the browser rule), so a caller's
// 1001 ("going away") or a close without a code reaches the function as a close without a code
// (1005). A function that vanishes without a close frame (1006, which no one may send) is
// reported to the caller as 1011, "reconnect with backoff", the nearest a proxy can say.
import { forwardedHeaders } from "./http_forward.ts";

/** How long the function gets to accept an upgrade before the caller is told it is not answering. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/** Headers of the handshake itself, which the gateway's own client writes anew. */
const HANDSHAKE = ["sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions"];

export function isWebSocketUpgrade(request: Request): boolean {
  return request.headers.get("upgrade")?.toLowerCase() === "websocket";
}

/** The subprotocols a request offers, in order. */
export function offeredProtocols(request: Request): string[] {
  return (request.headers.get("sec-websocket-protocol") ?? "")
    .split(",").map((protocol) => protocol.trim()).filter(Boolean);
}

/** The code the gateway's client may send upstream for a code the caller closed with. */
export function upstreamCloseCode(code: number): number | undefined {
  return code === 1000 || (code >= 3000 && code <= 4999) ? code : undefined;
}

/** The code the gateway sends the caller for a code the function closed with. */
export function callerCloseCode(code: number): number | undefined {
  if (code === 1005) return undefined;
  if (code === 1006 || code === 1015) return 1011;
  return code;
}

/**
 * Opens the function's side first; undefined when it refuses or does not answer (the caller then
 * gets an HTTP error instead of an upgrade).
 */
export async function proxyWebSocket(
  request: Request,
  upstreamUrl: string,
  clientAddress?: string,
): Promise<Response | undefined> {
  const headers = forwardedHeaders(request, clientAddress);
  for (const name of [...HANDSHAKE, "sec-websocket-protocol", "accept-encoding"]) {
    headers.delete(name);
  }
  const upstream = new WebSocket(upstreamUrl, {
    protocols: offeredProtocols(request),
    headers,
  } as unknown as string[]);
  upstream.binaryType = "arraybuffer";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const opened = await new Promise<boolean>((resolve) => {
    upstream.onopen = () => resolve(true);
    upstream.onerror = () => resolve(false);
    upstream.onclose = () => resolve(false);
    timer = setTimeout(() => resolve(false), HANDSHAKE_TIMEOUT_MS);
  });
  clearTimeout(timer);
  if (!opened) {
    if (upstream.readyState === WebSocket.CONNECTING) upstream.close();
    return undefined;
  }

  let upgraded: { socket: WebSocket; response: Response };
  try {
    upgraded = Deno.upgradeWebSocket(
      request,
      upstream.protocol ? { protocol: upstream.protocol } : {},
    );
  } catch (error: unknown) {
    // The caller's handshake is malformed (no key, a wrong version): the function's side goes.
    upstream.close();
    return new Response(
      JSON.stringify({
        code: "BAD_UPGRADE",
        message: `Not a valid WebSocket upgrade: ${(error as Error).message}`,
      }),
      { status: 400, headers: { "content-type": "application/json" } },
    );
  }
  const { socket: caller, response } = upgraded;
  caller.binaryType = "arraybuffer";
  // The function may speak first (the chat sends its first question at once); frames wait here
  // until the caller's side is open.
  const pending: (string | ArrayBuffer)[] = [];
  let upstreamClose: { code: number; reason: string } | undefined;
  const closeCaller = (code: number, reason: string) => {
    const sent = callerCloseCode(code);
    if (sent === undefined) caller.close();
    else caller.close(sent, sent === code ? reason : "the function's connection was lost");
  };
  caller.onopen = () => {
    for (const data of pending.splice(0)) caller.send(data);
    if (upstreamClose) closeCaller(upstreamClose.code, upstreamClose.reason);
  };
  upstream.onmessage = (event) => {
    if (caller.readyState === WebSocket.OPEN) caller.send(event.data);
    else pending.push(event.data);
  };
  upstream.onerror = () => {};
  upstream.onclose = (event) => {
    if (caller.readyState === WebSocket.OPEN) closeCaller(event.code, event.reason);
    else if (caller.readyState === WebSocket.CONNECTING) {
      upstreamClose = { code: event.code, reason: event.reason };
    }
  };
  caller.onmessage = (event) => {
    if (upstream.readyState === WebSocket.OPEN) upstream.send(event.data);
  };
  caller.onerror = () => {};
  caller.onclose = (event) => {
    if (upstream.readyState !== WebSocket.OPEN && upstream.readyState !== WebSocket.CONNECTING) {
      return;
    }
    const code = upstreamCloseCode(event.code);
    if (code === undefined) upstream.close();
    else upstream.close(code, event.reason);
  };
  return response;
}
