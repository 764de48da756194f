// End-to-end: every seeded template interviewed to completion through the chat function (its
// own process) pointed at the interviewer (its own process), over a real WebSocket, with the
// document stored in the local Postgres.
import { unescapeMarkdown } from "../../_shared/document/markdown_escape.ts";
import assert from "node:assert/strict";
import { loadTemplates } from "../../../../scripts/seed/seeded_templates.ts";
import { INVALID, plansFor, runInterview } from "../../../../test_support/seed_interview.ts";
import { INTERVIEWER_KEY, startInterviewer } from "../../../../test_support/interviewer.ts";
import {
  adminSql,
  chatEnv,
  createUser,
  signToken,
  startFunction,
} from "../../../../test_support/local_stack.ts";
import { connect } from "../../../../test_support/ws_client.ts";
import { proseProblems } from "../../../../test_support/document_prose.ts";

const templates = await loadTemplates();

Deno.test("every seeded template interviews to a stored document through the interviewer", async (t) => {
  const sql = adminSql();
  const interviewer = await startInterviewer();
  // No fallback: every question must come from the interviewer process.
  const chat = await startFunction(
    "chat",
    chatEnv(interviewer.baseUrl, {
      AI_SERVICE_API_KEY: INTERVIEWER_KEY,
      AI_FALLBACK_TO_BUILTIN: "false",
      AI_TIMEOUT_MS: "5000",
    }),
  );
  try {
    const seeded = await sql`select id from public.document_templates where is_active`;
    for (const template of templates) {
      assert.ok(seeded.some((row) => row.id === template.id), `${template.slug} is not seeded`);
      const asked = new Set<string>();
      for (const [index, plan] of plansFor(template).entries()) {
        const branch = [...plan.gates].map(([id, value]) => `${id}=${value}`).join(", ");
        await t.step(`${template.slug} (${branch})`, async () => {
          const userId = await createUser(sql, template.slug);
          const client = connect(chat.baseUrl, {
            token: await signToken(userId),
            templateId: template.id,
          });
          try {
            const run = await runInterview(client, template, plan);
            assert.deepEqual(await client.closed, { code: 1000, reason: "interview complete" });
            for (const id of run.given.keys()) asked.add(id);

            const [document] = await sql`
              select d.title, d.content, d.format, d.user_id, d.template_id
              from public.generated_documents d
              where d.id = ${run.documentId} and d.session_id = ${run.sessionId}`;
            assert.ok(document, "the document is stored for the session");
            assert.equal(document.user_id, userId);
            assert.equal(document.template_id, template.id);
            assert.equal(document.format, "markdown");
            // A title rule titles the document by its parties ("NDA: A and B"); the body keeps the
            // template's heading. Without a rule the title is that heading.
            assert.ok(
              template.title === undefined
                ? document.content.startsWith(`# ${document.title}\n`)
                : document.content.startsWith("# ") && document.title !== template.name,
            );
            assert.doesNotMatch(document.content, /\{\{|\}\}/, "no placeholder is left unfilled");
            assert.deepEqual(proseProblems(document.content), [], "the document reads cleanly");
            // Case aside: a filter may change it ("Every two weeks" is "paid every two weeks").
            // The stored Markdown escapes what would otherwise autolink (an e-mail's @).
            const content = unescapeMarkdown(document.content).toLowerCase();
            for (const [id, value] of run.given) {
              if (value !== "") {
                assert.ok(content.includes(value.toLowerCase()), `the answer to ${id} is missing`);
              }
            }

            const [session] = await sql`
              select history, is_complete from public.chat_sessions where id = ${run.sessionId}`;
            assert.equal(session!.is_complete, true);
            const history = session!.history as Record<string, unknown>[];
            const assistant = history.filter((turn) => turn.role === "assistant");
            assert.ok(assistant.every((turn) => turn.source === "ai"), "asked by the interviewer");
            assert.ok(
              history.some((turn) =>
                turn.role === "user" && turn.questionId === run.reasked.id &&
                Object.values(INVALID).includes(turn.content as string)
              ),
              "the invalid answer stays in history",
            );
            assert.ok(
              assistant.some((turn) => turn.content === run.reasked.text),
              "the re-asked question with its hint is stored",
            );
            if (index === 0) {
              assert.ok(history.length >= template.questions.length, "one turn per question");
            }
          } finally {
            await client.close();
          }
        });
      }
      const never = template.questions.filter((q) => !asked.has(q.id)).map((q) => q.id);
      assert.deepEqual(never, [], `${template.slug}: questions no interview asked`);
    }
  } catch (error) {
    console.error(chat.logs.slice(-20).join("\n"));
    console.error(interviewer.logs.slice(-20).join("\n"));
    throw error;
  } finally {
    await chat.stop();
    await interviewer.stop();
    await sql.end();
  }
});
