// One chat process, one fake AI service and an admin connection, for an end-to-end test.
import postgres from "postgres";
import { type FakeAiService, startFakeAiService } from "./fake_ai_service.ts";
import {
  adminSql,
  adminUrlOf,
  chatEnv,
  type FunctionProcess,
  newUserOnTemplate,
  startFunction,
  storedHistory,
} from "./local_stack.ts";
import { connect, type TestClient } from "./ws_client.ts";

export interface ChatFixture {
  sql: postgres.Sql;
  ai: FakeAiService;
  chat: FunctionProcess;
  /** A new user with a token, on a new template of `questions` short-text questions. */
  newUser(questions?: number): Promise<{ userId: string; token: string; templateId: string }>;
  connect(params: Parameters<typeof connect>[1]): TestClient;
  history(sessionId: string): Promise<{ role: string; content: string; questionId?: string }[]>;
}

/**
 * Runs `run` against a fresh chat process; `env.SUPABASE_DB_URL` moves everything to another
 * cluster (the chat logs in with that URL's role, the fixture's admin connection as postgres).
 */
export async function withChat(
  run: (fixture: ChatFixture) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const sql = adminSql(env.SUPABASE_DB_URL ? adminUrlOf(env.SUPABASE_DB_URL) : undefined);
  const ai = startFakeAiService();
  const chat = await startFunction("chat", chatEnv(ai.url, env));
  const clients: TestClient[] = [];
  try {
    await run({
      sql,
      ai,
      chat,
      newUser: (questions) => newUserOnTemplate(sql, questions),
      connect(params) {
        const client = connect(chat.baseUrl, params);
        clients.push(client);
        return client;
      },
      history: (sessionId) => storedHistory(sql, sessionId),
    });
  } catch (error) {
    console.error(chat.logs.slice(-30).join("\n"));
    throw error;
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await chat.stop();
    await ai.close();
    await sql.end();
  }
}
