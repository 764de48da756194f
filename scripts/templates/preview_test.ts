import assert from "node:assert/strict";
import {
  parseTemplate,
  type Template,
} from "../../supabase/functions/_shared/template/template.ts";
import { readDocx, readPdf, squash } from "../../test_support/file_readers.ts";
import { check } from "./main.ts";
import { preview } from "./preview_command.ts";
import { parseAnswers, previewDocument, renderPreview } from "./preview.ts";
import { DEFAULT_TEMPLATES_DIR, templateFilesAt } from "./template_files.ts";

const EXAMPLES = `${DEFAULT_TEMPLATES_DIR}/examples`;

async function shipped(
  slug: string,
): Promise<{ template: Template; answers: Record<string, string> }> {
  const [files] = await templateFilesAt(`${DEFAULT_TEMPLATES_DIR}/${slug}.json`);
  const template = parseTemplate({ ...JSON.parse(files!.jsonText), body: files!.bodyText });
  const file = `${EXAMPLES}/${slug}.answers.json`;
  return { template, answers: parseAnswers(await Deno.readTextFile(file), file) };
}

const NOW = new Date("2026-12-07T12:00:00Z");

Deno.test("every example answers file previews its template in all four formats", async (t) => {
  const slugs: string[] = [];
  for await (const entry of Deno.readDir(EXAMPLES)) {
    slugs.push(entry.name.replace(/\.answers\.json$/, ""));
  }
  assert.equal(slugs.length, 3);
  for (const slug of slugs.sort()) {
    await t.step(slug, async () => {
      const { template, answers } = await shipped(slug);
      const result = previewDocument(template, answers, { now: NOW });
      assert.deepEqual(result.unused, []);
      const party = Object.values(answers)[0]!;
      const md = new TextDecoder().decode((await renderPreview(result, "md")).body);
      assert.ok(md.includes(party), `${slug}: the first answer is in the Markdown`);
      const html = new TextDecoder().decode((await renderPreview(result, "html")).body);
      assert.ok(html.includes(`<title>${result.title}</title>`));
      const docx = await readDocx((await renderPreview(result, "docx")).body);
      assert.ok(docx.text.includes(party));
      const pdf = await readPdf((await renderPreview(result, "pdf")).body);
      assert.ok(squash(pdf.text).includes(squash(party)));
      assert.equal(pdf.info.Title, result.title);
    });
  }
});

Deno.test("answers go through the engine: normalised, conditional, skipped", async () => {
  const { template, answers } = await shipped("mutual-nda");
  const result = previewDocument(template, { ...answers, include_non_solicit: "no" }, { now: NOW });
  assert.deepEqual(result.unused, ["non_solicit_months"]);
  assert.ok(
    result.content.includes("January 15, 2027"),
    "the date is written as documents write it",
  );
  assert.ok(!result.content.includes("solicit"), "the non-solicit clause is left out");
});

Deno.test("a refused or missing answer is named with the reason", async () => {
  const { template, answers } = await shipped("mutual-nda");
  assert.throws(
    () => previewDocument(template, { ...answers, confidentiality_years: "40" }, { now: NOW }),
    (error: Error) =>
      error.message.startsWith(`The answer to "confidentiality_years" is not accepted:`) &&
      error.message.includes(`(given: "40")`),
  );
  const { party_b_email: _, ...missing } = answers;
  assert.throws(
    () => previewDocument(template, missing, { now: NOW }),
    /^TypeError: No answer to "party_b_email" \(Which email address/,
  );
  assert.throws(() => parseAnswers("[1]", "a.json"), /must be one JSON object/);
  assert.throws(() => parseAnswers('{"x": 3}', "a.json"), /the answer to "x" must be a string/);
});

Deno.test("the command line: check's exit status, preview to a file", async () => {
  assert.equal(await check(DEFAULT_TEMPLATES_DIR), 0);
  assert.equal(await check("scripts/templates/testdata/trailing-comma.json"), 1);
  const out = await Deno.makeTempFile({ suffix: ".docx" });
  try {
    await preview([
      "consulting-services-agreement",
      `${EXAMPLES}/consulting-services-agreement.answers.json`,
      "--format",
      "docx",
      "--out",
      out,
    ]);
    assert.ok((await readDocx(await Deno.readFile(out))).text.includes("Dana Reyes"));
  } finally {
    await Deno.remove(out);
  }
  await assert.rejects(() => preview(["mutual-nda", "nope.json"]), /Cannot read "nope.json"/);
  await assert.rejects(() => preview(["no-such", "x.json"]), /No template "no-such"/);
  await assert.rejects(
    () => preview(["mutual-nda", "x.json", "--format", "rtf"]),
    /Unknown format "rtf"/,
  );
});
