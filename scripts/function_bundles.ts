/**
 * `npm test`'s bundle check: what each function's deployed bundle would carry, printed per
 * function with its largest packages, and a failure above the platform's limits (docs/hosted.md).
 *
 *   deno run --allow-read --allow-run scripts/function_bundles.ts
 */
import { formatVerdicts, judgeBundle } from "./bundle/bundle_report.ts";
import { measureFunction } from "./bundle/measure_function.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const names: string[] = [];
for await (const entry of Deno.readDir(`${root}/supabase/functions`)) {
  if (!entry.isDirectory || entry.name.startsWith("_")) continue;
  try {
    await Deno.stat(`${root}/supabase/functions/${entry.name}/index.ts`);
    names.push(entry.name);
  } catch {
    // a folder without an entry point is not a function
  }
}
names.sort();

const verdicts = [];
for (const name of names) {
  verdicts.push(judgeBundle(await measureFunction(Deno.execPath(), root, name)));
}
for (const line of formatVerdicts(verdicts)) console.log(line);
const failed = verdicts.filter((verdict) => verdict.failures.length > 0);
if (failed.length > 0) {
  console.log(`${failed.length} of ${verdicts.length} functions do not fit the platform`);
  Deno.exit(1);
}
