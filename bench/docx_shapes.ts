// CPU time and memory of one DOCX render (renderDocx, the documents function's DOCX writer) on
// documents of the worst shapes, each about 200,000 characters of Markdown: CJK paragraphs,
// thousands of bold and italic runs, a wide table (50 columns), a long table, one unbroken line
// and plain prose. The hosted limits it must live within: 2 s CPU per worker, 256 MB memory.
//
//   node_modules/.bin/deno run --allow-all --no-prompt bench/docx_shapes.ts [--chars 200000]
//       [--shapes cjk,runs] [--json] [--renderer path/to/module.ts]
//
// Each shape runs in a process of its own (started with --expose-gc), so one shape's garbage
// and peak memory never count against the next. The child parses the Markdown first (not
// measured), renders a small document once to load and warm the writer, then measures one
// render: process CPU time (user + system, every thread: V8's GC helpers included), the V8 heap
// right after the render minus the heap before it (garbage included, nothing collected in
// between), and the growth of the process's peak resident memory (VmHWM) over the render.
// --renderer measures another module exporting renderDocx (an older version, to compare).
// bench:documents imports measureDocxShapes.
import process from "node:process";
import { parseMarkdown, type Token } from "../supabase/functions/_shared/document/markdown.ts";
import { createPrng } from "../test_support/prng.ts";

type RenderDocx = (tokens: Token[], options: { title: string }) => Promise<Uint8Array>;

const DEFAULT_RENDERER = new URL("../supabase/functions/documents/docx_file.ts", import.meta.url)
  .href;

export const DOCX_SHAPES = [
  "cjk",
  "runs",
  "wide_table",
  "long_table",
  "unbroken",
  "prose",
] as const;
export type DocxShape = typeof DOCX_SHAPES[number];

export interface DocxShapeResult {
  shape: DocxShape;
  /** The Markdown's length in UTF-16 code units. */
  chars: number;
  cpuMs: number;
  wallMs: number;
  heapGrowthMb: number;
  peakRssGrowthMb: number;
  docxBytes: number;
}

const WORDS = ("the receiving party shall hold confidential information in strict confidence " +
  "and not disclose it to any third party without prior written consent of disclosing " +
  "agreement term effective date governing law notice obligations survive termination").split(" ");

/**
 * About `chars` characters of Markdown in the shape named. The text is drawn from a seeded
 * generator, so it is the same on every run yet does not repeat (a repeated sentence would
 * compress to nothing and hide the cost of deflate).
 */
export function docxShapeMarkdown(shape: DocxShape, chars: number): string {
  const random = createPrng(20261207);
  const word = () => random.pick(WORDS);
  const words = (count: number) => Array.from({ length: count }, word).join(" ");
  // Common CJK ideographs, U+4E00 to U+9FA5.
  const ideographs = (count: number) =>
    String.fromCodePoint(...Array.from({ length: count }, () => random.between(0x4e00, 0x9fa5)));
  const parts: string[] = [];
  let length = 0;
  const push = (part: string) => {
    parts.push(part);
    length += part.length;
  };
  switch (shape) {
    case "cjk":
      // Paragraphs of 500 characters.
      while (length < chars) push(`${ideographs(500)}\n\n`);
      break;
    case "runs":
      // Paragraphs of 100 styled runs each, alternating bold, italic and both.
      for (let i = 0; length < chars; i++) {
        const style = ["**", "*", "***"][i % 3]!;
        push(`${style}${word()}${style}${i % 100 === 99 ? "\n\n" : " "}`);
      }
      break;
    case "wide_table":
      push(`${row(50, (c) => `Column ${c}`)}${row(50, () => "---")}`);
      while (length < chars) push(row(50, word));
      break;
    case "long_table":
      push(`${row(3, (c) => `Column ${c}`)}${row(3, () => "---")}`);
      while (length < chars) push(row(3, () => words(3)));
      break;
    case "unbroken":
      push(
        Array.from({ length: chars }, () => String.fromCharCode(random.between(97, 122))).join(""),
      );
      break;
    case "prose":
      // Paragraphs of about 700 characters.
      while (length < chars) push(`${words(100)}.\n\n`);
      break;
  }
  return parts.join("");
}

