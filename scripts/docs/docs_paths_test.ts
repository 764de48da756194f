// The docs test over the real pages: every path and function that docs/*.md and README.md name
// exists (the rule: docs/testing.md, "The docs test"). The rule's own cases, with a small fixture,
// are in doc_references_test.ts and check_references_test.ts.
import assert from "node:assert/strict";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { findReferences } from "./doc_references.ts";
import { checkReferences, type Repository } from "./check_references.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
// Folders no page is about: tools, caches and what runs leave behind.
const skipped = new Set([".git", "node_modules", ".stack", "test-artifacts", "supabase/.temp"]);

function repositoryFiles(folder = root): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(folder)) {
    const path = join(folder, entry.name);
    const name = relative(root, path).split(sep).join("/");
    if (skipped.has(name)) continue;
    if (entry.isDirectory) files.push(...repositoryFiles(path));
    else if (entry.isFile) files.push(name);
  }
  return files;
}

Deno.test("every file, folder, link and function the docs name exists", () => {
  const files = repositoryFiles();
  const repository: Repository = {
    files,
    read: (file) => Deno.readTextFileSync(join(root, file)),
  };
  const topFolders = [
    ...new Set(files.filter((f) => f.includes("/")).map((f) => f.split("/")[0]!)),
  ];
  const pages = ["README.md", ...files.filter((f) => /^docs\/[^/]+\.md$/.test(f)).sort()];
  const problems = pages.flatMap((page) =>
    checkReferences(page, findReferences(repository.read(page), topFolders), repository)
      .map((problem) => `${page}:${problem.line}: ${problem.message}`)
  );
  assert.deepEqual(problems, []);
});
