// The Postgres SessionReader against the local stack's database.
import assert from "node:assert/strict";
import { adminSql, createTemplate, createUser, DB_URL } from "../../../test_support/local_stack.ts";
import { createDatabase } from "../_shared/platform/database.ts";
import { createPostgresSessionReader } from "./session_reader.ts";

Deno.test("createPostgresSessionReader", async (t) => {
  const admin = adminSql();
  const sql = createDatabase(DB_URL, { max: 2 });
  const reader = createPostgresSessionReader(sql, { statementTimeoutMs: 2_000 });
  try {
    const userId = await createUser(admin, "reader");
    const templateId = await createTemplate(admin, 2);
    const history = [
      { role: "assistant", content: "Question 1?", questionId: "q1", at: "2026-03-01T00:00:00Z" },
      { role: "user", content: "Alpha", questionId: "q1", at: "2026-03-01T00:00:01Z" },
    ];
    const [session] = await admin`
      insert into public.chat_sessions (user_id, template_id, history, turn_count)
      values (${userId}, ${templateId}, ${admin.json(history)}, 2) returning id`;

    await t.step("reads a user's session and its template, whoever owns it", async () => {
      const stored = await reader.read(session!.id);
      assert.ok(stored);
      assert.deepEqual(stored.history, history);
      assert.deepEqual(Object.keys(stored.template).sort(), [
        "body",
        "description",
        "hash",
        "id",
        "name",
        "questions",
        "slug",
        "title",
        "version",
      ]);
      assert.equal(stored.template.id, templateId);
      assert.equal(stored.template.version, 1);
      assert.match(String(stored.template.hash), /^[0-9a-f]{64}$/);
      assert.deepEqual(
        (stored.template.questions as { id: string }[]).map((q) => q.id),
        ["q1", "q2"],
      );
    });

    await t.step("reads the version the session is pinned to, not a newer one", async () => {
      await admin`update public.document_templates
        set questions = ${admin.json([{ id: "q9", text: "New?", type: "short_text" }])},
          body = 'New {{q9}}'
        where id = ${templateId}`;
      const stored = await reader.read(session!.id);
      assert.equal(stored?.template.version, 1);
      assert.deepEqual(
        (stored?.template.questions as { id: string }[]).map((q) => q.id),
        ["q1", "q2"],
      );
    });

    await t.step("answers null for a session that does not exist", async () => {
      assert.equal(await reader.read(crypto.randomUUID()), null);
    });

    await t.step("rejects when the database cannot be reached", async () => {
      const down = createDatabase("postgresql://postgres:postgres@127.0.0.1:1/postgres", {
        max: 1,
      });
      try {
        await assert.rejects(
          createPostgresSessionReader(down, { statementTimeoutMs: 1_000 }).read(session!.id),
        );
      } finally {
        await down.end();
      }
    });
  } finally {
    await sql.end();
    await admin.end();
  }
});
