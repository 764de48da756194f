// The interviewer as its own process over real HTTP: the AI contract (docs/ai_service.md) as the
// chat function's client speaks it, authentication, refusals, and sessionId-only requests.
import { unescapeMarkdown } from "../../_shared/document/markdown_escape.ts";
import assert from "node:assert/strict";
import {
  INTERVIEWER_KEY,
  interviewerEnv,
  startInterviewer,
} from "../../../../test_support/interviewer.ts";
import { adminSql, createUser, ROOT } from "../../../../test_support/local_stack.ts";
import { loadTemplates } from "../../../../scripts/seed/seeded_templates.ts";
import { createHttpNextQuestionSource } from "../../chat/adapters/http_next_question_source.ts";
import { AiRejectedError } from "../../chat/ports/next_question_source.ts";
import type { TemplateRecord } from "../../chat/ports/session_store.ts";
import type { Turn } from "../../_shared/wire/protocol.ts";

const [nda] = (await loadTemplates()).filter((t) => t.slug === "mutual-nda");
if (!nda) throw new Error("the mutual-nda seed template is missing");
const template: TemplateRecord = { ...nda, questions: nda.questions };
const at = "2026-03-01T00:00:00.000Z";

const NDA_ANSWERS: [string, string][] = [
  ["party_a_name", "Acme Inc."],
  ["party_a_email", "legal@Acme.example"],
  ["party_b_name", "Globex LLC"],
  ["party_b_email", "counsel@globex.example"],
  ["effective_date", "2026-04-01"],
  ["purpose", "Evaluating a licensing partnership."],
  ["confidentiality_years", "3"],
  ["governing_law", "new york"],
  ["include_non_solicit", "no"],
  ["additional_terms", "skip"],
];

function history(pairs: [string, string][]): Turn[] {
  return pairs.flatMap(([questionId, content]): Turn[] => [
    { role: "assistant", content: "?", questionId, at, source: "ai" },
    { role: "user", content, questionId, at, clientMessageId: crypto.randomUUID() },
  ]);
}

async function post(baseUrl: string, body: string, key: string | null = INTERVIEWER_KEY) {
  const response = await fetch(`${baseUrl}/v1/chat/next-question`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body,
  });
  return { status: response.status, body: await response.json() };
}

