// End-to-end load with faults: 200 concurrent interviews while the AI service fails a random
// 20% of its calls (500s, malformed or stalled bodies, hangs past the timeout). Every interview completes through client retries, and every stored history
// is exactly its accepted answers in order. Seeded: FUZZ_SEED=<seed> replays the failures.
import assert from "node:assert/strict";
import { withChat } from "../../../../test_support/chat_fixture.ts";
import { checkStoredInterview } from "../../../../test_support/history_check.ts";
import { driveInterview, newDriverCounts } from "../../../../test_support/interview_driver.ts";
import { createTemplate, createUser, signToken } from "../../../../test_support/local_stack.ts";
import { createPrng, seedFromEnv } from "../../../../test_support/prng.ts";

const INTERVIEWS = Number(Deno.env.get("LOAD_INTERVIEWS") ?? 200);
const QUESTIONS = 5;

Deno.test("200 concurrent interviews complete while the AI fails 20% of calls", async () => {
  const prng = createPrng(seedFromEnv("load with faults"));
  await withChat(async ({ sql, ai, chat }) => {
    const templateId = await createTemplate(sql, QUESTIONS);
    const users = await Promise.all(Array.from({ length: INTERVIEWS }, async () => {
      const userId = await createUser(sql, "load");
      return { userId, token: await signToken(userId) };
    }));
    ai.keepRequests = false;
    const delays = prng.fork("delay");
    ai.setDelay(() => delays.int(40));
    ai.failRandomly({
      rate: 0.2,
      prng: prng.fork("ai"),
      modes: ["fail_500", "fail_500", "malformed", "wrong_shape", "stalled_body", "hang"],
    });
    const counts = newDriverCounts();
    const answer = (i: number) => (questionId: string) => `user ${i} answers ${questionId}`;
    const started = performance.now();
    const results = await Promise.all(users.map((user, i) =>
      driveInterview({
        baseUrl: () => chat.baseUrl,
        token: user.token,
        templateId,
        answer: answer(i),
        label: `load-${i}`,
        thinkMs: () => Math.random() * 20,
        timeoutMs: 50_000,
        counts,
      })
    ));
    const seconds = (performance.now() - started) / 1000;
    ai.failRandomly(null);

    let lost = 0, duplicated = 0;
    const problems: string[] = [];
    for (const [i, result] of results.entries()) {
      const verdict = await checkStoredInterview(sql, result.sessionId, QUESTIONS, answer(i));
      lost += verdict.lost;
      duplicated += verdict.duplicated;
      problems.push(...verdict.problems.map((p) => `load-${i}: ${p}`));
    }
    console.log(JSON.stringify({
      interviews: INTERVIEWS,
      seconds: Number(seconds.toFixed(1)),
      aiCalls: ai.stats.calls,
      aiFailed: ai.stats.failed,
      ...counts,
      lost,
      duplicated,
    }));
    assert.deepEqual(problems, []);
    assert.equal(lost, 0, "no accepted answer is lost");
    assert.equal(duplicated, 0, "no turn is stored twice");
    assert.equal(counts.completed, INTERVIEWS);
    assert.equal(new Set(results.map((r) => r.sessionId)).size, INTERVIEWS);
    assert.ok(ai.stats.failed > 0 && counts.aiUnavailable > 0, "the AI really failed");
    assert.equal(counts.retries >= counts.aiUnavailable, true);
    const health = await (await fetch(`${chat.baseUrl}/health`)).json();
    assert.deepEqual(health.connections, { total: 0, active: 0 });
  }, { AI_MAX_RETRIES: "0", AI_TIMEOUT_MS: "800" });
});
