/**
 * Measures one function's deployed bundle from Deno's own view of it: `deno info --json` with
 * the function's deno.json and lock (frozen, so a stale lock fails here instead of at deploy)
 * lists its local modules and every npm package the lock resolves; each package's folder in
 * Deno's cache is measured whole, uncompressed and gzip-compressed.
 */
import type { FunctionBundle, MeasuredPart } from "./bundle_report.ts";
import { importMapProblems } from "./bundle_report.ts";

interface DenoInfo {
  modules: {
    specifier: string;
    local?: string;
    error?: string;
    dependencies?: {
      specifier: string;
      code?: { error?: string };
      type?: { error?: string };
    }[];
  }[];
  npmPackages: Record<string, { name: string; version: string; localPath?: string }>;
}

export async function measureFunction(
  deno: string,
  root: string,
  name: string,
): Promise<FunctionBundle> {
  const dir = `${root}/supabase/functions/${name}`;
  const config = JSON.parse(await Deno.readTextFile(`${dir}/deno.json`));
  const rootConfig = JSON.parse(await Deno.readTextFile(`${root}/deno.json`));
  const output = await new Deno.Command(deno, {
    args: ["info", "--json", "--frozen", "--config", `${dir}/deno.json`, `${dir}/index.ts`],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    // The first line says what is wrong ("The lockfile is out of date. Run ...").
    const reason = new TextDecoder().decode(output.stderr).split("\n")
      .find((line) => line.trim() !== "")?.replace(/^error: /i, "") ?? "deno info failed";
    return {
      name,
      sources: { name: "sources", bytes: 0, compressedBytes: 0 },
      packages: [],
      problems: [`Function "${name}" cannot be resolved with its own deno.json: ${reason}`],
    };
  }
  const info: DenoInfo = JSON.parse(new TextDecoder().decode(output.stdout));

  const problems: string[] = [];
  const used = new Set<string>();
  const sources: string[] = [];
  for (const module of info.modules) {
    if (!module.specifier.startsWith("file://")) continue;
    if (module.local) sources.push(module.local);
    if (module.error) problems.push(`Function "${name}": ${module.error}`);
    for (const dependency of module.dependencies ?? []) {
      const error = dependency.code?.error ?? dependency.type?.error;
      if (error) problems.push(`Function "${name}": ${error}`);
      if (!/^(\.|\/|node:|npm:|file:)/.test(dependency.specifier)) used.add(dependency.specifier);
    }
  }
  problems.push(...importMapProblems(name, config.imports ?? {}, rootConfig.imports ?? {}, used));

  const packages: MeasuredPart[] = [];
  for (const [id, entry] of Object.entries(info.npmPackages)) {
    if (!entry.localPath) {
      problems.push(`Function "${name}": package "${id}" is not in Deno's cache`);
      continue;
    }
    packages.push({
      name: `${entry.name}@${entry.version}`,
      ...await measureFiles(walk(entry.localPath)),
    });
  }
  return {
    name,
    sources: { name: "sources", ...await measureFiles(toIterable(sources)) },
    packages,
    problems,
  };
}

async function* toIterable(paths: string[]): AsyncGenerator<string> {
  yield* paths;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile) yield path;
  }
}

/** Total bytes of the files, and of all of them through one gzip stream (as a tarball). */
async function measureFiles(
  paths: AsyncIterable<string>,
): Promise<{ bytes: number; compressedBytes: number }> {
  const gzip = new CompressionStream("gzip");
  const writer = gzip.writable.getWriter();
  const counting = (async () => {
    let compressed = 0;
    for await (const chunk of gzip.readable) compressed += chunk.byteLength;
    return compressed;
  })();
  let bytes = 0;
  for await (const path of paths) {
    const data = await Deno.readFile(path);
    bytes += data.byteLength;
    await writer.write(data);
  }
  await writer.close();
  return { bytes, compressedBytes: await counting };
}
