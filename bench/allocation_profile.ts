// Samples what a Deno process allocates, through its inspector (start it with
// --inspect=127.0.0.1:PORT), collected objects included, and prints the bytes by function and by
// source file: where the young generation's garbage, and so the scavenger's pauses, come from.
//
//   deno run -A bench/allocation_profile.ts <inspector port> <seconds> [turns in that time]
//
// With BENCH_ALLOCATIONS=live, only what is still alive when sampling stops: what each scavenge
// has to copy.

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

async function sample(port: number, seconds: number, live: boolean): Promise<SamplingNode> {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve) => (socket.onopen = resolve));
  let id = 0;
  const pending = new Map<number, (value: unknown) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    pending.get(message.id)?.(message.result);
  };
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      pending.set(++id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call("HeapProfiler.enable");
  await call("HeapProfiler.startSampling", {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: !live,
    includeObjectsCollectedByMinorGC: !live,
  });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  // Live means live: collect first, or the garbage since the last scavenge counts too.
  if (live) await call("HeapProfiler.collectGarbage");
  const { profile } = await call("HeapProfiler.stopSampling") as {
    profile: { head: SamplingNode };
  };
  socket.close();
  return profile.head;
}

function shortFile(url: string): string {
  return url.replace(/^.*\/(node_modules|npm|functions)\//, "$1/")
    .replace(/registry\.npmjs\.org\//, "") || "(native)";
}

if (import.meta.main) {
  const [port, seconds, turns] = Deno.args;
  const live = Deno.env.get("BENCH_ALLOCATIONS") === "live";
  const head = await sample(Number(port), Number(seconds ?? "5"), live);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  const walk = (node: SamplingNode, callerFile: string) => {
    const own = shortFile(node.callFrame.url);
    // Built-ins (JSON.parse, Array copies) are charged to the nearest caller with a file.
    const file = own === "(native)" ? callerFile : own;
    const name = `${
      node.callFrame.functionName || "(anonymous)"
    } ${own}:${node.callFrame.lineNumber}`;
    total += node.selfSize;
    byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
    byFile.set(file, (byFile.get(file) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, file);
  };
  walk(head, "(native)");
  const perTurn = turns ? Number(turns) : 0;
  const show = (bytes: number) =>
    perTurn > 0 ? `${(bytes / perTurn / 1024).toFixed(2).padStart(7)} KB/turn` : `${bytes}`;
  const top = (map: Map<string, number>, n: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, bytes]) =>
      `${((bytes / total) * 100).toFixed(1).padStart(5)}% ${show(bytes)}  ${name}`
    );
  console.log(
    `${live ? "alive at the end" : "allocated"}: ${(total / 1048576).toFixed(1)} MiB ` +
      (perTurn && !live ? show(total) : ""),
  );
  console.log(`\nby file:\n${top(byFile, 25).join("\n")}`);
  console.log(`\nby function:\n${top(byFunction, 45).join("\n")}`);
}
