import assert from "node:assert/strict";
import {
  createBuiltinNextQuestionSource,
  createFallbackNextQuestionSource,
} from "./builtin_next_question_source.ts";
import { createLogger } from "../../_shared/platform/logger.ts";
import {
  AiRejectedError,
  AiUnavailableError,
  type NextQuestionRequest,
  type NextQuestionSource,
  type SourcedResult,
} from "../ports/next_question_source.ts";
import type { Turn } from "../../_shared/wire/protocol.ts";

const at = "2026-03-01T00:00:00.000Z";
const template = {
  id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
  slug: "test",
  name: "Test Agreement",
  description: "",
  questions: [
    { id: "party", text: "Who is the other party?", type: "short_text" },
    { id: "days", text: "How many days?", type: "number", min: 1, max: 90 },
  ],
  body: "# Agreement with {{party}}\n\nNotice: {{days}} days.\n",
  version: 1,
  hash: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};

function request(history: Turn[] = []): NextQuestionRequest {
  return { sessionId: "s-1", templateId: template.id, history, template };
}

/** A primary source that fails with `error` (or answers) and counts its calls. */
function primary(error?: Error): NextQuestionSource & { calls: number } {
  const source = {
    calls: 0,
    next(): Promise<SourcedResult> {
      source.calls++;
      if (error) return Promise.reject(error);
      return Promise.resolve({
        status: "in_progress",
        nextQuestion: { id: "party", text: "From the AI?" },
        source: "ai",
      });
    },
  };
  return source;
}

Deno.test("createBuiltinNextQuestionSource", async (t) => {
  const builtin = createBuiltinNextQuestionSource();

  await t.step("asks the first question of a new interview", async () => {
    assert.deepEqual(await builtin.next(request()), {
      status: "in_progress",
      nextQuestion: { id: "party", text: "Who is the other party?" },
      source: "builtin",
    });
  });

  await t.step("re-asks an invalid answer with its hint", async () => {
    const result = await builtin.next(request([
      { role: "assistant", content: "Who?", questionId: "party", at },
      { role: "user", content: "Acme", questionId: "party", at },
      { role: "assistant", content: "How many days?", questionId: "days", at },
      { role: "user", content: "lots", questionId: "days", at },
    ]));
    assert.equal(result.status, "in_progress");
    assert.ok("nextQuestion" in result);
    assert.equal(result.nextQuestion.id, "days");
    assert.equal(result.nextQuestion.text, "Please give a number from 1 to 90. How many days?");
  });

  await t.step("completes with the assembled document", async () => {
    const result = await builtin.next(request([
      { role: "user", content: "Acme  Corp", questionId: "party", at },
      { role: "user", content: "30", questionId: "days", at },
    ]));
    assert.deepEqual(result, {
      status: "complete",
      document: {
        title: "Agreement with Acme Corp",
        content: "# Agreement with Acme Corp\n\nNotice: 30 days.\n",
        format: "markdown",
      },
      source: "builtin",
    });
  });

  await t.step("refuses a template it cannot interpret with a 422 rejection", async () => {
    const broken = { ...template, body: "{{nobody}}" };
    const error = await builtin.next({ ...request(), template: broken }).then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof AiRejectedError);
    assert.equal(error.status, 422);
    assert.match(error.message, /^Template "test": .*"\{\{nobody\}\}" names no question/);
  });
});

Deno.test("createFallbackNextQuestionSource", async (t) => {
  const builtin = createBuiltinNextQuestionSource();

  await t.step("answers from the primary while it works", async () => {
    const ai = primary();
    const result = await createFallbackNextQuestionSource(ai, builtin).next(request());
    assert.equal(result.source, "ai");
    assert.equal(ai.calls, 1);
  });

  await t.step(
    "asks the built-in engine when the primary is unavailable, and logs it",
    async () => {
      const lines: string[] = [];
      const log = createLogger({ write: (line) => lines.push(line) });
      const source = createFallbackNextQuestionSource(
        primary(new AiUnavailableError("AI service answered 503", 503)),
        builtin,
        { log },
      );
      const result = await source.next(request());
      assert.equal(result.source, "builtin");
      assert.ok("nextQuestion" in result);
      assert.equal(result.nextQuestion.id, "party");
      assert.equal(lines.length, 1);
      assert.deepEqual(
        (({ level, event, status, sessionId }) => ({ level, event, status, sessionId }))(
          JSON.parse(lines[0]!),
        ),
        { level: "warn", event: "ai_fallback_to_builtin", status: 503, sessionId: "s-1" },
      );
    },
  );

  await t.step("passes a rejection (4xx) on without falling back", async () => {
    const source = createFallbackNextQuestionSource(
      primary(new AiRejectedError("AI service refused the request with 401", 401)),
      builtin,
    );
    await assert.rejects(source.next(request()), AiRejectedError);
  });

  await t.step("passes any other error on", async () => {
    const source = createFallbackNextQuestionSource(primary(new RangeError("bug")), builtin);
    await assert.rejects(source.next(request()), RangeError);
  });

  await t.step("skips the primary during the cooldown, then tries it again", async () => {
    let clock = 1_000;
    const ai = primary(new AiUnavailableError("AI service unreachable: timed out"));
    const source = createFallbackNextQuestionSource(ai, builtin, {
      cooldownMs: 30_000,
      now: () => clock,
    });
    assert.equal((await source.next(request())).source, "builtin");
    assert.equal(ai.calls, 1);
    clock += 29_999;
    assert.equal((await source.next(request())).source, "builtin");
    assert.equal(ai.calls, 1, "not asked during the cooldown");
    clock += 1;
    assert.equal((await source.next(request())).source, "builtin");
    assert.equal(ai.calls, 2, "asked again once the cooldown is over");
  });
});
