/**
 * `npm run templates -- preview <slug> <answers.json>`: a document for a set of answers, with no
 * interview, rendered by the documents function's own renderers (main.ts loads this on demand).
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { parseTemplate } from "../../supabase/functions/_shared/template/template.ts";
import {
  DOWNLOAD_FORMATS,
  type DownloadFormat,
  isDownloadFormat,
} from "../../supabase/functions/documents/download.ts";
import { USAGE } from "./usage.ts";
import { parseAnswers, previewDocument, renderPreview } from "./preview.ts";
import { DEFAULT_TEMPLATES_DIR, templateFilesAt } from "./template_files.ts";

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
