/**
 * `npm run templates -- <command>`: the template author's tools.
 *
 *   check [file or folder]                 every problem, as file:line:column: sentence
 *   preview <slug> <answers.json> [--format md|html|docx|pdf] [--out file] [--dir folder]
 *   publish [folder] [--by name]           check, then publish each changed template's next version
 *   retire <slug>                          hide a template from new interviews
 *
 * The folder defaults to supabase/templates. check exits 1 when it finds a problem, and publish
 * then publishes nothing. publish and retire write to SUPABASE_DB_URL, else the local stack.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { loadTemplates } from "../seed/seeded_templates.ts";
import { checkTemplate } from "./check_template.ts";
import { USAGE } from "./usage.ts";
import { templatesDatabaseUrl } from "./database_url.ts";
import { describeOutcome, describeRetired, publishTemplates, retireTemplate } from "./publish.ts";
import { formatProblem } from "./source_position.ts";
import { DEFAULT_TEMPLATES_DIR, templateFilesAt } from "./template_files.ts";

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

export async function publish(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { by: { type: "string" } },
  });
  if (positionals.length > 1) throw new TypeError(`publish takes one folder\n${USAGE}`);
  const dir = positionals[0] ?? DEFAULT_TEMPLATES_DIR;
  // The checker first: a template with a problem is never published, and neither is the rest.
  if (await check(dir) !== 0) {
    console.error("Nothing published: fix the problems above, then publish again");
    return 1;
  }
  const templates = await loadTemplates(new URL(`file://${Deno.realPathSync(dir)}/`));
  const by = values.by ?? Deno.env.get("USER") ?? Deno.env.get("LOGNAME");
  await withDatabase(async (sql) => {
    for (const outcome of await publishTemplates(sql, templates, by)) {
      console.log(describeOutcome(outcome));
    }
  });
  return 0;
}

export async function retire(args: string[]): Promise<number> {
  const [slug, ...rest] = args;
  if (slug === undefined || rest.length > 0) {
    throw new TypeError(`retire takes one template slug\n${USAGE}`);
  }
  await withDatabase(async (sql) => console.log(describeRetired(await retireTemplate(sql, slug))));
  return 0;
}

async function withDatabase(work: (sql: postgres.Sql) => Promise<void>): Promise<void> {
  const sql = postgres(await templatesDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    await work(sql);
  } finally {
    await sql.end();
  }
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "check":
      if (rest.length > 1) throw new TypeError(`check takes one file or folder\n${USAGE}`);
      return await check(rest[0]);
    case "preview":
      // Loaded when it runs: the documents function's renderers read the environment as they
      // load, and `check` (npm test's gate) runs with --allow-read alone.
      return await (await import("./preview_command.ts")).preview(rest);
    case "publish":
      return await publish(rest);
    case "retire":
      return await retire(rest);
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
