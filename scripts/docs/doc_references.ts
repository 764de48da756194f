// What a Markdown page claims about the repository: the paths it names and the functions it names.
// Pure: text in, references out. The rule is in docs/testing.md ("The docs test"); fenced code
// blocks are left out, because they hold commands, SQL and trees whose paths are relative to
// whatever they draw.

/** A path in backticks or a link's target, as written, with the line it is on. */
export type PathReference = {
  kind: "path";
  path: string;
  /** A link's `#fragment`, when the link has one. */
  anchor?: string;
  /** True for a link target, which is relative to the page's own folder. */
  link: boolean;
  line: number;
};

/**
 * A function the page names: `name()` or `Owner.name()` in backticks, or a name in backticks
 * right after a file in backticks (`` `user_database.ts`: `asUser` ``), which says it is in
 * that file.
 */
export type NameReference = {
  kind: "name";
  /** The name as written without its arguments: `step`, `SessionStore.appendTurns`. */
  name: string;
  /** The file the page pairs it with, as written; none for a bare `name()`. */
  file?: string;
  /** Written with `()`: a function, where a bare name may be any declaration. */
  call: boolean;
  line: number;
};

/** An npm script the page runs in a code span: `npm run seed`, `npm run -s token -- a@b.test`. */
export type ScriptReference = { kind: "script"; script: string; line: number };

export type DocReference = PathReference | NameReference | ScriptReference;

// What a file name in backticks ends with. Other dotted words (`chat.v1`, `word/document.xml`)
// are not claims about this repository's files.
const fileExtensions = /\.(ts|js|sql|sh|md|json|toml|html|css|psql|lock|example)$/;
// Characters that make a span a pattern, a placeholder, a URL or a command rather than one path.
const notOnePath = /[\s*<>{}$|()@:,'"=?!\\]/;
const nameSpan = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)(\(.*\))?$/;
// Files whose names a pairing checks: the ones with declarations to look for.
const declaringFile = /\.(ts|js|sql)$/;

/** Every path and function reference of one page, in order. */
export function findReferences(markdown: string, topFolders: readonly string[]): DocReference[] {
  const text = withoutFencedBlocks(markdown);
  const references: DocReference[] = [];
  const spans = codeSpans(text);
  for (const [index, span] of spans.entries()) {
    const line = lineAt(text, span.start);
    const script = /^npm run(?: -s)? ([\w:-]+)/.exec(span.content)?.[1];
    if (script !== undefined) {
      references.push({ kind: "script", script, line });
      continue;
    }
    if (isPath(span.content, topFolders)) {
      references.push({ kind: "path", path: span.content, link: false, line });
      continue;
    }
    const name = nameSpan.exec(span.content);
    if (name?.[1] === undefined) continue;
    const file = pairedFile(spans, index, text);
    const call = name[2] !== undefined;
    if (file !== undefined) references.push({ kind: "name", name: name[1], file, call, line });
    else if (call) references.push({ kind: "name", name: name[1], call, line });
  }
  for (const link of linkTargets(text)) references.push(link);
  return references.sort((a, b) => a.line - b.line);
}

/**
 * Whether a code span names a path: one word with no pattern characters that ends with a file
 * extension, or ends with `/`, or starts with one of the repository's top folders.
 */
export function isPath(span: string, topFolders: readonly string[]): boolean {
  if (span === "" || notOnePath.test(span) || span.startsWith("/")) return false;
  if (span.includes("//") || span.startsWith("-")) return false;
  const base = span.split("/").filter((part) => part !== "").at(-1) ?? "";
  if (fileExtensions.test(span)) return /^[\w.-]*\w[\w-]*\.\w+$/.test(base);
  if (span.endsWith("/")) return /^[\w.-]+$/.test(base);
  const first = span.split("/")[0] ?? "";
  return span.includes("/") && topFolders.includes(first);
}

type Span = { content: string; start: number; end: number };

function codeSpans(text: string): Span[] {
  const spans: Span[] = [];
  const pattern = /(`+)([\s\S]*?[^`])\1(?!`)/g;
  for (const match of text.matchAll(pattern)) {
    const content = (match[2] ?? "").replace(/\s+/g, " ").trim();
    spans.push({ content, start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

// The file a name span is paired with: walking back over names joined by ", ", " and ", " or ",
// to a file span followed by ": " or by white space alone.
function pairedFile(spans: Span[], index: number, text: string): string | undefined {
  let current = index;
  while (current > 0) {
    const previous = spans[current - 1]!;
    const gap = text.slice(previous.end, spans[current]!.start);
    if (
      /^:?\s+$/.test(gap) && declaringFile.test(previous.content) &&
      !notOnePath.test(previous.content)
    ) {
      return previous.content;
    }
    if (!/^(,|,? and|,? or)\s+$/.test(gap) || !nameSpan.test(previous.content)) return undefined;
    current -= 1;
  }
  return undefined;
}

function linkTargets(text: string): PathReference[] {
  const links: PathReference[] = [];
  // Inline code is not a link: blank it out so `[a](b)` inside backticks is left alone.
  const prose = text.replace(/(`+)[\s\S]*?[^`]\1(?!`)/g, (span) => span.replace(/[^\n]/g, " "));
  for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1] ?? "";
    if (/^[a-z][a-z+.-]*:/i.test(target)) continue;
    const [path = "", anchor] = target.split("#", 2);
    const line = lineAt(text, match.index);
    links.push({ kind: "path", path, link: true, line, ...(anchor ? { anchor } : {}) });
  }
  return links;
}

// Fenced blocks become blank lines, so that line numbers stay those of the page.
function withoutFencedBlocks(markdown: string): string {
  let fence: string | undefined;
  return markdown.split("\n").map((line) => {
    const opening = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence === undefined && opening !== undefined) {
      fence = opening;
      return "";
    }
    if (fence !== undefined) {
      if (line.trim().startsWith(fence)) fence = undefined;
      return "";
    }
    return line;
  }).join("\n");
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
