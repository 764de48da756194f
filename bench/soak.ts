// The soak: interviews run back to back for SOAK_SECONDS while the AI service fails a random
// share of its calls, fuzzers send hostile frames, and every SOAK_FAULT_EVERY seconds one
// fault strikes in turn: the chat process killed with SIGKILL, drained with SIGTERM,
// PostgreSQL restarted, its connections terminated, the AI service down or slow. Every
// completed interview is checked against exactly what its client was told was accepted.
// Run with `npm run soak` (see RELIABILITY.md); it prints its counts and exits 1 on any loss.
import { badFrame } from "../test_support/hostile_frames.ts";
import { startFakeAiService } from "../test_support/fake_ai_service.ts";
import { checkStoredInterview } from "../test_support/history_check.ts";
import { driveInterview, newDriverCounts } from "../test_support/interview_driver.ts";
import {
  adminSql,
  chatEnv,
  createTemplate,
  createUser,
  functionLoginUrl,
  type FunctionProcess,
  signToken,
  startFunction,
} from "../test_support/local_stack.ts";
import { createPrng, seedFromEnv } from "../test_support/prng.ts";
import { throwawayCluster } from "../test_support/throwaway_cluster.ts";
import { connect } from "../test_support/ws_client.ts";

const SECONDS = Number(Deno.env.get("SOAK_SECONDS") ?? 180);
const CONCURRENCY = Number(Deno.env.get("SOAK_CONCURRENCY") ?? 40);
const FAULT_EVERY = Number(Deno.env.get("SOAK_FAULT_EVERY") ?? 15);
const FUZZERS = Number(Deno.env.get("SOAK_FUZZERS") ?? 2);
const QUESTIONS = 6;
const ALL_FAULTS = [
  "chat_sigkill",
  "pg_restart",
  "ai_outage",
  "chat_sigterm",
  "pg_terminate",
  "ai_slow",
] as const;
/** SOAK_FAULTS=pg_restart,pg_terminate picks some; the default is all of them in turn. */
const FAULTS = (Deno.env.get("SOAK_FAULTS")?.split(",") ?? ALL_FAULTS) as readonly string[];

const prng = createPrng(seedFromEnv("soak"));
const cluster = throwawayCluster(Number(Deno.env.get("SOAK_DB_PORT") ?? 54442));
console.log(
  `soak: ${SECONDS} s, ${CONCURRENCY} interviews at a time, a fault every ${FAULT_EVERY} s`,
);
await cluster.up();
const sql = adminSql(cluster.url);
const ai = startFakeAiService();
ai.keepRequests = false;
const env = chatEnv(ai.url, {
  SUPABASE_DB_URL: functionLoginUrl("chat", cluster.url),
  AI_TIMEOUT_MS: "1000",
  AI_MAX_RETRIES: "1",
  NODE_ENV: "production",
});
let chat: FunctionProcess = await watched(await startFunction("chat", env));
const deadline = Date.now() + SECONDS * 1000;
const counts = newDriverCounts();
const figures = {
  interviews: 0,
  answersAccepted: 0,
  lost: 0,
  duplicated: 0,
  mismatched: 0,
  failedInterviews: 0,
  chatCrashes: 0,
  fuzzFrames: 0,
  fuzzWrongReplies: 0,
  faults: Object.fromEntries(FAULTS.map((fault) => [fault, 0])) as Record<string, number>,
};
const failures: string[] = [];
let lastLogs: string[] = [];

/** Chat processes told to stop; any other that exits has crashed, which the soak reports. */
const stopping = new Set<FunctionProcess>();
function watched(process: FunctionProcess): FunctionProcess {
  process.child.status.then(async (status) => {
    if (stopping.has(process)) return;
    await sleep(500); // let the last of its output arrive
    figures.chatCrashes++;
    failures.push(
      `chat process exited by itself (${JSON.stringify(status)}): ` +
        process.logs.slice(-15).join("\n"),
    );
  });
  return process;
}

/** Runs admin work again while the database is restarting. */
async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0;; attempt++) {
    try {
      return await work();
    } catch (error: unknown) {
      if (attempt >= 60) throw error;
      await sleep(500);
    }
  }
}

