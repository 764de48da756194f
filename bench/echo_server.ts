// The floor for a WebSocket round trip: a Deno server, in its own process, that echoes every text
// frame. Same runtime and same upgrade path as the chat function, and nothing else.
const port = Number(Deno.env.get("BENCH_ECHO_PORT") ?? "0");

Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (request) => {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return new Response("ok");
  }
  const { socket, response } = Deno.upgradeWebSocket(request);
  // The idle floor connects the way a chat client does (with a templateId): greet it like the
  // chat's first question, so the same client counts it as open.
  if (new URL(request.url).searchParams.has("templateId")) {
    socket.onopen = () => socket.send('{"type":"next_question"}');
  }
  socket.onmessage = (event) => socket.send(event.data);
  socket.onerror = () => {};
  return response;
});
