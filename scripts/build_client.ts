// `npm run build:client`: the client SDK as an npm package an app installs, in dist/client/ (or
// `--out <dir>`): index.js (one ES module, built by `deno bundle` from client/chat_client.ts and
// the wire files it imports), index.d.ts (its declarations, bundled the same way), package.json
// (from client/npm_package.json, named so that Deno does not take client/ for a package of its
// own: exports, types) and a README. `npm pack` in that folder makes the tarball.
//
// The bundle imports nothing at run time: supabase-js is the app's, handed to the client as an
// argument and typed by its shape. The declarations import zod's types, since the wire types are
// inferred from the server's zod schemas, so zod is the package's one dependency (types only).
import { parseArgs } from "node:util";

const ROOT = new URL("../", import.meta.url).pathname;
const ENTRY = "client/chat_client.ts";
const MANIFEST = "client/npm_package.json";

/** The bare specifiers a built file imports (`import ... from "x"`, `import("x")`), sorted. */
export function importedPackages(code: string): string[] {
  const found = new Set<string>();
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"'./][^"']*)["']/g;
  for (const match of code.matchAll(pattern)) found.add(match[1]!);
  return [...found].sort();
}

/** What the package may import at run time (none) and in its declarations (its dependencies). */
export function checkImports(
  js: string,
  declarations: string,
  dependencies: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const name of importedPackages(js)) {
    problems.push(
      `index.js imports "${name}": the SDK must not import a package at run time`,
    );
  }
  for (const name of importedPackages(declarations)) {
    if (!dependencies.includes(name)) {
      problems.push(
        `index.d.ts imports "${name}", which ${MANIFEST} does not list as a dependency`,
      );
    }
  }
  return problems;
}

const README = (name: string, version: string) =>
  `# ${name} ${version}

The client SDK of the guided document chat: one interview over the chat function's WebSocket
(protocol chat.v2, or chat.v1), with resume, resend, token refresh in band and the review.

\`\`\`ts
import { createClient } from "@supabase/supabase-js";
import { ChatClient } from "${name}";

const supabase = createClient(SUPABASE_URL, SUPABASE_ANON_KEY);
const chat = new ChatClient({ supabase, templateId, realtime: true });
chat.on("question", ({ question }) => show(question));
chat.on("review", ({ document }) => preview(document));
chat.on("complete", ({ documentId }) => open(documentId));
chat.connect();
\`\`\`

Without supabase-js, give \`url\` (\`wss://<ref>.supabase.co/functions/v1/chat\`) and
\`getToken(reason)\` instead. Runs in browsers, Deno and Node 22 or newer (Node 20 and 21 with
\`--experimental-websocket\`). The project's docs/client.md has every option and event.
`;

async function build(out: string): Promise<void> {
  const manifest = JSON.parse(await Deno.readTextFile(`${ROOT}${MANIFEST}`));
  await Deno.remove(out, { recursive: true }).catch((error: unknown) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  await Deno.mkdir(out, { recursive: true });
  const bundled = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--format",
      "esm",
      "--declaration",
      "--output",
      `${out}/index.js`,
      `${ROOT}${ENTRY}`,
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!bundled.success) {
    throw new Error(
      `Cannot bundle "${ENTRY}": ${new TextDecoder().decode(bundled.stderr)}`,
    );
  }
  const js = await Deno.readTextFile(`${out}/index.js`);
  const declarations = await Deno.readTextFile(`${out}/index.d.ts`);
  const problems = checkImports(
    js,
    declarations,
    Object.keys(manifest.dependencies ?? {}),
  );
  if (problems.length > 0) {
    throw new Error(`The built package is wrong:\n${problems.join("\n")}`);
  }
  await Deno.writeTextFile(
    `${out}/package.json`,
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  await Deno.writeTextFile(
    `${out}/README.md`,
    README(manifest.name, manifest.version),
  );
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { out: { type: "string", default: `${ROOT}dist/client` } },
  });
  const out = values.out!.replace(/\/$/, "");
  try {
    await build(out);
  } catch (error: unknown) {
    console.error(
      `build:client: ${error instanceof Error ? error.message : String(error)}`,
    );
    Deno.exit(1);
  }
  console.error(
    `build:client: ${out} (index.js, index.d.ts, package.json); npm pack there`,
  );
}
