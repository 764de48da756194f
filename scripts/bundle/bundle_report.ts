/**
 * What one function's deployed bundle carries, against the hosted platform's limits
 * (docs/hosted.md): its own sources plus every npm package folder its import map and lock
 * resolve, whole, the way the Supabase CLI copies them into the bundle. Pure: the measuring is in
 * measure_function.ts.
 */

/** 20 MB after bundling; 5 MB when the CLI bundles server-side (no Docker, or `--use-api`). */
export const BUNDLE_LIMITS = {
  uncompressedBytes: 20 * 1000 * 1000,
  compressedBytes: 5 * 1000 * 1000,
} as const;

export interface MeasuredPart {
  /** "sources", or a package as name@version. */
  name: string;
  bytes: number;
  compressedBytes: number;
}

export interface FunctionBundle {
  name: string;
  sources: MeasuredPart;
  packages: MeasuredPart[];
  /** Resolution problems and import-map mistakes, each a sentence. */
  problems: string[];
}

export interface BundleVerdict {
  name: string;
  bytes: number;
  compressedBytes: number;
  /** Largest packages first. */
  largest: MeasuredPart[];
  /** Why the bundle fails, each a sentence; empty when it fits. */
  failures: string[];
}

export function judgeBundle(bundle: FunctionBundle, limits = BUNDLE_LIMITS): BundleVerdict {
  const parts = [bundle.sources, ...bundle.packages];
  const bytes = parts.reduce((sum, part) => sum + part.bytes, 0);
  const compressedBytes = parts.reduce((sum, part) => sum + part.compressedBytes, 0);
  const failures = [...bundle.problems];
  if (bytes > limits.uncompressedBytes) {
    failures.push(
      `Function "${bundle.name}" carries ${megabytes(bytes)}: the platform takes at most ` +
        `${megabytes(limits.uncompressedBytes)} after bundling`,
    );
  }
  if (compressedBytes > limits.compressedBytes) {
    failures.push(
      `Function "${bundle.name}" compresses to ${megabytes(compressedBytes)}: a deploy that ` +
        `bundles server-side takes at most ${megabytes(limits.compressedBytes)}`,
    );
  }
  const largest = [...bundle.packages].sort((a, b) => b.bytes - a.bytes);
  return { name: bundle.name, bytes, compressedBytes, largest, failures };
}

/** One line per function, then its largest packages, as `npm test` prints them. */
export function formatVerdicts(verdicts: readonly BundleVerdict[], top = 4): string[] {
  const lines: string[] = [];
  for (const verdict of verdicts) {
    const status = verdict.failures.length === 0 ? "ok" : "FAILS";
    lines.push(
      `${verdict.name.padEnd(12)} ${megabytes(verdict.bytes).padStart(8)} ` +
        `(${megabytes(verdict.compressedBytes)} compressed)  ${status}`,
    );
    const shown = verdict.largest.slice(0, top).map((part) =>
      `${part.name} ${megabytes(part.bytes)}`
    );
    if (shown.length > 0) lines.push(`${"".padEnd(12)}   largest: ${shown.join(", ")}`);
    for (const failure of verdict.failures) lines.push(`${"".padEnd(12)}   ${failure}`);
  }
  return lines;
}

/**
 * Mistakes in a function's own import map: an entry its code never imports (it would still
 * ship), and an entry whose target differs from the root map's (the tests, which use the root
 * map, would then test other code than is deployed).
 */
export function importMapProblems(
  name: string,
  functionImports: Readonly<Record<string, string>>,
  rootImports: Readonly<Record<string, string>>,
  usedSpecifiers: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const [key, target] of Object.entries(functionImports)) {
    const used = [...usedSpecifiers].some((specifier) =>
      key.endsWith("/") ? specifier.startsWith(key) : specifier === key
    );
    if (!used) {
      problems.push(`Function "${name}" maps "${key}" but never imports it: remove it`);
    }
    if (rootImports[key] !== target) {
      problems.push(
        `Function "${name}" maps "${key}" to "${target}" but the root deno.json maps it to ` +
          `"${rootImports[key] ?? "nothing"}": keep them the same`,
      );
    }
  }
  return problems;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}
