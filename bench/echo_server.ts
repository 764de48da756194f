// The floor for a WebSocket round trip: a Deno server, in its own process, that echoes every text
// frame. Same runtime and same upgrade path as the chat function, and nothing else.
const port = Number(Deno.env.get("BENCH_ECHO_PORT") ?? "0");

Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (request) => {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return new Response("ok");
  }
  const { socket, response } = Deno.upgradeWebSocket(request);
  socket.onmessage = (event) => socket.send(event.data);
  socket.onerror = () => {};
  return response;
});
