// End-to-end: the chat function completes interviews while the external AI service is down,
// through the built-in engine (AI_FALLBACK_TO_BUILTIN), and each turn records who asked it.
import { unescapeMarkdown } from "../../_shared/document/markdown_escape.ts";
import assert from "node:assert/strict";
import { loadTemplates } from "../../../../scripts/seed/seeded_templates.ts";
import { startFakeAiService } from "../../../../test_support/fake_ai_service.ts";
import { plansFor, runInterview } from "../../../../test_support/seed_interview.ts";
import {
  adminSql,
  chatEnv,
  createUser,
  freePort,
  signToken,
  startFunction,
} from "../../../../test_support/local_stack.ts";
import { connect } from "../../../../test_support/ws_client.ts";

const templates = await loadTemplates();
const nda = templates.find((template) => template.slug === "mutual-nda")!;
const consulting = templates.find((template) => template.slug === "consulting-services-agreement")!;

type StoredTurn = { role: string; source?: string; questionId?: string };

Deno.test("an interview completes through the fallback while the AI service is down", async () => {
  const sql = adminSql();
  // Nothing listens on this port: every attempt fails to connect.
  const chat = await startFunction(
    "chat",
    chatEnv(`http://127.0.0.1:${freePort()}`, { AI_FALLBACK_TO_BUILTIN: "true" }),
  );
  try {
    const userId = await createUser(sql, "fallback");
    const client = connect(chat.baseUrl, { token: await signToken(userId), templateId: nda.id });
    const run = await runInterview(client, nda, plansFor(nda)[0]!);
    assert.deepEqual(await client.closed, { code: 1000, reason: "interview complete" });

    const [session] = await sql`select history from chat_sessions where id = ${run.sessionId}`;
    const assistant = (session!.history as StoredTurn[]).filter((t) => t.role === "assistant");
    assert.ok(assistant.length > nda.questions.length - 1);
    assert.deepEqual(new Set(assistant.map((turn) => turn.source)), new Set(["builtin"]));
    const [document] = await sql`
      select content from generated_documents where id = ${run.documentId}`;
    assert.doesNotMatch(document!.content, /\{\{/);
    const content = unescapeMarkdown(document!.content as string).toLowerCase();
    for (const value of run.given.values()) assert.ok(content.includes(value.toLowerCase()), value);
    assert.ok(
      chat.logs.some((line) => line.includes('"event":"ai_fallback_to_builtin"')),
      "the fallback is logged",
    );
  } catch (error) {
    console.error(chat.logs.slice(-20).join("\n"));
    throw error;
  } finally {
    await chat.stop();
    await sql.end();
  }
});

Deno.test("when the AI service starts failing mid-interview, the built-in engine takes over", async () => {
  const sql = adminSql();
  const ai = startFakeAiService();
  const chat = await startFunction("chat", chatEnv(ai.url, { AI_FALLBACK_TO_BUILTIN: "true" }));
  try {
    const userId = await createUser(sql, "takeover");
    const client = connect(chat.baseUrl, {
      token: await signToken(userId),
      templateId: consulting.id,
    });
    const first = await client.next("next_question");
    assert.equal(first.question.id, "client_name");
    ai.setMode("fail_500");
    client.socket.close();
    await client.closed;

    const again = connect(chat.baseUrl, {
      token: await signToken(userId),
      templateId: consulting.id,
    });
    await again.next("session_resumed");
    const run = await runInterview(again, consulting, plansFor(consulting)[0]!);
    assert.equal(run.sessionId, first.sessionId);

    const [session] = await sql`select history from chat_sessions where id = ${run.sessionId}`;
    const sources = (session!.history as StoredTurn[])
      .filter((turn) => turn.role === "assistant")
      .map((turn) => turn.source);
    assert.equal(sources[0], "ai", "the first question came from the AI service");
    assert.ok(sources.length > 5);
    assert.deepEqual(new Set(sources.slice(1)), new Set(["builtin"]), "then the built-in engine");
    assert.ok(ai.requests.length >= 2, "the AI service was asked and failed");
  } catch (error) {
    console.error(chat.logs.slice(-20).join("\n"));
    throw error;
  } finally {
    await chat.stop();
    await ai.close();
    await sql.end();
  }
});

Deno.test("without the fallback, an outage leaves the interview waiting for a retry", async () => {
  const sql = adminSql();
  const chat = await startFunction(
    "chat",
    chatEnv(`http://127.0.0.1:${freePort()}`, { AI_FALLBACK_TO_BUILTIN: "false" }),
  );
  try {
    const userId = await createUser(sql, "nofallback");
    const client = connect(chat.baseUrl, { token: await signToken(userId), templateId: nda.id });
    const error = await client.next("error", 10_000);
    assert.equal(error.code, "ai_unavailable");
    assert.equal(error.retryable, true);
    assert.ok(!chat.logs.some((line) => line.includes("ai_fallback_to_builtin")));
    await client.close();
  } finally {
    await chat.stop();
    await sql.end();
  }
});
