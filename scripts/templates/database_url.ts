/**
 * The database `publish` and `retire` write to: SUPABASE_DB_URL when it is set (a hosted
 * project's, say), else the local stack's, as `bash scripts/stack.sh env` prints it.
 */

/** Reads SUPABASE_DB_URL out of `stack.sh env`'s `NAME=value` lines. */
export function databaseUrlOf(stackEnv: string): string | undefined {
  for (const line of stackEnv.split("\n")) {
    const match = /^SUPABASE_DB_URL=(.+)$/.exec(line.trim());
    if (match) return match[1];
  }
  return undefined;
}

export async function templatesDatabaseUrl(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Promise<string> {
  if (env.SUPABASE_DB_URL) return env.SUPABASE_DB_URL;
  const output = await new Deno.Command("bash", {
    args: ["scripts/stack.sh", "env"],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  const url = output?.success ? databaseUrlOf(new TextDecoder().decode(output.stdout)) : undefined;
  if (url === undefined) {
    throw new TypeError(
      "No database to publish to: start the local stack (npm run stack -- up) or set SUPABASE_DB_URL",
    );
  }
  return url;
}
