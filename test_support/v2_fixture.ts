// The v2 end-to-end tests' stack: the reference interviewer and the chat function, each its own
// process, the chat on a fixed port so a test can kill and restart it where clients expect it;
// and a driver that answers a seeded template's questions over a raw v2 socket until the review.
import assert from "node:assert/strict";
import type postgres from "postgres";
import { loadTemplates } from "../scripts/seed/seeded_templates.ts";
import type { Template } from "../supabase/functions/_shared/template/template.ts";
import { INTERVIEWER_KEY, startInterviewer } from "./interviewer.ts";
import {
  adminSql,
  chatEnv,
  createUser,
  freePort,
  type FunctionProcess,
  signToken,
  startFunction,
  storedHistory,
} from "./local_stack.ts";
import { answerFor, plansFor } from "./seed_interview.ts";
import { connect, type Message, type TestClient } from "./ws_client.ts";

export const templates: Template[] = await loadTemplates();
export const nda = templates.find((template) => template.slug === "mutual-nda")!;
export const offer = templates.find((template) => template.slug === "employment-offer-letter")!;

export interface V2Stack {
  sql: postgres.Sql;
  chatUrl: string;
  port: number;
  chat(): FunctionProcess;
  /** Stops the chat process with `signal` and starts a new one on the same port. */
  restartChat(signal: Deno.Signal): Promise<void>;
  /** A new signed-in user. */
  newUser(label?: string): Promise<{ userId: string; token: string }>;
  /** A raw socket to the chat; offers `chat.v2` unless `offer` says otherwise. */
  connect(params: Parameters<typeof connect>[1]): TestClient;
  history(sessionId: string): Promise<Record<string, unknown>[]>;
}

/** Runs `run` against a chat process whose AI service is the reference interviewer. */
export async function withInterviewerChat(run: (stack: V2Stack) => Promise<void>): Promise<void> {
  const sql = adminSql();
  const interviewer = await startInterviewer();
  const port = freePort();
  const env = chatEnv(interviewer.baseUrl, {
    AI_SERVICE_API_KEY: INTERVIEWER_KEY,
    AI_FALLBACK_TO_BUILTIN: "false",
    AI_TIMEOUT_MS: "5000",
  });
  const start = () => startFunction("chat", env, "/health", { port });
  let chat = await start();
  const clients: TestClient[] = [];
  try {
    await run({
      sql,
      chatUrl: `ws://127.0.0.1:${port}/chat`,
      port,
      chat: () => chat,
      async restartChat(signal) {
        await chat.stop(signal);
        chat = await start();
      },
      async newUser(label = "v2") {
        const userId = await createUser(sql, label);
        return { userId, token: await signToken(userId) };
      },
      connect(params) {
        const client = connect(chat.baseUrl, { offer: ["chat.v2"], ...params });
        clients.push(client);
        return client;
      },
      history: (sessionId) => storedHistory(sql, sessionId) as Promise<Record<string, unknown>[]>,
    });
  } catch (error) {
    console.error(chat.logs.slice(-30).join("\n"));
    throw error;
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await chat.stop();
    await interviewer.stop();
    await sql.end();
  }
}

/** Answers for a template: raw answers in forms people type, by question id. */
export type Answers = Record<string, string>;

/** Valid raw answers to every question of `template` on its first plan, with `overrides`. */
export function validAnswers(template: Template, overrides: Answers = {}): Answers {
  const plan = plansFor(template)[0] ?? { gates: new Map(), skipOptional: false };
  const answers: Answers = {};
  for (const [index, question] of template.questions.entries()) {
    answers[question.id] = answerFor(question, plan, index)[0];
  }
  return { ...answers, ...overrides };
}

export interface ToReview {
  sessionId: string;
  /** Every next_question received, in order. */
  questions: Message[];
  review: Message;
}

/**
 * Answers whatever `client` is asked from `answers` until the review comes; `first` is the
 * message to start from (the first next_question, or what followed an edit).
 */
export async function answerUntilReview(
  client: TestClient,
  answers: Answers,
  first?: Message,
): Promise<ToReview> {
  const questions: Message[] = [];
  let message = first ?? await nextOf(client, ["next_question", "review"]);
  for (let asked = 0; message.type === "next_question"; asked++) {
    assert.ok(asked < 40, "the interview does not end");
    questions.push(message);
    const id: string = message.question.id;
    assert.ok(answers[id] !== undefined, `no answer for "${id}"`);
    client.send({
      type: "user_message",
      content: answers[id],
      questionId: id,
      clientMessageId: crypto.randomUUID(),
    });
    message = await nextOf(client, ["next_question", "review"]);
  }
  return { sessionId: message.sessionId, questions, review: message };
}

/** The next message of one of `types`; any other (an error, say) fails the test. */
export async function nextOf(client: TestClient, types: string[], timeoutMs = 10_000) {
  const message = await client.next(undefined, timeoutMs);
  assert.ok(
    types.includes(message.type),
    `expected ${types.join(" or ")}: ${JSON.stringify(message)}`,
  );
  return message;
}

/** The session's stored document, review and completion, as the database holds them. */
export async function storedSession(sql: postgres.Sql, sessionId: string) {
  const [row] = await sql`
    select s.is_complete, s.turn_count, s.review, s.review_turn_count,
      (select count(*)::int from generated_documents d where d.session_id = s.id) as documents,
      (select json_agg(json_build_object('id', d.id, 'title', d.title, 'content', d.content,
        'format', d.format)) from generated_documents d where d.session_id = s.id) as stored
    from chat_sessions s where s.id = ${sessionId}`;
  return row!;
}
