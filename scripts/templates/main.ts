/**
 * `npm run templates -- <command>`: the template author's tools.
 *
 *   check [file or folder]                 every problem, as file:line:column: sentence
 *   preview <slug> <answers.json> [--format md|html|pdf|docx] [--out file] [--dir folder]
 *
 * The folder defaults to supabase/templates. check exits 1 when it finds a problem.
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { parseTemplate } from "../../supabase/functions/_shared/template/template.ts";
import {
  DOWNLOAD_FORMATS,
  type DownloadFormat,
  isDownloadFormat,
} from "../../supabase/functions/documents/download.ts";
import { checkTemplate } from "./check_template.ts";
import { parseAnswers, previewDocument, renderPreview } from "./preview.ts";
import { formatProblem } from "./source_position.ts";
import { DEFAULT_TEMPLATES_DIR, templateFilesAt } from "./template_files.ts";

const USAGE = `Usage:
  npm run templates -- check [file or folder]
  npm run templates -- preview <slug> <answers.json> [--format ${
  DOWNLOAD_FORMATS.join("|")
}] [--out file] [--dir folder]`;

export async function check(path: string = DEFAULT_TEMPLATES_DIR): Promise<number> {
  const templates = await templateFilesAt(path);
  let count = 0;
  for (const files of templates) {
    for (const problem of checkTemplate(files)) {
      console.log(formatProblem(problem));
      count++;
    }
  }
  const noun = templates.length === 1 ? "template" : "templates";
  console.error(
    count === 0
      ? `${templates.length} ${noun} checked: no problems`
      : `${templates.length} ${noun} checked: ${count} problem${count === 1 ? "" : "s"}`,
  );
  return count === 0 ? 0 : 1;
}

export async function preview(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: "string", default: "md" },
      out: { type: "string" },
      dir: { type: "string", default: DEFAULT_TEMPLATES_DIR },
    },
  });
  const [slug, answersFile] = positionals;
  if (slug === undefined || answersFile === undefined || positionals.length > 2) {
    throw new TypeError(`preview needs a template slug and an answers file\n${USAGE}`);
  }
  const format = values.format;
  if (!isDownloadFormat(format)) {
    throw new TypeError(`Unknown format "${format}": use one of ${DOWNLOAD_FORMATS.join(", ")}`);
  }
  const [files] = await templateFilesAt(join(values.dir, `${slug}.json`)).catch(() => {
    throw new TypeError(`No template "${slug}" in ${values.dir}`);
  });
  if (files === undefined || files.bodyText === undefined) {
    throw new TypeError(`Template "${slug}" has no body: ${files?.bodyFile} is missing`);
  }
  const template = parseTemplate({ ...JSON.parse(files.jsonText), body: files.bodyText });
  const answersText = await Deno.readTextFile(answersFile).catch(() => {
    throw new TypeError(`Cannot read "${answersFile}": no such file`);
  });
  const result = previewDocument(template, parseAnswers(answersText, answersFile));
  for (const id of result.unused) {
    console.error(`note: "${id}" was not asked with these answers (its condition does not hold)`);
  }
  const file = await renderPreview(result, format as DownloadFormat);
  const out = values.out ?? (format === "md" || format === "html" ? "-" : `${slug}.${format}`);
  if (out === "-") await Deno.stdout.write(file.body);
  else {
    await Deno.writeFile(out, file.body);
    console.error(`Wrote ${out}`);
  }
  return 0;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "check":
      if (rest.length > 1) throw new TypeError(`check takes one file or folder\n${USAGE}`);
      return await check(rest[0]);
    case "preview":
      return await preview(rest);
    default:
      throw new TypeError(command === undefined ? USAGE : `Unknown command "${command}"\n${USAGE}`);
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(2);
  }
}
