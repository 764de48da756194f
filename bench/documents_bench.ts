// Renders documents at the maximum (LIMITS.maxDocumentChars) in every download format, each case
// in a fresh Deno process whose V8 heap is capped at the memory target, 150 MB (stricter than the
// platform's 256 MB): a case that completes never held more than that live. Through download.ts's
// renderDownload, so it measures whatever renderers are in the tree.
//
//   npm run bench:documents
//   npm run bench:documents -- --formats md,html --shapes cjk,prose --timeout 60
//
// Per case: CPU ms of the render call alone (process.cpuUsage), heap growth (heapUsed after the
// render minus the baseline after a warm-up render and a GC) and peak RSS growth (the kernel's
// VmHWM, reset after the warm-up: it also counts garbage not yet collected, code and buffers), and
// whether it stayed within 1 s of CPU under the 150 MB heap cap. A case whose process dies (out of
// memory, or over --timeout seconds of wall time) is reported as such.
import process from "node:process";
import { documentOf, type Shape, SHAPES } from "./document_shapes.ts";
import {
  DOWNLOAD_FORMATS,
  type DownloadFormat,
  renderDownload,
} from "../supabase/functions/documents/download.ts";

const CPU_BUDGET_MS = 1_000;
const MEMORY_BUDGET_MB = 150;
const HEAP_LIMIT_MB = MEMORY_BUDGET_MB;

interface Measured {
  shape: Shape;
  format: DownloadFormat;
  characters: number;
  cpuMs: number;
  heapMb: number;
  peakRssMb: number;
  bytes: number;
}

if (Deno.args[0] === "--case") {
  console.log(JSON.stringify(await measure(Deno.args[1] as Shape, Deno.args[2] as DownloadFormat)));
} else {
  await main();
}

async function measure(shape: Shape, format: DownloadFormat): Promise<Measured> {
  const content = await documentOf(shape);
  const document = { title: `Bench ${shape}`, content, format: "markdown" as const };
  // Warm-up: the renderer's modules loaded and compiled, on a small document of the same shape.
  await renderDownload({ ...document, content: content.slice(0, 2_000) }, format);
  collectGarbage();
  const heapBefore = Deno.memoryUsage().heapUsed;
  await Deno.writeTextFile("/proc/self/clear_refs", "5").catch(() => {});
  const rssBefore = Deno.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const file = await renderDownload(document, format);
  const cpu = process.cpuUsage(cpuBefore);
  const heapAfter = Deno.memoryUsage().heapUsed;
  const peakRss = Math.max(await peakRssBytes() ?? 0, Deno.memoryUsage().rss);
  return {
    shape,
    format,
    characters: [...content].length,
    cpuMs: Math.round((cpu.user + cpu.system) / 1_000),
    heapMb: round((heapAfter - heapBefore) / 2 ** 20),
    peakRssMb: round((peakRss - rssBefore) / 2 ** 20),
    bytes: file.body.byteLength,
  };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The process's peak resident set (VmHWM), in bytes, where Linux reports it. */
async function peakRssBytes(): Promise<number | undefined> {
  const status = await Deno.readTextFile("/proc/self/status").catch(() => "");
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

async function main(): Promise<void> {
  const option = (name: string) => {
    const at = Deno.args.indexOf(`--${name}`);
    return at >= 0 ? Deno.args[at + 1] : undefined;
  };
  const shapes = (option("shapes")?.split(",") ?? SHAPES) as Shape[];
  const formats = (option("formats")?.split(",") ?? DOWNLOAD_FORMATS) as DownloadFormat[];
  const timeoutSeconds = Number(option("timeout") ?? 120);
  for (const shape of shapes) {
    if (!SHAPES.includes(shape)) throw new Error(`Unknown shape "${shape}": use ${SHAPES}`);
  }
  console.log(
    `Documents at the maximum: one fresh process per case, --max-old-space-size=${HEAP_LIMIT_MB}; ` +
      `within = at most ${CPU_BUDGET_MS} ms CPU, completed under a ${MEMORY_BUDGET_MB} MB heap cap`,
  );
  console.log(
    "| format | shape | characters | CPU ms | heap MB | peak RSS MB | file bytes | within |",
  );
  console.log("| --- | --- | --: | --: | --: | --: | --: | --- |");
  for (const format of formats) {
    for (const shape of shapes) console.log(await runCase(shape, format, timeoutSeconds));
  }
}

/** One case in its own process; a row of the table, or the way the process died. */
async function runCase(shape: Shape, format: DownloadFormat, timeoutSeconds: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--no-prompt",
      `--v8-flags=--max-old-space-size=${HEAP_LIMIT_MB},--expose-gc`,
      new URL(import.meta.url).pathname,
      "--case",
      shape,
      format,
    ],
    env: { NO_COLOR: "1" }, // plain error lines to report
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutSeconds * 1_000);
  const output = await child.output();
  clearTimeout(timer);
  const stderr = new TextDecoder().decode(output.stderr);
  const died = (why: string) => `| ${format} | ${shape} | | | | | | **${why}** |`;
  if (timedOut) return died(`killed after ${timeoutSeconds} s of wall time`);
  if (!output.success) {
    const oom = /out of memory|heap limit|allocation failed/i.test(stderr);
    return died(
      oom
        ? `out of memory (over ${HEAP_LIMIT_MB} MB of heap)`
        : `died: exit ${output.code}${output.signal ? ` ${output.signal}` : ""}, ${
          lastLine(stderr)
        }`,
    );
  }
  const result: Measured = JSON.parse(new TextDecoder().decode(output.stdout).trim());
  // It completed under the heap cap, so its live heap stayed within the memory budget.
  const within = result.cpuMs <= CPU_BUDGET_MS ? "yes" : "**no**";
  return `| ${format} | ${shape} | ${
    result.characters.toLocaleString("en-US")
  } | ${result.cpuMs} | ` +
    `${result.heapMb} | ${result.peakRssMb} | ${
      result.bytes.toLocaleString("en-US")
    } | ${within} |`;
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n").filter((line) => line.trim() !== "");
  return (lines.find((line) => /error/i.test(line)) ?? lines.at(-1) ?? "no output").slice(0, 120);
}
