// The seeded product templates: `supabase/templates/<slug>.json` (id, slug, name, description,
// title, questions) plus `<slug>.md` (its body), read and checked by `parseTemplate`. Used by the
// seed script and by every test that needs the real templates, which must not import a script.
import {
  parseTemplate,
  type Template,
} from "../../supabase/functions/_shared/template/template.ts";

export const TEMPLATES_DIR: URL = new URL("../../supabase/templates/", import.meta.url);

const JSON_KEYS = new Set(["id", "slug", "name", "description", "title", "questions"]);

/**
 * Reads and validates every template in `dir`, sorted by slug.
 *
 * @throws {TypeError} naming the file of a malformed or inconsistent template.
 */
export async function loadTemplates(dir: URL = TEMPLATES_DIR): Promise<Template[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
  }
  names.sort();
  const templates: Template[] = [];
  for (const name of names) {
    const slug = name.slice(0, -".json".length);
    const json: unknown = JSON.parse(await Deno.readTextFile(new URL(name, dir)));
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new TypeError(`Cannot load template "${name}": not a JSON object`);
    }
    const extra = Object.keys(json).filter((key) => !JSON_KEYS.has(key));
    if (extra.length > 0) {
      throw new TypeError(`Cannot load template "${name}": unexpected keys ${extra.join(", ")}`);
    }
    const body = await Deno.readTextFile(new URL(`${slug}.md`, dir));
    const template = parseTemplate({ ...json, body });
    if (template.slug !== slug) {
      throw new TypeError(`Cannot load template "${name}": its slug is "${template.slug}"`);
    }
    if (templates.some((other) => other.id === template.id)) {
      throw new TypeError(`Cannot load template "${name}": id ${template.id} is taken`);
    }
    templates.push(template);
  }
  return templates;
}
