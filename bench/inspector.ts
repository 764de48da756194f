// A Deno process's inspector (started with --inspect=127.0.0.1:PORT) as one function that sends a
// protocol command and waits for its result: what bench/profile.ts and allocation_profile.ts use.

export interface Inspector {
  call(method: string, params?: Record<string, unknown>): Promise<unknown>;
  close(): void;
}

/** `onEvent` hears the protocol's events (messages without an id), such as a snapshot's chunks. */
export async function connectInspector(
  port: number,
  onEvent?: (method: string, params: Record<string, unknown>) => void,
): Promise<Inspector> {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve) => (socket.onopen = resolve));
  let id = 0;
  const pending = new Map<number, (value: unknown) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id === undefined) onEvent?.(message.method, message.params);
    else pending.get(message.id)?.(message.result);
  };
  return {
    call: (method, params = {}) =>
      new Promise<unknown>((resolve) => {
        pending.set(++id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}
