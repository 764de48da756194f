// The database floor, run as its own process: the database work of whole interviews done directly
// in a loop, with no WebSocket, no AI service and no chat process. It uses the chat function's own
// SessionStore, so the statements, transactions and pool are exactly the ones a turn runs:
// per interview findTemplate, openSession and the first question's append; per turn the answer's
// append, then the next question's append (or, on the last turn, completeSession). With a think
// time it waits before each answer as the latency phases' users do, so the figures are the database
// floor of a turn at the same offered load.
//
//   deno run -A bench/db_floor.ts <config.json> <result.json>

import { createUserDatabase } from "../supabase/functions/_shared/platform/user_database.ts";
import { createPostgresSessionStore } from "../supabase/functions/chat/adapters/postgres_session_store.ts";
import type { Turn } from "../supabase/functions/_shared/wire/protocol.ts";
import { readCpuTime } from "./stats.ts";

export interface DbFloorConfig {
  dbUrl: string;
  templateId: string;
  userIds: string[];
  questions: number;
  poolMax: number;
  prepare: boolean;
  statementTimeoutMs: number;
  /** Mean wait before each answer (uniform in 0.5x to 1.5x); 0: answer at once. */
  thinkMs: number;
  warmupMs: number;
  durationMs: number;
}

export interface DbFloorResult {
  /** Milliseconds of database work per turn (answer append + question append or completion). */
  turns: number[];
  /** Milliseconds of database work to open an interview (template, session, first question). */
  connects: number[];
  windowMs: number;
  /** Every turn done, warm-up included, and this process's CPU time over the same run. */
  totalTurns: number;
  cpuMs: number;
}

async function run(config: DbFloorConfig): Promise<DbFloorResult> {
  const database = createUserDatabase(config.dbUrl, {
    max: config.poolMax,
    prepare: config.prepare,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  const sql = database.sql;
  const store = createPostgresSessionStore(database);
  const cpuBefore = await readCpuTime("self");
  const result: DbFloorResult = {
    turns: [],
    connects: [],
    windowMs: config.durationMs,
    totalTurns: 0,
    cpuMs: 0,
  };
  const start = performance.now();
  const measureFrom = start + config.warmupMs;
  const stopAt = measureFrom + config.durationMs;
  const now = () => new Date().toISOString();
  const question = (n: number): Turn => ({
    role: "assistant",
    content: `Question ${n}?`,
    questionId: `q${n}`,
    at: now(),
    source: "ai",
  });

  await Promise.all(config.userIds.map(async (userId) => {
    const issuedAt = Math.floor(Date.now() / 1000);
    const claims = {
      sub: userId,
      role: "authenticated",
      aud: "authenticated",
      iat: issuedAt,
      exp: issuedAt + 3600,
    };
    while (performance.now() < stopAt) {
      const connectionId = crypto.randomUUID();
      let began = performance.now();
      const template = await store.findTemplate(claims, config.templateId);
      if (!template) throw new Error(`Template "${config.templateId}" not found`);
      const opened = await store.openSession(claims, config.templateId, connectionId, false);
      let turnCount = await store.appendTurns(claims, {
        sessionId: opened.sessionId,
        connectionId,
        expectedTurnCount: opened.turnCount,
      }, [question(1)]);
      let finished = performance.now();
      if (began >= measureFrom && finished < stopAt) result.connects.push(finished - began);

      for (let n = 1; n <= config.questions && performance.now() < stopAt; n++) {
        if (config.thinkMs > 0) {
          const thinkMs = config.thinkMs * (0.5 + Math.random());
          await new Promise((resolve) => setTimeout(resolve, thinkMs));
        }
        began = performance.now();
        const fence = () => ({
          sessionId: opened.sessionId,
          connectionId,
          expectedTurnCount: turnCount,
        });
        turnCount = await store.appendTurns(claims, fence(), [{
          role: "user",
          content: `Answer ${n}`,
          questionId: `q${n}`,
          at: now(),
          clientMessageId: `a${n}`,
        }]);
        if (n < config.questions) {
          turnCount = await store.appendTurns(claims, fence(), [question(n + 1)]);
        } else {
          await store.completeSession(claims, fence(), {
            document: { title: "Bench", content: "answers", format: "markdown" },
          });
        }
        finished = performance.now();
        result.totalTurns += 1;
        if (finished >= measureFrom && finished < stopAt) result.turns.push(finished - began);
      }
    }
  }));
  result.cpuMs = (await readCpuTime("self")).ownMs - cpuBefore.ownMs;
  await sql.end({ timeout: 5 });
  return result;
}

if (import.meta.main) {
  const [configPath, resultPath] = Deno.args;
  if (!configPath || !resultPath) {
    console.error("Usage: db_floor.ts <config.json> <result.json>");
    Deno.exit(2);
  }
  const config: DbFloorConfig = JSON.parse(await Deno.readTextFile(configPath));
  await Deno.writeTextFile(resultPath, JSON.stringify(await run(config)));
}
