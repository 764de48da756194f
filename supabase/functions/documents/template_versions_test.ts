// The documents function's reads and template versions, against the real local database under
// RLS: a draft's progress follows the version it is pinned to, and a retired template is listed
// for the caller who has an open draft on it, as not active, and for nobody else.
import assert from "node:assert/strict";
import { createDatabase } from "../_shared/platform/database.ts";
import { adminSql, createTemplate, createUser, DB_URL } from "../../../test_support/local_stack.ts";
import { createDocumentReads } from "./document_reads.ts";

const claimsOf = (userId: string) => ({ sub: userId, role: "authenticated", aud: "authenticated" });

Deno.test("interviews on a template's versions, and a retired template", async (t) => {
  const admin = adminSql();
  const pool = createDatabase(DB_URL, { max: 2 });
  const reads = createDocumentReads(pool, { statementTimeoutMs: 5_000 });
  try {
    const owner = await createUser(admin, "versions-reads");
    const other = await createUser(admin, "versions-reads-other");
    const templateId = await createTemplate(admin, 2);
    const history = [
      { role: "assistant", content: "Question 1?", questionId: "q1", at: "2026-12-07T10:00:00Z" },
      { role: "user", content: "Alpha", questionId: "q1", at: "2026-12-07T10:00:01Z" },
    ];
    const [draft] = await admin`
      insert into public.chat_sessions (user_id, template_id, history, turn_count)
      values (${owner}, ${templateId}, ${admin.json(history)}, 2) returning id`;
    // Version 2 has five questions; the draft stays on version 1's two.
    const questions = [1, 2, 3, 4, 5].map((n) => ({
      id: `q${n}`,
      text: `Question ${n}?`,
      type: "short_text",
    }));
    await admin`update public.document_templates
      set questions = ${admin.json(questions)},
        body = ${questions.map((q) => `{{${q.id}}}`).join(" ")}
      where id = ${templateId}`;
    const listed = async (userId: string) =>
      (await reads.interviews(claimsOf(userId), { limit: 20 })).templates
        .find((template) => template.templateId === templateId);

    await t.step("a draft's progress counts the questions of its own version", async () => {
      const entry = await listed(owner);
      assert.equal(entry?.open?.sessionId, draft!.id);
      assert.deepEqual(entry?.open?.progress, { answered: 1, total: 2 });
    });

    await admin`update public.document_templates set is_active = false where id = ${templateId}`;

    await t.step("retired, it is listed for the owner of the open draft, not active", async () => {
      const entry = await listed(owner);
      assert.equal(entry?.active, false);
      assert.equal(entry?.name, "Test template");
      assert.deepEqual(entry?.drafts.map((d) => d.sessionId), [draft!.id]);
    });

    await t.step("and for nobody else", async () => {
      assert.equal(await listed(other), undefined);
    });
  } finally {
    await pool.end();
    await admin.end();
  }
});
