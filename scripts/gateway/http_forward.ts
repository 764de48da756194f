// Hands one plain HTTP request to a function's local server and its answer back, streaming both
// bodies, as the platform's gateway does: the method, headers and query unchanged, the path as the
// function sees it, hop-by-hop headers dropped and X-Forwarded-* added.

/** Headers that belong to one connection, never forwarded (RFC 9110, 7.6.1). */
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
];

export interface ForwardTarget {
  /** The function's local origin, `http://127.0.0.1:<port>`. */
  origin: string;
  /** The path it sees: `/<name>/...`. */
  path: string;
}

/** Request headers for the function: the caller's, minus hop-by-hop, plus where it came from. */
export function forwardedHeaders(request: Request, clientAddress: string | undefined): Headers {
  const headers = new Headers(request.headers);
  for (const name of HOP_BY_HOP) headers.delete(name);
  const url = new URL(request.url);
  const forwardedFor = [request.headers.get("x-forwarded-for"), clientAddress]
    .filter(Boolean).join(", ");
  if (forwardedFor) headers.set("x-forwarded-for", forwardedFor);
  headers.set("x-forwarded-host", request.headers.get("host") ?? url.host);
  headers.set("x-forwarded-proto", url.protocol.replace(/:$/, ""));
  // The gateway's own server compresses for the caller; a compressed answer from the function
  // would be decoded by fetch and then no longer match its content-encoding header.
  headers.set("accept-encoding", "identity");
  return headers;
}

/** The function's answer; throws a TypeError when nothing listens there. */
export async function forwardHttp(
  request: Request,
  target: ForwardTarget,
  clientAddress?: string,
): Promise<Response> {
  const url = new URL(request.url);
  const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== null;
  const answer = await fetch(`${target.origin}${target.path}${url.search}`, {
    method: request.method,
    headers: forwardedHeaders(request, clientAddress),
    body: hasBody ? request.body : undefined,
    redirect: "manual",
    signal: request.signal,
  });
  const headers = new Headers(answer.headers);
  for (const name of HOP_BY_HOP) headers.delete(name);
  return new Response(answer.body, {
    status: answer.status,
    statusText: answer.statusText,
    headers,
  });
}
