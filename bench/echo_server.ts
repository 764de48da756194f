// The floor for a WebSocket round trip: a Deno server, in its own process, that echoes every text
// frame. Same runtime and same upgrade path as the chat function, and nothing else. A POST is the
// floor of the AI call's HTTP round trip (bench/http_round_trips.ts): the body read whole, then a
// next question at once, as the bench's AI service answers without its bookkeeping.
const port = Number(Deno.env.get("BENCH_ECHO_PORT") ?? "0");
const NEXT_QUESTION = JSON.stringify({
  status: "in_progress",
  nextQuestion: { id: "q6", text: "Question 6?" },
});

Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, async (request) => {
  if (request.method === "POST") {
    await request.arrayBuffer();
    return new Response(NEXT_QUESTION, { headers: { "content-type": "application/json" } });
  }
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
