// End-to-end, over real sockets: an interview keeps the template version it started on. A version
// 2 (a question removed, one added, a question's wording changed) is published while an interview
// on version 1 is half done; that interview resumes, is edited, reviewed and confirmed on version
// 1, and its document names version 1; a new interview asks version 2. With the reference
// interviewer as the AI service (its own process) and with the chat's built-in engine; and the AI
// request carries the pinned version's number and hash beside the template.
import assert from "node:assert/strict";
import type postgres from "postgres";
import { INTERVIEWER_KEY, startInterviewer } from "../../../../test_support/interviewer.ts";
import { withChat } from "../../../../test_support/chat_fixture.ts";
import {
  adminSql,
  chatEnv,
  createUser,
  freePort,
  type FunctionProcess,
  signToken,
  startFunction,
} from "../../../../test_support/local_stack.ts";
import { nextOf } from "../../../../test_support/v2_fixture.ts";
import { connect, type TestClient } from "../../../../test_support/ws_client.ts";

const party = { id: "party", text: "Who is the other party?", type: "short_text" };
const purpose = { id: "purpose", text: "What is the purpose?", type: "short_text" };
const years = { id: "years", text: "For how many years?", type: "number", min: 1, max: 10 };
const VERSION_1 = {
  questions: [party, purpose, years],
  body: "# Agreement\n\nWith {{party}}, for {{purpose}}, for {{years}} years.",
};
const VERSION_2 = {
  // "purpose" removed, "city" added, "party" worded anew.
  questions: [
    { ...party, text: "Which company is the other party?" },
    { id: "city", text: "In which city is it signed?", type: "short_text" },
    years,
  ],
  body: "# Agreement\n\nWith {{party}}, signed in {{city}}, for {{years}} years.",
};

/** Publishes `content` as the template's next version, as `npm run templates -- publish` does. */
async function publish(
  sql: postgres.Sql,
  template: { id: string; slug: string },
  content: { questions: unknown[]; body: string },
): Promise<{ version: number; hash: string }> {
  const [row] = await sql`
    select version, content_hash from chat_internal.publish_template(
      p_id => ${template.id}, p_slug => ${template.slug}, p_name => 'Versioned agreement',
      p_description => '', p_title_rule => null, p_questions => ${
    sql.json(content.questions as postgres.JSONValue)
  },
      p_body => ${content.body}, p_published_by => 'versions e2e')`;
  return { version: row!.version, hash: row!.content_hash };
}

function newTemplate() {
  const id = crypto.randomUUID();
  return { id, slug: `test-versions-${id.slice(0, 8)}` };
}

/** The chat with an engine behind it: the interviewer process, or the built-in engine. */
const ENGINES: Record<
  string,
  () => Promise<{ env: Record<string, string>; stop(): Promise<void> }>
> = {
  "the reference interviewer": async () => {
    const interviewer: FunctionProcess = await startInterviewer();
    return {
      env: chatEnv(interviewer.baseUrl, {
        AI_SERVICE_API_KEY: INTERVIEWER_KEY,
        AI_FALLBACK_TO_BUILTIN: "false",
        AI_TIMEOUT_MS: "5000",
      }),
      stop: async () => void await interviewer.stop(),
    };
  },
  // Nothing listens at the AI service's address: every question comes from the built-in engine.
  "the built-in engine": () =>
    Promise.resolve({
      env: chatEnv(`http://127.0.0.1:${freePort()}`, {
        AI_FALLBACK_TO_BUILTIN: "true",
        AI_MAX_RETRIES: "0",
      }),
      stop: () => Promise.resolve(),
    }),
};

