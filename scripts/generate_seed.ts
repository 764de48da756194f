/**
 * Builds `supabase/seed.sql` from the templates in `supabase/templates/`: each template is
 * `<slug>.json` (id, slug, name, description, title rule, questions) plus `<slug>.md` (its body), and
 * must pass `parseTemplate`. The seed upserts by id, so running it again updates the rows.
 *
 *   deno run --allow-read --allow-write scripts/generate_seed.ts          # write seed.sql
 *   deno run --allow-read scripts/generate_seed.ts --check                # fail if stale
 */
import { renderSeed } from "./seed/seed_sql.ts";
import { loadTemplates, TEMPLATES_DIR } from "./seed/seeded_templates.ts";

export const SEED_FILE: URL = new URL("../supabase/seed.sql", import.meta.url);

/** The seed SQL for the templates in `dir` as they are now. */
export async function generateSeed(dir: URL = TEMPLATES_DIR): Promise<string> {
  return renderSeed(await loadTemplates(dir));
}

if (import.meta.main) {
  const seed = await generateSeed();
  if (Deno.args.includes("--check")) {
    const current = await Deno.readTextFile(SEED_FILE).catch(() => "");
    if (current !== seed) {
      console.error(
        "supabase/seed.sql is stale: run scripts/generate_seed.ts and commit the result",
      );
      Deno.exit(1);
    }
  } else {
    await Deno.writeTextFile(SEED_FILE, seed);
    console.log(`Wrote ${SEED_FILE.pathname}`);
  }
}
