// Takes a heap snapshot of a Deno process through its inspector (start it with
// --inspect=127.0.0.1:PORT) and prints what the heap holds: self size and count by constructor
// (or by node kind for code, strings and arrays), largest first. With a count of sessions, each
// row also shows its bytes per session, to see what one idle connection keeps.
//
//   deno run -A bench/heap_snapshot.ts <inspector port> [sessions] [out.heapsnapshot]
import { connectInspector } from "./inspector.ts";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

async function takeSnapshot(port: number): Promise<string> {
  const chunks: string[] = [];
  const { call, close } = await connectInspector(port, (method, params) => {
    if (method === "HeapProfiler.addHeapSnapshotChunk") chunks.push(params.chunk as string);
  });
  await call("HeapProfiler.enable");
  // A full collection first, so the snapshot shows what is held rather than garbage.
  await call("HeapProfiler.collectGarbage");
  await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  close();
  return chunks.join("");
}

/** Self size and count per (node kind, name), code and strings lumped by kind. */
export function summarize(snapshot: Snapshot): Map<string, { bytes: number; count: number }> {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const rows = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    const name = snapshot.strings[snapshot.nodes[i + nameAt]!]!;
    const key = type === "object" || type === "closure" || type === "native"
      ? `${type} ${name.slice(0, 60)}`
      : type === "hidden" || type === "array" || type === "code" ||
          type === "object shape"
      ? `${type} ${name.slice(0, 40)}`
      : type;
    const row = rows.get(key) ?? { bytes: 0, count: 0 };
    row.bytes += snapshot.nodes[i + sizeAt]!;
    row.count += 1;
    rows.set(key, row);
  }
  return rows;
}

if (import.meta.main) {
  const [port, sessionsArg, out] = Deno.args;
  const sessions = Number(sessionsArg ?? "0");
  const text = await takeSnapshot(Number(port));
  if (out) await Deno.writeTextFile(out, text);
  const rows = summarize(JSON.parse(text));
  let total = 0;
  for (const row of rows.values()) total += row.bytes;
  console.log(`heap: ${(total / 1e6).toFixed(1)} MB in the snapshot`);
  const sorted = [...rows].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 70);
  for (const [key, { bytes, count }] of sorted) {
    const perSession = sessions > 0
      ? `  ${(bytes / sessions).toFixed(0).padStart(6)} B/session ${
        (count / sessions).toFixed(2).padStart(6)
      }/session`
      : "";
    console.log(
      `${(bytes / 1e6).toFixed(2).padStart(8)} MB ${
        String(count).padStart(8)
      }${perSession}  ${key}`,
    );
  }
}