for (const [engine, start] of Object.entries(ENGINES)) {
  Deno.test(`with ${engine}, an interview completes on the version it started on`, async (t) => {
    const sql = adminSql();
    const backend = await start();
    const chat = await startFunction("chat", backend.env);
    const clients: TestClient[] = [];
    const open = (token: string, templateId: string) => {
      const client = connect(chat.baseUrl, { token, templateId, offer: ["chat.v2"] });
      clients.push(client);
      return client;
    };
    const answer = (client: TestClient, questionId: string, content: string) =>
      client.send({
        type: "user_message",
        questionId,
        content,
        clientMessageId: crypto.randomUUID(),
      });
    const template = newTemplate();
    try {
      const v1 = await publish(sql, template, VERSION_1);
      assert.equal(v1.version, 1);
      const userId = await createUser(sql, "versions");
      const token = await signToken(userId);

      // Version 1: the first two questions asked, the first answered.
      let client = open(token, template.id);
      let message = await nextOf(client, ["next_question"]);
      assert.equal(message.question.text, "Who is the other party?");
      const sessionId: string = message.sessionId;
      answer(client, "party", "Acme Corp");
      message = await nextOf(client, ["next_question"]);
      assert.equal(message.question.id, "purpose");
      await client.close();

      const v2 = await publish(sql, template, VERSION_2);
      assert.equal(v2.version, 2);
      assert.notEqual(v2.hash, v1.hash);

      await t.step("the interview resumes on version 1: its questions, its wording", async () => {
        client = open(token, template.id);
        const resumed = await nextOf(client, ["session_resumed"]);
        assert.equal(resumed.sessionId, sessionId);
        assert.deepEqual(resumed.answers.map((a: { questionId: string }) => a.questionId), [
          "party",
        ]);
        assert.equal(resumed.answers[0].question, "Who is the other party?");
        message = await nextOf(client, ["next_question"]);
        assert.equal(message.question.id, "purpose", "the question version 2 removed is asked");
        assert.equal(message.progress.total, 3);
        answer(client, "purpose", "a licensing deal");
        message = await nextOf(client, ["next_question"]);
        assert.equal(message.question.id, "years");
        answer(client, "years", "3");
        message = await nextOf(client, ["review"]);
        assert.equal(
          message.document.content,
          "# Agreement\n\nWith Acme Corp, for a licensing deal, for 3 years.\n",
        );
      });

      await t.step("an edit and the review stay on version 1", async () => {
        client.send({ type: "edit_answer", questionId: "party", content: "Acme Ltd" });
        message = await nextOf(client, ["review"]);
        assert.match(message.document.content, /^# Agreement\n\nWith Acme Ltd, for a licensing/);
        assert.deepEqual(message.answers.map((a: { questionId: string }) => a.questionId), [
          "party",
          "purpose",
          "years",
        ]);
        client.send({ type: "confirm" });
        message = await nextOf(client, ["session_complete"]);
        assert.deepEqual(await client.closed, { code: 1000, reason: "interview complete" });
      });

      await t.step("its document names version 1 and its hash", async () => {
        const [document] = await sql`
          select d.template_version, d.template_hash, d.content, s.template_version as pinned
          from generated_documents d join chat_sessions s on s.id = d.session_id
          where d.id = ${message.documentId}`;
        assert.deepEqual(
          { version: document!.template_version, hash: document!.template_hash },
          { version: 1, hash: v1.hash },
        );
        assert.equal(document!.pinned, 1);
        assert.match(document!.content, /for a licensing deal/);
      });

      await t.step("a new interview asks version 2", async () => {
        const other = await signToken(await createUser(sql, "versions-new"));
        const fresh = open(other, template.id);
        message = await nextOf(fresh, ["next_question"]);
        assert.equal(message.question.text, "Which company is the other party?");
        assert.equal(message.progress.total, 3);
        answer(fresh, "party", "Globex");
        message = await nextOf(fresh, ["next_question"]);
        assert.equal(message.question.id, "city", "the question version 2 added is asked");
        const [session] = await sql`
          select template_version from chat_sessions where id = ${message.sessionId}`;
        assert.equal(session!.template_version, 2);
      });
    } catch (error) {
      console.error(chat.logs.slice(-30).join("\n"));
      throw error;
    } finally {
      await Promise.all(clients.map((client) => client.close()));
      await chat.stop();
      await backend.stop();
      await sql.end();
    }
  });
}

Deno.test("the AI request carries the pinned version's number and hash beside the template", async () => {
  await withChat(async ({ sql, ai, connect }) => {
    const template = newTemplate();
    const v1 = await publish(sql, template, VERSION_1);
    const token = await signToken(await createUser(sql, "versions-ai"));
    let client = connect({ token, templateId: template.id, offer: ["chat.v2"] });
    const first = await nextOf(client, ["next_question"]);
    await client.close();
    await publish(sql, template, VERSION_2);
    client = connect({ token, templateId: template.id, offer: ["chat.v2"] });
    await nextOf(client, ["session_resumed"]);
    await nextOf(client, ["next_question"]);
    client.send({ type: "user_message", questionId: first.question.id, content: "Acme Corp" });
    await nextOf(client, ["next_question"]);
    const request = ai.requests.at(-1)!;
    assert.equal(request.sessionId, first.sessionId);
    assert.equal(request.template?.version, 1);
    assert.equal(request.template?.hash, v1.hash);
    assert.deepEqual(request.template?.questions, VERSION_1.questions);
    assert.equal(request.template?.body, VERSION_1.body);
  });
});

Deno.test("a retired template's open interview resumes and completes; no new one starts", async () => {
  await withChat(async ({ sql, connect }) => {
    const template = newTemplate();
    await publish(sql, template, VERSION_1);
    const token = await signToken(await createUser(sql, "versions-retired"));
    let client = connect({ token, templateId: template.id, offer: ["chat.v2"] });
    const first = await nextOf(client, ["next_question"]);
    await client.close();
    // As `npm run templates -- retire` does it: as the service role, the one that may.
    await sql.begin(async (tx) => {
      await tx`select set_config('role', 'service_role', true)`;
      await tx`select * from chat_internal.retire_template(${template.slug})`;
    });

    client = connect({ token, templateId: template.id, offer: ["chat.v2"] });
    const resumed = await nextOf(client, ["session_resumed"]);
    assert.equal(resumed.sessionId, first.sessionId);
    let message = await nextOf(client, ["next_question"]);
    for (const [id, content] of [["party", "Acme"], ["purpose", "a deal"], ["years", "2"]]) {
      assert.equal(message.question.id, id);
      client.send({ type: "user_message", questionId: id, content });
      message = await nextOf(client, ["next_question", "review"]);
    }
    assert.equal(message.type, "review");
    client.send({ type: "confirm" });
    await nextOf(client, ["session_complete"]);

    const other = await signToken(await createUser(sql, "versions-retired-new"));
    const refused = connect({ token: other, templateId: template.id, offer: ["chat.v2"] });
    assert.deepEqual(await refused.closed, { code: 4504, reason: "template not found" });
  });
});