function row(columns: number, cell: (column: number) => string): string {
  return `| ${Array.from({ length: columns }, (_, c) => cell(c)).join(" | ")} |\n`;
}

/** Measures one render of `shape` in this process (call it in a fresh one; see the header). */
export async function measureInProcess(
  shape: DocxShape,
  chars: number,
  renderer = DEFAULT_RENDERER,
): Promise<DocxShapeResult> {
  const { renderDocx } = await import(renderer) as { renderDocx: RenderDocx };
  const markdown = docxShapeMarkdown(shape, chars);
  const tokens: Token[] = parseMarkdown(markdown);
  await renderDocx(parseMarkdown("# Warm-up\n\nA **short** document.\n\n- one\n- two\n"), {
    title: "Warm-up",
  });
  collectGarbage();
  const heapBefore = Deno.memoryUsage().heapUsed;
  const peakBefore = peakRss();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const bytes = await renderDocx(tokens, { title: `Shape ${shape}` });
  const wallMs = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  const heapAfter = Deno.memoryUsage().heapUsed;
  return {
    shape,
    chars: markdown.length,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    heapGrowthMb: (heapAfter - heapBefore) / 2 ** 20,
    peakRssGrowthMb: (peakRss() - peakBefore) / 2 ** 20,
    docxBytes: bytes.length,
  };
}

/** Measures each shape in a process of its own. */
export async function measureDocxShapes(
  shapes: readonly DocxShape[] = DOCX_SHAPES,
  chars = 200_000,
  renderer = DEFAULT_RENDERER,
): Promise<DocxShapeResult[]> {
  const results: DocxShapeResult[] = [];
  for (const shape of shapes) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        "--no-prompt",
        "--v8-flags=--expose-gc",
        new URL(import.meta.url).pathname,
        "--child",
        shape,
        "--chars",
        String(chars),
        "--renderer",
        renderer,
      ],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!output.success) throw new Error(`The "${shape}" shape failed (exit ${output.code})`);
    results.push(JSON.parse(new TextDecoder().decode(output.stdout)));
  }
  return results;
}

function collectGarbage() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/** The process's peak resident memory so far, in bytes (Linux's VmHWM). */
function peakRss(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? NaN : Number(kb) * 1024;
}

function argument(name: string): string | undefined {
  const at = Deno.args.indexOf(`--${name}`);
  return at >= 0 ? Deno.args[at + 1] : undefined;
}

function parseShapes(value: string | undefined): DocxShape[] {
  if (value === undefined) return [...DOCX_SHAPES];
  return value.split(",").map((name) => {
    if (!(DOCX_SHAPES as readonly string[]).includes(name)) {
      throw new Error(`Unknown shape "${name}": use one of ${DOCX_SHAPES.join(", ")}`);
    }
    return name as DocxShape;
  });
}

if (import.meta.main) {
  const chars = Number(argument("chars") ?? 200_000);
  if (!Number.isInteger(chars) || chars < 1) {
    throw new Error(`Cannot use --chars "${argument("chars")}": not a positive whole number`);
  }
  const given = argument("renderer");
  const renderer = given === undefined
    ? DEFAULT_RENDERER
    : new URL(given, `file://${Deno.cwd()}/`).href;
  const child = argument("child");
  if (child !== undefined) {
    const [shape] = parseShapes(child);
    console.log(JSON.stringify(await measureInProcess(shape!, chars, renderer)));
  } else {
    const results = await measureDocxShapes(parseShapes(argument("shapes")), chars, renderer);
    if (Deno.args.includes("--json")) console.log(JSON.stringify(results, null, 2));
    else {
      console.log(
        "| shape | chars | CPU ms | wall ms | heap growth MB | peak RSS growth MB | DOCX KB |",
      );
      console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
      for (const r of results) {
        console.log(
          `| ${r.shape} | ${r.chars} | ${r.cpuMs.toFixed(0)} | ${r.wallMs.toFixed(0)} | ` +
            `${r.heapGrowthMb.toFixed(1)} | ${r.peakRssGrowthMb.toFixed(1)} | ` +
            `${(r.docxBytes / 1024).toFixed(0)} |`,
        );
      }
    }
  }
}
