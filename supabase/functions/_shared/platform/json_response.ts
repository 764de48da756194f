/**
 * A JSON response: the body as JSON text, `content-type: application/json` unless the headers
 * name another (the documents function and the dev portal declare `; charset=utf-8`), and the
 * caller's headers (CORS, caching, a challenge) beside it.
 */
export function jsonResponse(status: number, body: unknown, headers: HeadersInit = {}): Response {
  const merged = new Headers(headers);
  if (!merged.has("content-type")) merged.set("content-type", "application/json");
  return new Response(JSON.stringify(body), { status, headers: merged });
}
