/**
 * Which template files a path means: a folder's `*.json` templates (each with the `.md` of the
 * same name beside it), or the one template a `.json` or `.md` file belongs to.
 */
import { basename, dirname, extname, join } from "node:path";
import type { TemplateFiles } from "./check_template.ts";

export const DEFAULT_TEMPLATES_DIR = "supabase/templates";

export async function templateFilesAt(path: string): Promise<TemplateFiles[]> {
  const info = await Deno.stat(path).catch(() => undefined);
  if (info === undefined) throw new TypeError(`Cannot read "${path}": no such file or folder`);
  const jsonFiles: string[] = [];
  if (info.isDirectory) {
    for await (const entry of Deno.readDir(path)) {
      if (entry.isFile && entry.name.endsWith(".json")) jsonFiles.push(join(path, entry.name));
    }
    jsonFiles.sort();
    if (jsonFiles.length === 0) throw new TypeError(`No templates in "${path}": no .json files`);
  } else {
    const extension = extname(path);
    if (extension !== ".json" && extension !== ".md") {
      throw new TypeError(`Cannot check "${path}": a template is a .json file and its .md body`);
    }
    jsonFiles.push(join(dirname(path), `${basename(path, extension)}.json`));
  }
  return await Promise.all(jsonFiles.map(async (jsonFile) => {
    const bodyFile = jsonFile.replace(/\.json$/, ".md");
    const jsonText = await Deno.readTextFile(jsonFile).catch(() => undefined);
    if (jsonText === undefined) throw new TypeError(`Cannot read "${jsonFile}"`);
    const bodyText = await Deno.readTextFile(bodyFile).catch(() => undefined);
    return { jsonFile, jsonText, bodyFile, bodyText };
  }));
}
