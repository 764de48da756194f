// A document stored above the one maximum (LIMITS.maxDocumentChars), as it could have been
// before the limit: inserted here directly with the admin connection. Every download answers 413
// with a JSON reason and renders nothing; the JSON view still answers; a document of exactly the
// maximum still downloads.
import assert from "node:assert/strict";
import { createDatabase } from "../_shared/platform/database.ts";
import { createTokenVerifier } from "../_shared/platform/token_verifier.ts";
import { LIMITS } from "../_shared/wire/constants.ts";
import {
  adminSql,
  createUser,
  DB_URL,
  JWT_SECRET,
  signToken,
} from "../../../test_support/local_stack.ts";
import { createDocumentReads } from "./document_reads.ts";
import { createDocumentWrites } from "./document_writes.ts";
import { DocumentTooLargeError, DOWNLOAD_FORMATS, renderDownload } from "./download.ts";
import { createDocumentsHandler } from "./handler.ts";
import { seededTemplate } from "../../../test_support/stored_interviews.ts";

const ORIGIN = "http://127.0.0.1:8084";

Deno.test("renderDownload refuses a document over the maximum before it renders anything", async () => {
  // A shape that would take marked minutes if it were lexed (BENCHMARKS.md).
  const content = "*_**__a ".repeat(LIMITS.maxDocumentChars / 8 + 1);
  for (const format of DOWNLOAD_FORMATS) {
    const refused = await renderDownload({ title: "T", content, format: "markdown" }, format)
      .then(() => undefined, (error: unknown) => error);
    assert.ok(refused instanceof DocumentTooLargeError, format);
    assert.deepEqual(refused.oversize, {
      part: "content",
      characters: content.length,
      max: LIMITS.maxDocumentChars,
    });
  }
});

Deno.test("documents handler: a stored document over the maximum", async (t) => {
  const admin = adminSql();
  const pool = createDatabase(DB_URL, { max: 2 });
  const handler = createDocumentsHandler({
    reads: createDocumentReads(pool, { statementTimeoutMs: 5_000 }),
    writes: createDocumentWrites(pool, { statementTimeoutMs: 5_000 }),
    verifier: createTokenVerifier({ secret: JWT_SECRET, audience: "authenticated" }),
  });
  const userId = await createUser(admin, "oversize");
  try {
    const token = await signToken(userId);
    const get = (path: string) =>
      handler(new Request(`${ORIGIN}${path}`, { headers: { authorization: `Bearer ${token}` } }));
    const nda = await seededTemplate(admin, "mutual-nda");
    const store = async (content: string, format = "markdown") => {
      const [row] = await admin`insert into generated_documents (user_id, template_id, title,
        content, format) values (${userId}, ${nda.id}, 'Too long', ${content}, ${format})
        returning id`;
      return row!.id as string;
    };
    const over = LIMITS.maxDocumentChars + 1;
    const markdownId = await store("x".repeat(over));
    const textId = await store("保".repeat(over), "text");
    const atMaxId = await store("🙂".repeat(LIMITS.maxDocumentChars));

    await t.step("every download format answers 413 with a JSON reason", async () => {
      for (const id of [markdownId, textId]) {
        for (const format of DOWNLOAD_FORMATS) {
          const response = await get(`/documents/${id}?format=${format}`);
          assert.equal(response.status, 413, format);
          assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
          assert.equal(response.headers.get("content-disposition"), null);
          assert.equal(response.headers.get("access-control-allow-origin"), "*");
          assert.deepEqual(await response.json(), {
            code: "document_too_large",
            error: "The document holds 200,001 characters; at most 200,000 fit, so it cannot " +
              "be downloaded as a file. Its text is in the JSON view of the document " +
              "(without ?format)",
            characters: over,
            maxCharacters: LIMITS.maxDocumentChars,
          }, `${id} ${format}`);
        }
      }
    });

    await t.step(
      "the JSON view of the same document still answers, its content whole",
      async () => {
        const response = await get(`/documents/${markdownId}`);
        assert.equal(response.status, 200);
        const body = await response.json();
        assert.equal(body.content.length, over);
        assert.deepEqual(body.formats, [...DOWNLOAD_FORMATS]);
      },
    );

    await t.step("a document of exactly the maximum (in code points) still downloads", async () => {
      const response = await get(`/documents/${atMaxId}?format=md`);
      assert.equal(response.status, 200);
      assert.equal([...await response.text()].length, LIMITS.maxDocumentChars);
      const html = await get(`/documents/${atMaxId}?format=html`);
      assert.equal(html.status, 200);
      assert.match(await html.text(), /🙂🙂🙂/);
    });
  } finally {
    await admin`delete from auth.users where id = ${userId}`;
    await Promise.all([admin.end(), pool.end()]);
  }
});
