// The PDF renderer on documents of 200,000 characters of each worst shape: CPU time and heap
// growth of one renderPdf call. Not a test (speed is measured here, never asserted):
//   deno run --allow-read --allow-env --allow-sys --v8-flags=--expose-gc bench/documents_shapes.ts
// Options: DOCUMENTS_SHAPE_CHARS (default 200000), DOCUMENTS_SHAPE_RUNS (default 3; the figures
// are the median run), DOCUMENTS_SHAPE_OUT (a folder to write each shape's PDF to, to look at;
// needs --allow-write), DOCUMENTS_SHAPE_ONLY (a comma-separated list of the shapes to run, by
// the start of their names).
import process from "node:process";
import { parseMarkdown } from "../supabase/functions/_shared/document/markdown.ts";
import { renderPdf } from "../supabase/functions/documents/pdf_file.ts";

const CHARS = Number(Deno.env.get("DOCUMENTS_SHAPE_CHARS") ?? 200_000);
const RUNS = Number(Deno.env.get("DOCUMENTS_SHAPE_RUNS") ?? 3);
const OUT = Deno.env.get("DOCUMENTS_SHAPE_OUT");
const ONLY = Deno.env.get("DOCUMENTS_SHAPE_ONLY")?.split(",").map((name) => name.trim());
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("Run with --v8-flags=--expose-gc: heap growth needs a collection first");

/** Repeats `unit(i)` until the text holds `CHARS` characters. */
function fill(unit: (i: number) => string, separator = ""): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < CHARS; i++) {
    const part = unit(i);
    parts.push(part);
    length += part.length + separator.length;
  }
  return parts.join(separator);
}

const CJK = "的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生";
const WORDS =
  "the parties agree that confidential information shall remain protected during the term"
    .split(" ");

const SHAPES: Record<string, () => string> = {
  "CJK paragraphs": () =>
    fill(
      (i) => Array.from({ length: 400 }, (_, j) => CJK[(i * 7 + j) % CJK.length]).join(""),
      "\n\n",
    ),
  "bold/italic runs": () => fill((i) => (i % 2 ? `**bold ${i}**` : `*italic ${i}*`), " "),
  "wide table (50 columns)": () => {
    const header = `| ${Array.from({ length: 50 }, (_, i) => `Column ${i}`).join(" | ")} |`;
    const rule = `|${" --- |".repeat(50)}`;
    const rows = fill(
      (r) => `| ${Array.from({ length: 50 }, (_, c) => `r${r}c${c}`).join(" | ")} |`,
      "\n",
    );
    return `${header}\n${rule}\n${rows}`;
  },
  "long table (3 columns)": () => {
    const rows = fill(
      (r) => `| Term ${r} | ${WORDS.slice(0, 1 + (r % 12)).join(" ")} | ${r * 31} |`,
      "\n",
    );
    return `| Term | Detail | Amount |\n| --- | --- | ---: |\n${rows}`;
  },
  "one unbroken line": () => "x".repeat(CHARS),
  "plain prose": () =>
    fill(
      (i) => Array.from({ length: 80 }, (_, j) => WORDS[(i + j) % WORDS.length]).join(" ") + ".",
      "\n\n",
    ),
};

interface Figures {
  cpuMs: number;
  wallMs: number;
  heapMb: number;
  rssMb: number;
  pdf: Uint8Array;
  pages: number;
}

async function measure(markdown: string): Promise<Figures> {
  const tokens = parseMarkdown(markdown);
  gc!();
  const { heapUsed: heapBefore, rss: rssBefore } = Deno.memoryUsage();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const { bytes } = await renderPdf(tokens, { title: "Shape" });
  const wallMs = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  // Growth before any collection: everything the render allocated and still held or not yet freed.
  // Resident memory is rarely given back, so its growth also bounds the peak a collection hid.
  const { heapUsed, rss } = Deno.memoryUsage();
  const pages = new TextDecoder("latin1").decode(bytes).match(/\/Count (\d+)/)?.[1];
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    heapMb: (heapUsed - heapBefore) / 2 ** 20,
    rssMb: (rss - rssBefore) / 2 ** 20,
    pdf: bytes,
    pages: Number(pages),
  };
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// The first render decodes and parses the fonts: measured on its own.
const cold = await measure("Warm-up: *fonts* **decoded** once.");
console.log(
  `first render (fonts decoded and parsed): ${cold.cpuMs.toFixed(0)} ms CPU, ${
    cold.heapMb.toFixed(1)
  } MB heap`,
);
console.log(`\n${CHARS.toLocaleString("en")} characters per document, median of ${RUNS} runs\n`);
console.log("| shape | CPU ms | wall ms | heap growth MB | RSS growth MB | pages | PDF bytes |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const [name, make] of Object.entries(SHAPES)) {
  if (ONLY && !ONLY.some((start) => name.startsWith(start))) continue;
  const markdown = make();
  const runs: Figures[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(markdown));
  if (OUT) await Deno.writeFile(`${OUT}/${name.replace(/\W+/g, "_")}.pdf`, runs[0]!.pdf);
  console.log(
    `| ${name} | ${median(runs.map((r) => r.cpuMs)).toFixed(0)} | ${
      median(runs.map((r) => r.wallMs)).toFixed(0)
    } | ` +
      `${median(runs.map((r) => r.heapMb)).toFixed(1)} | ${
        median(runs.map((r) => r.rssMb)).toFixed(1)
      } | ${runs[0]!.pages} | ${runs[0]!.pdf.length.toLocaleString("en")} |`,
  );
}