async function interviewer(worker: number, templateId: string): Promise<void> {
  for (let n = 0; Date.now() < deadline; n++) {
    const label = `soak-${worker}-${n}`;
    const answer = (id: string) => `${label} answers ${id} '); drop table x; -- <b>`;
    const token = await retrying(async () => await signToken(await createUser(sql, "soak")));
    try {
      const { sessionId } = await driveInterview({
        baseUrl: () => chat.baseUrl,
        token,
        templateId,
        answer,
        label,
        thinkMs: () => Math.random() * 100,
        timeoutMs: 120_000,
        counts,
      });
      const verdict = await retrying(() => checkStoredInterview(sql, sessionId, QUESTIONS, answer));
      figures.interviews++;
      figures.answersAccepted += QUESTIONS;
      figures.lost += verdict.lost;
      figures.duplicated += verdict.duplicated;
      if (verdict.problems.length) {
        figures.mismatched++;
        failures.push(`${label}: ${verdict.problems.join("; ")}`);
      }
    } catch (error: unknown) {
      figures.failedInterviews++;
      failures.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function fuzzer(worker: number, templateId: string): Promise<void> {
  const fuzz = prng.fork(`fuzzer-${worker}`);
  const token = await retrying(async () => await signToken(await createUser(sql, "fuzz")));
  while (Date.now() < deadline) {
    const client = connect(chat.baseUrl, { token, templateId });
    try {
      await client.next("next_question", 5_000);
      for (let i = 0; i < 9; i++) {
        const bad = badFrame(fuzz);
        client.sendRaw(bad.data);
        figures.fuzzFrames++;
        const reply = await client.next(undefined, 5_000);
        if (reply.type !== "error") continue; // e.g. a storage error while the database restarts
        if (reply.code !== bad.expect && reply.retryable !== true) {
          figures.fuzzWrongReplies++;
          failures.push(`fuzz ${bad.category}: expected ${bad.expect}, got ${reply.code}`);
        }
      }
    } catch {
      // the chat process or the database went away under the fuzzer: connect again
    } finally {
      await client.close().catch(() => {});
    }
    await sleep(200);
  }
}

async function chaos(): Promise<void> {
  for (let i = 0; Date.now() + FAULT_EVERY * 1000 < deadline; i++) {
    await sleep(FAULT_EVERY * 1000);
    const fault = FAULTS[i % FAULTS.length]!;
    figures.faults[fault]!++;
    console.log(`soak: ${Math.round((deadline - Date.now()) / 1000)} s left, fault ${fault}`);
    chat.logs.splice(0, chat.logs.length);
    switch (fault) {
      case "chat_sigkill":
      case "chat_sigterm":
        stopping.add(chat);
        await chat.stop(fault === "chat_sigkill" ? "SIGKILL" : "SIGTERM");
        await sleep(300);
        chat = await watched(await startFunction("chat", env));
        break;
      case "pg_restart":
        await cluster.down();
        await sleep(1_500);
        await cluster.up();
        break;
      case "pg_terminate":
        await retrying(() =>
          sql`select pg_terminate_backend(pid) from pg_stat_activity
            where application_name = 'guided-document-chat'`
        );
        break;
      case "ai_outage":
        ai.setMode("fail_500");
        await sleep(3_000);
        ai.setMode("ok");
        break;
      case "ai_slow":
        ai.setDelay(900);
        await sleep(5_000);
        ai.setDelay(() => prng.int(100));
        break;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const started = performance.now();
try {
  const templateId = await createTemplate(sql, QUESTIONS);
  ai.setDelay(() => prng.int(100));
  ai.failRandomly({
    rate: 0.2,
    prng: prng.fork("ai"),
    modes: ["fail_500", "fail_500", "malformed", "wrong_shape", "stalled_body", "hang"],
  });
  await Promise.all([
    chaos(),
    ...Array.from({ length: CONCURRENCY }, (_, i) => interviewer(i, templateId)),
    ...Array.from({ length: FUZZERS }, (_, i) => fuzzer(i, templateId)),
  ]);
} finally {
  lastLogs = chat.logs.slice(-40);
  stopping.add(chat);
  await chat.stop();
  await ai.close();
  await sql.end();
  await cluster.down();
}

const summary = {
  seed: prng.seed,
  seconds: Math.round((performance.now() - started) / 1000),
  ...figures,
  aiCalls: ai.stats.calls,
  aiFailed: ai.stats.failed,
  client: counts,
};
console.log(JSON.stringify(summary, null, 2));
for (const failure of failures.slice(0, 20)) console.error(`soak: ${failure}`);
if (failures.length) console.error(lastLogs.join("\n"));
const ok = failures.length === 0 && figures.lost === 0 && figures.duplicated === 0 &&
  figures.interviews > 0;
console.log(
  `soak: ${figures.interviews} interviews, ${figures.answersAccepted} answers accepted, ` +
    `${figures.lost} lost, ${figures.duplicated} duplicated, ${figures.failedInterviews} failed, ` +
    `${figures.fuzzFrames} hostile frames, ${
      Object.values(figures.faults).reduce((a, b) => a + b, 0)
    } faults: ` +
    (ok ? "ok" : "FAILED"),
);
Deno.exit(ok ? 0 : 1);
