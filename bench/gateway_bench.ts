// The gateway's cost, measured: the same interviews against the chat directly and through the
// local gateway (scripts/gateway/), interleaved so that drift hits both alike. A turn is the time
// from sending an answer to receiving what follows it (the next question, or session_complete);
// the connect is from opening the socket to the first question. Plus GET /health over HTTP.
//
//   npm run bench:gateway       (the local stack must be up: npm run stack -- up)
//
// Options (env): GATEWAY_BENCH_INTERVIEWS 40 (per path), GATEWAY_BENCH_QUESTIONS 8,
// GATEWAY_BENCH_REQUESTS 400 (per path). Loopback only, one chat process, a fake AI service that
// answers at once, so the figures are the transport's. Prints one JSON object.
import { startFakeAiService } from "../test_support/fake_ai_service.ts";
import { startGateway } from "../test_support/gateway.ts";
import {
  adminSql,
  chatEnv,
  createTemplate,
  createUser,
  signToken,
  startFunction,
} from "../test_support/local_stack.ts";
import { connect } from "../test_support/ws_client.ts";
import { summarize } from "./stats.ts";

const INTERVIEWS = Number(Deno.env.get("GATEWAY_BENCH_INTERVIEWS") ?? 40);
const QUESTIONS = Number(Deno.env.get("GATEWAY_BENCH_QUESTIONS") ?? 8);
const REQUESTS = Number(Deno.env.get("GATEWAY_BENCH_REQUESTS") ?? 400);

type Path = "direct" | "gateway";
const log = (message: string) => console.error(`[gateway-bench] ${message}`);

const admin = adminSql();
const ai = startFakeAiService();
const chat = await startFunction("chat", chatEnv(ai.url, { NODE_ENV: "production" }));
const gateway = await startGateway({ chat: chat.port });
const bases: Record<Path, { base: string; path: string }> = {
  direct: { base: chat.baseUrl, path: "/chat" },
  gateway: { base: gateway.baseUrl, path: "/functions/v1/chat" },
};
const users: string[] = [];

async function interview(path: Path, templateId: string, turns: number[], connects: number[]) {
  const userId = await createUser(admin, "gateway-bench");
  users.push(userId);
  const started = performance.now();
  const client = connect(bases[path].base, {
    token: await signToken(userId),
    templateId,
    path: bases[path].path,
  });
  let message = await client.next(undefined, 10_000);
  connects.push(performance.now() - started);
  for (let answered = 0; message.type === "next_question"; answered++) {
    const sent = performance.now();
    client.send({ type: "user_message", content: `answer ${answered}` });
    message = await client.next(undefined, 10_000);
    turns.push(performance.now() - sent);
  }
  if (message.type !== "session_complete") throw new Error(`Got ${JSON.stringify(message)}`);
  await client.closed;
}

async function health(path: Path, samples: number[]) {
  const url = path === "direct"
    ? `${chat.baseUrl}/health`
    : `${gateway.baseUrl}/functions/v1/chat/health`;
  const started = performance.now();
  const response = await fetch(url);
  await response.body?.cancel();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  samples.push(performance.now() - started);
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const rounded = (samples: number[]) =>
  Object.fromEntries(Object.entries(summarize(samples)).map(([key, value]) => [key, round(value)]));

try {
  const templateId = await createTemplate(admin, QUESTIONS);
  const turns: Record<Path, number[]> = { direct: [], gateway: [] };
  const connects: Record<Path, number[]> = { direct: [], gateway: [] };
  const requests: Record<Path, number[]> = { direct: [], gateway: [] };
  // Warm-up: the first interview on each path pays for JIT and the pools.
  for (const path of ["direct", "gateway"] as const) await interview(path, templateId, [], []);
  log(`${INTERVIEWS} interviews of ${QUESTIONS} questions per path, interleaved`);
  for (let i = 0; i < INTERVIEWS; i++) {
    const order: Path[] = i % 2 === 0 ? ["direct", "gateway"] : ["gateway", "direct"];
    for (const path of order) await interview(path, templateId, turns[path], connects[path]);
  }
  log(`${REQUESTS} GET /health per path, interleaved`);
  for (let i = 0; i < REQUESTS; i++) {
    await health("direct", requests.direct);
    await health("gateway", requests.gateway);
  }
  const turn = { direct: rounded(turns.direct), gateway: rounded(turns.gateway) };
  const get = { direct: rounded(requests.direct), gateway: rounded(requests.gateway) };
  console.log(JSON.stringify(
    {
      interviews: INTERVIEWS,
      questions: QUESTIONS,
      turnMs: turn,
      connectMs: { direct: rounded(connects.direct), gateway: rounded(connects.gateway) },
      healthMs: get,
      addedPerTurnMs: {
        p50: round(turn.gateway.p50! - turn.direct.p50!),
        mean: round(turn.gateway.mean! - turn.direct.mean!),
      },
      addedPerRequestMs: {
        p50: round(get.gateway.p50! - get.direct.p50!),
        mean: round(get.gateway.mean! - get.direct.mean!),
      },
    },
    null,
    2,
  ));
} finally {
  await gateway.stop();
  await chat.stop();
  await ai.close();
  if (users.length > 0) await admin`delete from auth.users where id = any(${users}::uuid[])`;
  await admin.end();
}
