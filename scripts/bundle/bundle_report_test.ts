import assert from "node:assert/strict";
import {
  formatVerdicts,
  type FunctionBundle,
  importMapProblems,
  judgeBundle,
} from "./bundle_report.ts";

const part = (name: string, megabytes: number, compressed = megabytes / 4) => ({
  name,
  bytes: megabytes * 1_000_000,
  compressedBytes: compressed * 1_000_000,
});

function bundle(packages: FunctionBundle["packages"], problems: string[] = []): FunctionBundle {
  return { name: "documents", sources: part("sources", 0.5, 0.1), packages, problems };
}

Deno.test("judgeBundle", async (t) => {
  await t.step("sums the sources and every package, largest package first", () => {
    const verdict = judgeBundle(bundle([part("zod@4", 6), part("docx@9", 19.5)]));
    assert.equal(verdict.bytes, 26_000_000);
    assert.equal(verdict.compressedBytes, 6_475_000);
    assert.deepEqual(verdict.largest.map((p) => p.name), ["docx@9", "zod@4"]);
  });

  await t.step("fails above 20 MB uncompressed, with the figure", () => {
    const verdict = judgeBundle(bundle([part("docx@9", 19.6, 1)]));
    assert.deepEqual(verdict.failures, [
      'Function "documents" carries 20.10 MB: the platform takes at most 20.00 MB after bundling',
    ]);
  });

  await t.step("fails above 5 MB compressed", () => {
    const verdict = judgeBundle(bundle([part("fonts@1", 6, 5)]));
    assert.equal(verdict.failures.length, 1);
    assert.match(verdict.failures[0]!, /compresses to 5\.10 MB: .* at most 5\.00 MB/);
  });

  await t.step("fits at exactly the limits", () => {
    const verdict = judgeBundle(bundle([part("a@1", 19.5, 4.9)]));
    assert.deepEqual(verdict.failures, []);
  });

  await t.step("keeps import-map problems as failures", () => {
    const verdict = judgeBundle(bundle([], ['Function "documents" maps "x" but never imports it']));
    assert.equal(verdict.failures.length, 1);
  });
});

Deno.test("formatVerdicts prints one line per function and its largest packages", () => {
  const lines = formatVerdicts([judgeBundle(bundle([part("zod@4.6.7", 5.9, 1.1)]))]);
  assert.equal(lines[0], "documents     6.40 MB (1.20 MB compressed)  ok");
  assert.match(lines[1]!, /largest: zod@4\.6\.7 5\.90 MB$/);
});

Deno.test("importMapProblems", async (t) => {
  const root = { zod: "npm:zod@4.6.7", "pdfmake/": "npm:/pdfmake@0.3.11/", mammoth: "npm:m@1" };

  await t.step("accepts entries the code imports, prefix entries included", () => {
    const used = new Set(["zod", "pdfmake/build/pdfmake.js"]);
    const map = { zod: root.zod, "pdfmake/": root["pdfmake/"] };
    assert.deepEqual(importMapProblems("documents", map, root, used), []);
  });

  await t.step("names an entry the code never imports, such as a test-only package", () => {
    const problems = importMapProblems("documents", { mammoth: root.mammoth }, root, new Set());
    assert.deepEqual(problems, [
      'Function "documents" maps "mammoth" but never imports it: remove it',
    ]);
  });

  await t.step("names an entry that differs from the root map", () => {
    const problems = importMapProblems(
      "chat",
      { zod: "npm:zod@4.0.0" },
      root,
      new Set(["zod"]),
    );
    assert.deepEqual(problems, [
      'Function "chat" maps "zod" to "npm:zod@4.0.0" but the root deno.json maps it to ' +
      '"npm:zod@4.6.7": keep them the same',
    ]);
  });
});
