// Samples a Deno process's CPU through its inspector (start it with --inspect=127.0.0.1:PORT) and
// prints where the time went: self time by function and by source file.
//
//   deno run -A bench/profile.ts <inspector port> <seconds> [out.cpuprofile]
import { connectInspector } from "./inspector.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

async function sample(port: number, seconds: number) {
  const { call, close } = await connectInspector(port);
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 200 });
  await call("Profiler.start");
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const { profile } = await call("Profiler.stop") as { profile: { nodes: ProfileNode[] } };
  close();
  return profile;
}

if (import.meta.main) {
  const [port, seconds, out] = Deno.args;
  const profile = await sample(Number(port), Number(seconds ?? "5"));
  if (out) await Deno.writeTextFile(out, JSON.stringify(profile));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const file = node.callFrame.url.replace(/^.*\/(node_modules|npm|functions)\//, "$1/") ||
      "(native)";
    const name = `${
      node.callFrame.functionName || "(anonymous)"
    } ${file}:${node.callFrame.lineNumber}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    byFile.set(file, (byFile.get(file) ?? 0) + hits);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, n)
      .map(([name, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  console.log(`samples: ${total}\n\nby file:\n${top(byFile, 25).join("\n")}`);
  console.log(`\nby function:\n${top(byFunction, 40).join("\n")}`);
}
