// Independent readers for the files the documents function makes, so tests check what a person
// opening them would see: DOCX through mammoth (its own parser of the Office XML), PDF through
// poppler's pdftotext and pdfinfo (Debian's poppler-utils, which scripts/test.sh installs).
import { ROOT } from "./local_stack.ts";

export interface DocxContent {
  /** mammoth's HTML: headings as <h1>..., lists as <ul>/<ol>, tables as <table>. */
  html: string;
  text: string;
  messages: string[];
}

export async function readDocx(bytes: Uint8Array): Promise<DocxContent> {
  const output = await run(
    Deno.execPath(),
    ["run", "--quiet", "--unsafe-proto", "--allow-read", `${ROOT}test_support/mammoth_reader.ts`],
    bytes,
  );
  return JSON.parse(output);
}

export interface PdfContent {
  /** pdftotext's text, in reading order. */
  text: string;
  /** pdfinfo's fields: Title, Pages, ... */
  info: Record<string, string>;
}

export async function readPdf(bytes: Uint8Array): Promise<PdfContent> {
  const file = await Deno.makeTempFile({ suffix: ".pdf" });
  try {
    await Deno.writeFile(file, bytes);
    const text = await run("pdftotext", ["-enc", "UTF-8", file, "-"]);
    const info = Object.fromEntries(
      (await run("pdfinfo", ["-enc", "UTF-8", file])).split("\n")
        .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
        .filter((match) => match !== null)
        .map((match) => [match[1]!, match[2]!]),
    );
    return { text, info };
  } finally {
    await Deno.remove(file);
  }
}

/**
 * A tagged PDF's logical structure with its text, as poppler's `pdfinfo -struct-text` prints it:
 * one line per element or text, indented two spaces per level ("Document", "  H1 (block)",
 * '    "Title"').
 */
export async function readPdfStructure(bytes: Uint8Array): Promise<string> {
  const file = await Deno.makeTempFile({ suffix: ".pdf" });
  try {
    await Deno.writeFile(file, bytes);
    return await run("pdfinfo", ["-enc", "UTF-8", "-struct-text", file]);
  } finally {
    await Deno.remove(file);
  }
}

/** Text with every run of whitespace removed, to find words a PDF wrapped across lines. */
export function squash(text: string): string {
  return text.replace(/\s+/g, "");
}

async function run(command: string, args: string[], input?: Uint8Array): Promise<string> {
  const child = new Deno.Command(command, {
    args,
    stdin: input ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    cwd: ROOT,
    env: { NO_COLOR: "1" },
  }).spawn();
  if (input) {
    const writer = child.stdin.getWriter();
    await writer.write(input);
    await writer.close();
  }
  const output = await child.output();
  const decoder = new TextDecoder();
  if (!output.success) {
    throw new Error(`${command} failed (${output.code}): ${decoder.decode(output.stderr)}`);
  }
  return decoder.decode(output.stdout);
}
