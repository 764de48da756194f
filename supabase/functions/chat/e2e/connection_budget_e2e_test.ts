// The connection budget through the pooler: 20 chat processes (isolates, as the Edge Runtime scales
// out) with a small pool each, all behind the local PgBouncer in transaction mode. Every interview
// completes, and pg_stat_activity, sampled throughout, never shows more database backends than the
// pooler's pool: instances x pool is the pooler's client count, not the database's.
import assert from "node:assert/strict";
import postgres from "postgres";
import { startFakeAiService } from "../../../../test_support/fake_ai_service.ts";
import { checkStoredInterview } from "../../../../test_support/history_check.ts";
import { driveInterview, newDriverCounts } from "../../../../test_support/interview_driver.ts";
import {
  adminSql,
  chatEnv,
  closePoolerServerConnections,
  createTemplate,
  createUser,
  DB_URL,
  functionDatabaseEnv,
  type FunctionProcess,
  signToken,
  startFunction,
} from "../../../../test_support/local_stack.ts";

const PROCESSES = 20;
const POOL_PER_PROCESS = 2;
const INTERVIEWS_PER_PROCESS = 3;
const QUESTIONS = 4;
const POOL_SIZE = Number(Deno.env.get("SUPABASE_POOLER_POOL_SIZE") ?? 15);
const MAX_CLIENTS = Number(Deno.env.get("SUPABASE_POOLER_MAX_CLIENTS") ?? 200);
const SAMPLER = "connection-budget-sampler";

Deno.test("20 chat processes through the pooler: every interview completes within the pool", async () => {
  assert.ok(PROCESSES * POOL_PER_PROCESS <= MAX_CLIENTS, "instances x pool fit the client limit");
  const admin = adminSql();
  // Direct, named, so that the sampler's own backend is told apart from the pooler's.
  const sampler = postgres(DB_URL, {
    max: 1,
    prepare: false,
    onnotice: () => {},
    connection: { application_name: SAMPLER },
  });
  const ai = startFakeAiService();
  ai.setDelay(5);
  const processes: FunctionProcess[] = [];
  const samples: { backends: number; chat: number }[] = [];
  let sampling = true;
  const sampleLoop = (async () => {
    while (sampling) {
      // Every client backend but the sampler's and the test's own direct connections: what
      // PgBouncer opened (its idle server connections included).
      const [row] = await sampler`
        select count(*)::int as backends,
          count(*) filter (where application_name = 'guided-document-chat')::int as chat
        from pg_stat_activity
        where backend_type = 'client backend' and datname = current_database()
          and application_name not in (${SAMPLER}, 'postgres.js')`;
      samples.push({ backends: row!.backends, chat: row!.chat });
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  try {
    const env = chatEnv(ai.url, {
      ...functionDatabaseEnv("chat", "pooler"),
      DB_POOL_MAX: String(POOL_PER_PROCESS),
      SUPERSEDE_SIGNAL: "auto",
      NODE_ENV: "production", // no debug lines from 20 processes
    });
    // Started five at a time: 20 cold starts at once would only crowd two cores.
    for (let i = 0; i < PROCESSES; i += 5) {
      processes.push(
        ...await Promise.all(
          Array.from({ length: Math.min(5, PROCESSES - i) }, () => startFunction("chat", env)),
        ),
      );
    }
    const templateId = await createTemplate(admin, QUESTIONS);
    const counts = newDriverCounts();
    const drives = await Promise.all(
      processes.flatMap((chat, p) =>
        Array.from({ length: INTERVIEWS_PER_PROCESS }, async (_, i) => {
          const label = `budget-${p}-${i}`;
          const token = await signToken(await createUser(admin, "budget"));
          return {
            label,
            done: driveInterview({
              baseUrl: () => chat.baseUrl,
              token,
              templateId,
              answer: (questionId) => `${label} answers ${questionId}`,
              label,
              thinkMs: () => Math.random() * 5,
              timeoutMs: 90_000,
              counts,
            }),
          };
        })
      ),
    );
    const results = await Promise.all(drives.map((drive) => drive.done));
    sampling = false;
    await sampleLoop;

    assert.equal(counts.completed, PROCESSES * INTERVIEWS_PER_PROCESS, "every interview completed");
    for (const [i, result] of results.entries()) {
      const label = drives[i]!.label;
      const verdict = await checkStoredInterview(
        admin,
        result.sessionId,
        QUESTIONS,
        (questionId) => `${label} answers ${questionId}`,
      );
      assert.deepEqual(verdict, { lost: 0, duplicated: 0, problems: [] }, label);
    }
    const most = Math.max(...samples.map((s) => s.backends));
    const mostChat = Math.max(...samples.map((s) => s.chat));
    console.log(JSON.stringify({
      processes: PROCESSES,
      poolPerProcess: POOL_PER_PROCESS,
      clientsAtMost: PROCESSES * POOL_PER_PROCESS,
      poolerPoolSize: POOL_SIZE,
      samples: samples.length,
      backendsAtMost: most,
      chatBackendsAtMost: mostChat,
      ...counts,
    }));
    assert.ok(samples.length >= 10, `pg_stat_activity was sampled (${samples.length} times)`);
    assert.ok(mostChat > 0, "the chat's statements ran on backends the pooler opened");
    assert.ok(most <= POOL_SIZE, `at most ${POOL_SIZE} backends, saw ${most}`);
  } catch (error) {
    for (const chat of processes) console.error(chat.logs.slice(-5).join("\n"));
    throw error;
  } finally {
    sampling = false;
    await sampleLoop.catch(() => {});
    await Promise.all(processes.map((chat) => chat.stop()));
    await ai.close();
    await sampler.end();
    await admin.end();
    await closePoolerServerConnections();
  }
});