Deno.test("the interviewer process speaks the AI contract over HTTP", async (t) => {
  const interviewer = await startInterviewer();
  const sql = adminSql();
  const client = (apiKey = INTERVIEWER_KEY) =>
    createHttpNextQuestionSource({
      baseUrl: interviewer.baseUrl,
      apiKey,
      timeoutMs: 5_000,
      maxRetries: 0,
    });
  const request = (turns: Turn[]) => ({
    sessionId: crypto.randomUUID(),
    templateId: template.id,
    history: turns,
    template,
  });
  try {
    await t.step("GET /health", async () => {
      const response = await fetch(`${interviewer.baseUrl}/health`);
      const body = await response.json();
      assert.equal(response.status, 200);
      assert.equal(body.status, "healthy");
      assert.equal(body.sessionMode, true);
    });

    await t.step(
      "in_progress: the chat's client gets the first question, its details validated",
      async () => {
        assert.deepEqual(await client().next(request([])), {
          status: "in_progress",
          nextQuestion: {
            id: "party_a_name",
            text: "What is the full legal name of the first party (for example, your company)?",
            type: "short_text",
            required: true,
          },
          progress: { answered: 0, total: 10 },
          source: "ai",
        });
      },
    );

    await t.step("in_progress: an invalid answer is re-asked with its hint", async () => {
      const result = await client().next(request(history([
        ["party_a_name", "Acme Inc."],
        ["party_a_email", "legal at acme"],
      ])));
      assert.equal(result.status, "in_progress");
      assert.ok("nextQuestion" in result);
      assert.equal(result.nextQuestion.id, "party_a_email");
      assert.match(result.nextQuestion.text, /^Please give an email address.+first party\?$/);
    });

    await t.step("complete: the Markdown document with every answer", async () => {
      const result = await client().next(request(history(NDA_ANSWERS)));
      assert.equal(result.status, "complete");
      assert.ok("document" in result);
      assert.equal(result.document.format, "markdown");
      // The template's title rule, filled from the parties' names.
      assert.equal(result.document.title, "NDA: Acme Inc. and Globex LLC");
      for (const value of ["Acme Inc.", "legal@acme.example", "Globex LLC", "April 1, 2026"]) {
        assert.ok(unescapeMarkdown(result.document.content).includes(value), value);
      }
      assert.ok(result.document.content.includes("New York"));
      assert.doesNotMatch(result.document.content, /\{\{|\}\}/);
    });

    await t.step("v2: structured questions and progress, raw over HTTP", async () => {
      const turns = history(NDA_ANSWERS.slice(0, 7));
      const { status, body } = await post(
        interviewer.baseUrl,
        JSON.stringify({ ...request(turns), protocol: "v2", answers: {} }),
      );
      assert.equal(status, 200);
      assert.deepEqual(body, {
        status: "in_progress",
        nextQuestion: {
          id: "governing_law",
          text: "Which law should govern the agreement?",
          type: "choice",
          required: true,
          options: ["Delaware", "New York", "California", "England and Wales"],
        },
        progress: { answered: 7, total: 10 },
      });
    });

    await t.step("401 for a wrong key, which the client does not retry", async () => {
      const error = await client("test-interviewer-key-9876543210").next(request([])).then(
        () => assert.fail("expected a rejection"),
        (e: unknown) => e,
      );
      assert.ok(error instanceof AiRejectedError);
      assert.equal(error.status, 401);
      const raw = await post(interviewer.baseUrl, "{}", null);
      assert.deepEqual(raw, { status: 401, body: { error: "Unauthorized", code: "unauthorized" } });
    });

    await t.step("400 with a message for malformed JSON and a malformed request", async () => {
      assert.deepEqual(await post(interviewer.baseUrl, "{"), {
        status: 400,
        body: { error: "The request body is not valid UTF-8 JSON", code: "malformed_json" },
      });
      const wrong = await post(interviewer.baseUrl, JSON.stringify({ template, history: {} }));
      assert.equal(wrong.status, 400);
      assert.match(wrong.body.error, /^Malformed request: history: Invalid input: expected array/);
    });

    await t.step("422 naming the problem for a template the engine cannot use", async () => {
      const broken = { ...template, body: `${template.body}\n{{unknown_question}}` };
      const { status, body } = await post(
        interviewer.baseUrl,
        JSON.stringify({ template: broken, history: [] }),
      );
      assert.equal(status, 422);
      assert.equal(
        body.error,
        'Template "mutual-nda": placeholder "{{unknown_question}}" names no question',
      );
    });

    await t.step("sessionId alone: reads the stored session with a privileged role", async () => {
      const userId = await createUser(sql, "contract");
      const turns = history(NDA_ANSWERS.slice(0, 2));
      const [session] = await sql`
        insert into public.chat_sessions (user_id, template_id, history, turn_count)
        values (${userId}, ${template.id}, ${sql.json(turns as never)}, ${turns.length})
        returning id`;
      const found = await post(interviewer.baseUrl, JSON.stringify({ sessionId: session!.id }));
      assert.deepEqual(found, {
        status: 200,
        body: {
          status: "in_progress",
          nextQuestion: {
            id: "party_b_name",
            text: "What is the full legal name of the other party?",
            type: "short_text",
            required: true,
          },
          progress: { answered: 2, total: 10 },
        },
      });
      const missing = crypto.randomUUID();
      assert.deepEqual(await post(interviewer.baseUrl, JSON.stringify({ sessionId: missing })), {
        status: 404,
        body: { error: `Session "${missing}" not found`, code: "session_not_found" },
      });
    });
  } catch (error) {
    console.error(interviewer.logs.slice(-20).join("\n"));
    throw error;
  } finally {
    await sql.end();
    await interviewer.stop();
  }
});

Deno.test("an interviewer without a database answers sessionId-only requests with 400", async () => {
  const interviewer = await startInterviewer({ SUPABASE_DB_URL: "" });
  try {
    const health = await (await fetch(`${interviewer.baseUrl}/health`)).json();
    assert.equal(health.sessionMode, false);
    const { status, body } = await post(
      interviewer.baseUrl,
      JSON.stringify({ sessionId: crypto.randomUUID() }),
    );
    assert.equal(status, 400);
    assert.equal(body.error, 'This interviewer has no database: send "template" and "history"');
  } finally {
    await interviewer.stop();
  }
});

Deno.test("the interviewer refuses to start without a usable key, in one line", async (t) => {
  const run = async (overrides: Record<string, string>) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}supabase/functions/interviewer/index.ts`],
      cwd: ROOT,
      env: interviewerEnv({ WEBSOCKET_PORT: "1", NO_COLOR: "1", ...overrides }),
      clearEnv: true,
      stdout: "null",
      stderr: "piped",
    }).output();
    return { code: output.code, stderr: new TextDecoder().decode(output.stderr).trim() };
  };
  await t.step("missing", async () => {
    assert.deepEqual(await run({ AI_SERVICE_API_KEY: "" }), {
      code: 1,
      stderr:
        "Environment variable AI_SERVICE_API_KEY is missing: expected a bearer key of 16 or more characters",
    });
  });
  await t.step("too short", async () => {
    const { code, stderr } = await run({ AI_SERVICE_API_KEY: "short" });
    assert.equal(code, 1);
    assert.match(stderr, /^Environment variable AI_SERVICE_API_KEY is malformed: /);
  });
});
