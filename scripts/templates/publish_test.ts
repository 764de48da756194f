// `npm run templates -- publish` and `retire` against the local stack's database: the command as
// its own process, and the publishing functions it calls.
import assert from "node:assert/strict";
import { adminSql, DB_URL, ROOT } from "../../test_support/local_stack.ts";
import { databaseUrlOf } from "./database_url.ts";
import { describeOutcome, describeRetired } from "./publish.ts";

/** A folder holding one template of this run's own, with `questions` and `body`. */
async function templateDir(
  id: string,
  questions: unknown[],
  body: string,
): Promise<
  { dir: string; slug: string; rewrite(questions: unknown[], body: string): Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "publish-test-" });
  const slug = `test-publish-${id.slice(0, 8)}`;
  const rewrite = async (questions: unknown[], body: string) => {
    await Deno.writeTextFile(
      `${dir}/${slug}.json`,
      JSON.stringify({ id, slug, name: "Publish test", description: "", questions }, null, 2),
    );
    await Deno.writeTextFile(`${dir}/${slug}.md`, body);
  };
  await rewrite(questions, body);
  return { dir, slug, rewrite };
}

async function templatesCommand(...args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-net",
      "--allow-sys",
      "--allow-run=bash",
      "--no-prompt",
      "scripts/templates/main.ts",
      ...args,
    ],
    cwd: ROOT,
    env: { SUPABASE_DB_URL: DB_URL },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

const party = { id: "party", text: "Who is the other party?", type: "short_text" };
const company = { id: "company", text: "Which company?", type: "short_text" };

Deno.test("npm run templates -- publish and retire", async (t) => {
  const sql = adminSql();
  const id = crypto.randomUUID();
  const files = await templateDir(id, [party], "# Test\n\nParty: {{party}}\n");
  const versions = () =>
    sql`select version, body, published_by from public.template_versions
      where template_id = ${id} order by version`;
  try {
    await t.step("a new template is published as version 1", async () => {
      const run = await templatesCommand("publish", files.dir, "--by", "author@example.test");
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `${files.slug}: version 1 published (new template)\n`);
      assert.deepEqual((await versions()).map((v) => [v.version, v.published_by]), [
        [1, "author@example.test"],
      ]);
    });

    await t.step("the same content again publishes nothing", async () => {
      const run = await templatesCommand("publish", files.dir);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `${files.slug}: unchanged at version 1\n`);
      assert.equal((await versions()).length, 1);
    });

    await t.step("changed questions are version 2; version 1 stays as it was", async () => {
      await files.rewrite([party, company], "# Test\n\nParty: {{party}}, {{company}}\n");
      const run = await templatesCommand("publish", files.dir);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `${files.slug}: version 2 published (questions and body changed)\n`);
      const [first, second] = await versions();
      assert.equal(first!.body, "# Test\n\nParty: {{party}}");
      assert.equal(second!.version, 2);
    });

    await t.step("a template with a problem is refused with the checker's words", async () => {
      await files.rewrite([party], "# Test\n\nParty: {{partty}}\n");
      const run = await templatesCommand("publish", files.dir);
      assert.equal(run.code, 1);
      assert.ok(
        run.stdout.includes(
          `${files.slug}.md:3:8: "{{partty}}" names no question: did you mean "party"?`,
        ),
        run.stdout,
      );
      assert.match(run.stderr, /Nothing published: fix the problems above, then publish again/);
      assert.equal((await versions()).length, 2, "nothing was published");
    });

    await t.step("retire hides the template from new interviews", async () => {
      const run = await templatesCommand("retire", files.slug);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(
        run.stdout,
        `${files.slug}: retired at version 2; new interviews cannot start on it, no interview is open on it\n`,
      );
      const [row] = await sql`select is_active from public.document_templates where id = ${id}`;
      assert.equal(row!.is_active, false);
      assert.equal((await versions()).length, 2, "its versions stay");
      const again = await templatesCommand("retire", files.slug);
      assert.equal(again.stdout, `${files.slug}: already retired (at version 2)\n`);
    });

    await t.step("retiring a slug the database does not have says so", async () => {
      const run = await templatesCommand("retire", "test-no-such-template");
      assert.equal(run.code, 2);
      assert.equal(
        run.stderr,
        'No template "test-no-such-template" in the database: nothing to retire\n',
      );
    });
  } finally {
    await sql`delete from public.document_templates where id = ${id}`;
    await sql.end();
    await Deno.remove(files.dir, { recursive: true });
  }
});

Deno.test("what publish and retire print", () => {
  assert.equal(
    describeOutcome({ slug: "mutual-nda", version: 2, published: true, changed: ["questions"] }),
    "mutual-nda: version 2 published (questions changed)",
  );
  assert.equal(
    describeOutcome({
      slug: "mutual-nda",
      version: 3,
      published: true,
      changed: ["questions", "body", "title rule"],
    }),
    "mutual-nda: version 3 published (questions, body and title rule changed)",
  );
  assert.equal(
    describeOutcome({ slug: "mutual-nda", version: 1, published: false, changed: [] }),
    "mutual-nda: unchanged at version 1",
  );
  assert.equal(
    describeRetired({ slug: "mutual-nda", version: 2, wasActive: true, openInterviews: 1 }),
    "mutual-nda: retired at version 2; new interviews cannot start on it, 1 open interview " +
      "finishes on the version it started on",
  );
});

Deno.test("the database URL of the local stack is read from stack.sh env", () => {
  assert.equal(
    databaseUrlOf("SUPABASE_DB_PORT=1\nSUPABASE_DB_URL=postgresql://x@127.0.0.1:1/postgres\n"),
    "postgresql://x@127.0.0.1:1/postgres",
  );
  assert.equal(databaseUrlOf("SUPABASE_DB_PORT=1\n"), undefined);
});
