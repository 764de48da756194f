// Checks a page's references against the repository. Pure: the repository comes in as a list of
// files and a reader, so the unit tests pass a small fixture and docs_paths_test.ts the real tree.
import type { DocReference, NameReference, PathReference } from "./doc_references.ts";
import { headingAnchors } from "./heading_anchors.ts";

export type Repository = {
  /** Every file, as a path from the root with `/` separators. */
  files: readonly string[];
  read(file: string): string;
};

// Paths the docs may name that a run makes and git ignores.
export const runTimePaths: readonly string[] = [
  ".env",
  ".stack/",
  "dist/",
  "node_modules/",
  "test-artifacts/",
  "supabase/.temp/",
];

// Names that belong to the platform, the SQL server or a library, not to this repository: a
// reference whose first part is one of them is not checked.
export const outsideNames: ReadonlySet<string> = new Set([
  // Deno, the Edge Runtime, the web platform and Node.
  "Deno",
  "EdgeRuntime",
  "JSON",
  "Date",
  "Math",
  "Promise",
  "crypto",
  "console",
  "process",
  "fetch",
  "setTimeout",
  // Libraries: zod, postgres.js, supabase-js, Playwright.
  "z",
  "sql",
  "supabase",
  "page",
  // SQL built-ins and pg_cron.
  "cron",
  "now",
  "length",
  "set_config",
  "current_setting",
  "pg_notify",
  "pg_has_role",
  "inet_server_port",
  "jsonb_array_length",
  "octet_length",
  // Words written like calls: `http(s)`.
  "http",
]);

export type Problem = { line: number; message: string };

/** What is wrong with one page's references; `page` is the page's path from the root. */
export function checkReferences(
  page: string,
  references: readonly DocReference[],
  repository: Repository,
): Problem[] {
  const index = new RepositoryIndex(repository);
  const problems: Problem[] = [];
  for (const reference of references) {
    const message = reference.kind === "path"
      ? checkPath(page, reference, index)
      : reference.kind === "script"
      ? checkScript(reference.script, index)
      : checkName(reference, index);
    if (message !== undefined) problems.push({ line: reference.line, message });
  }
  return problems;
}

function checkPath(page: string, reference: PathReference, index: RepositoryIndex) {
  if (reference.link) {
    const target = reference.path === "" ? page : joinPath(folderOf(page), reference.path);
    if (!index.exists(target)) return `The link "${reference.path}" names no file or folder`;
    if (reference.anchor === undefined || !target.endsWith(".md")) return undefined;
    if (!headingAnchors(index.read(target)).has(reference.anchor)) {
      return `The link "${reference.path}#${reference.anchor}": no heading of ${target} has that anchor`;
    }
    return undefined;
  }
  if (runTimePaths.some((path) => reference.path === path || reference.path.startsWith(path))) {
    return undefined;
  }
  if (index.matching(reference.path).length === 0) {
    return `"${reference.path}" names no file or folder of the repository`;
  }
  return undefined;
}

function checkScript(script: string, index: RepositoryIndex): string | undefined {
  const scripts = (JSON.parse(index.read("package.json")) as { scripts?: object }).scripts ?? {};
  return script in scripts ? undefined : `"npm run ${script}" is no script of package.json`;
}

function checkName(reference: NameReference, index: RepositoryIndex): string | undefined {
  const [first = "", member] = reference.name.split(".");
  if (outsideNames.has(first)) return undefined;
  if (reference.file !== undefined) {
    const files = index.matching(reference.file);
    if (files.length === 0) return undefined; // the path's own check reports it
    if (files.some((file) => declares(reference, file, index.read(file)))) return undefined;
    return `"${reference.name}" is not declared in ${reference.file}`;
  }
  if (member !== undefined && index.sqlSchemas().has(first)) {
    return index.sqlFunction(first, member)
      ? undefined
      : `"${reference.name}()" is no SQL function of the migrations`;
  }
  if (member === undefined && index.sqlFunction(undefined, first)) return undefined;
  const owners = member === undefined
    ? []
    : index.sourceFiles().filter((file) => exportsName(index.read(file), first));
  const candidates = owners.length > 0 ? owners : index.sourceFiles();
  const found = candidates.some((file) =>
    member === undefined
      ? declaresName(index.read(file), first)
      : declaresName(index.read(file), member)
  );
  return found ? undefined : `"${reference.name}()" is declared nowhere in the repository`;
}

function declares(reference: NameReference, file: string, text: string): boolean {
  const [name = "", member] = reference.name.split(".");
  if (file.endsWith(".sql")) {
    // A role, a table or a setting has no declaration to look for: an SQL file names it.
    if (!reference.call) return new RegExp(`\\b${escape(reference.name)}\\b`).test(text);
    return sqlDeclares(text, member === undefined ? undefined : name, member ?? name);
  }
  if (member === undefined) return exportsName(text, name) || declaresName(text, name);
  return exportsName(text, name) && declaresName(text, member);
}

/** Whether a TypeScript or JavaScript file exports `name`. */
export function exportsName(text: string, name: string): boolean {
  const n = escape(name);
  const declared = new RegExp(
    `\\bexport\\s+(?:default\\s+)?(?:declare\\s+)?(?:async\\s+)?(?:abstract\\s+)?` +
      `(?:function\\*?|const|let|var|class|interface|type|enum)\\s+${n}\\b`,
  );
  const listed = new RegExp(`\\bexport\\s+(?:type\\s+)?\\{[^}]*\\b${n}\\b[^}]*\\}`);
  return declared.test(text) || listed.test(text);
}

/** Whether a file declares `name` at all: exported, local, or as a method or property. */
export function declaresName(text: string, name: string): boolean {
  const n = escape(name);
  const local = new RegExp(
    `(?:^|\\s)(?:async\\s+)?(?:function\\*?|const|let|var|class|interface|type|enum)\\s+${n}\\b`,
    "m",
  );
  const memberOf = new RegExp(
    `^\\s*(?:(?:public|private|protected|static|readonly|override|async|get|set)\\s+)*` +
      `${n}\\??\\s*(?:[(<:=]|$)`,
    "m",
  );
  return exportsName(text, name) || local.test(text) || memberOf.test(text);
}

function sqlDeclares(text: string, schema: string | undefined, name: string): boolean {
  const qualified = schema === undefined ? `(?:\\w+\\.)?` : `${escape(schema)}\\.`;
  return new RegExp(
    `\\bcreate\\s+(?:or\\s+replace\\s+)?(?:function|procedure)\\s+${qualified}${
      escape(name)
    }\\s*\\(`,
    "i",
  ).test(text);
}

// The repository's files with the lookups the checks need, each computed once.
class RepositoryIndex {
  #repository: Repository;
  #folders: Set<string>;
  #files: Set<string>;
  #texts = new Map<string, string>();
  #schemas?: Set<string>;

  constructor(repository: Repository) {
    this.#repository = repository;
    this.#files = new Set(repository.files);
    this.#folders = new Set();
    for (const file of repository.files) {
      const parts = file.split("/");
      for (let i = 1; i < parts.length; i++) this.#folders.add(parts.slice(0, i).join("/"));
    }
  }

  read(file: string): string {
    let text = this.#texts.get(file);
    if (text === undefined) {
      text = this.#repository.read(file);
      this.#texts.set(file, text);
    }
    return text;
  }

  exists(path: string): boolean {
    const bare = path.replace(/\/$/, "");
    return bare === "" || this.#files.has(bare) || this.#folders.has(bare);
  }

  /** The files or folders a path names: from the root, or as the trailing part of a path. */
  matching(path: string): string[] {
    const folder = path.endsWith("/");
    // `../chat_client.ts` in "app.js imports `../chat_client.ts`": the part after the dots.
    const bare = path.replace(/^(\.\.?\/)+/, "").replace(/\/$/, "");
    const pool = folder ? this.#folders : new Set([...this.#files, ...this.#folders]);
    if (pool.has(bare)) return [bare];
    return [...pool].filter((candidate) => candidate.endsWith(`/${bare}`));
  }

  sourceFiles(): string[] {
    return [...this.#files].filter((file) => /\.(ts|js)$/.test(file));
  }

  sqlFiles(): string[] {
    return [...this.#files].filter((file) => /\.(sql|psql)$/.test(file));
  }

  sqlSchemas(): Set<string> {
    if (this.#schemas === undefined) {
      this.#schemas = new Set();
      for (const file of this.sqlFiles()) {
        const pattern = /\bcreate\s+(?:or\s+replace\s+)?(?:function|procedure)\s+(\w+)\./gi;
        for (const match of this.read(file).matchAll(pattern)) {
          this.#schemas.add((match[1] ?? "").toLowerCase());
        }
      }
    }
    return this.#schemas;
  }

  sqlFunction(schema: string | undefined, name: string): boolean {
    return this.sqlFiles().some((file) => sqlDeclares(this.read(file), schema, name));
  }
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

function joinPath(folder: string, relative: string): string {
  const parts = folder === "" ? [] : folder.split("/");
  for (const part of relative.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/") + (relative.endsWith("/") ? "/" : "");
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
