// Every function reaches the database through DB_URL, as on a hosted project pointed at the
// transaction pooler with `supabase secrets set DB_URL=...`: each runs with DB_URL = the local
// PgBouncer, DB_PREPARE=false and a SUPABASE_DB_URL nothing listens on, serves a request that
// needs the database, and PgBouncer's own client list shows its pool by its application_name,
// logged in as the function's own role.
import assert from "node:assert/strict";
import {
  adminSql,
  chatEnv,
  createUser,
  functionDatabaseEnv,
  type FunctionName,
  functionRole,
  JWT_SECRET,
  poolerClients,
  signToken,
  startFunction,
} from "../../../../../test_support/local_stack.ts";
import { INTERVIEWER_KEY, interviewerEnv } from "../../../../../test_support/interviewer.ts";

const UNREACHABLE = "postgresql://postgres:postgres@127.0.0.1:1/postgres";
const SERVICE_ROLE_KEY = "pooler-route-service-role-key";
/** Through the pooler as the function's own login role; the platform's URL leads nowhere. */
const viaPooler = (name: FunctionName) => ({
  ...functionDatabaseEnv(name, "pooler"),
  SUPABASE_DB_URL: UNREACHABLE,
});

interface Route {
  name: FunctionName;
  applicationName: string;
  env: Record<string, string>;
  /** A request that the function can only answer from the database, and its expected status. */
  request(baseUrl: string): Promise<Response>;
  status: number;
}

const admin = adminSql();
const token = await signToken(await createUser(admin, "pooler-route"));
await admin.end();

const routes: Route[] = [
  {
    name: "chat",
    applicationName: "guided-document-chat",
    env: chatEnv("http://127.0.0.1:9", viaPooler("chat")),
    request: (baseUrl) => fetch(`${baseUrl}/health`),
    status: 200,
  },
  {
    name: "documents",
    applicationName: "guided-document-chat-documents",
    env: chatEnv("http://127.0.0.1:9", viaPooler("documents")),
    request: (baseUrl) =>
      fetch(`${baseUrl}/documents`, { headers: { authorization: `Bearer ${token}` } }),
    status: 200,
  },
  {
    name: "interviewer",
    applicationName: "guided-document-chat-interviewer",
    env: interviewerEnv(viaPooler("interviewer")),
    request: (baseUrl) =>
      fetch(`${baseUrl}/v1/chat/next-question`, {
        method: "POST",
        headers: { authorization: `Bearer ${INTERVIEWER_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ sessionId: crypto.randomUUID() }),
      }),
    status: 404, // session_not_found: the database was asked
  },
  {
    name: "cleanup",
    applicationName: "guided-document-chat-cleanup",
    env: chatEnv("http://127.0.0.1:9", {
      ...viaPooler("cleanup"),
      SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_KEY,
    }),
    request: (baseUrl) =>
      fetch(baseUrl, {
        method: "POST",
        headers: { authorization: `Bearer ${SERVICE_ROLE_KEY}` },
        body: JSON.stringify({ dryRun: true }),
      }),
    status: 200,
  },
];

for (const route of routes) {
  Deno.test(`the ${route.name} function connects through DB_URL, the transaction pooler`, async () => {
    const ours = (clients: Record<string, string>[]) =>
      clients.filter((client) =>
        client.application_name === route.applicationName && client.database === "postgres" &&
        client.user === functionRole(route.name)
      ).map((client) => `${client.addr}:${client.port}`);
    const before = new Set(ours(await poolerClients()));
    const server = await startFunction(route.name, { ...route.env, JWT_SECRET }, "/");
    try {
      const response = await route.request(server.baseUrl);
      const body = await response.text();
      assert.equal(response.status, route.status, body);
      // The pool keeps its connection open after the request (idle timeout 30 s or more).
      const clients = await poolerClients();
      assert.ok(
        ours(clients).some((client) => !before.has(client)),
        `PgBouncer has no new client "${route.applicationName}" as ` +
          `"${functionRole(route.name)}": ${JSON.stringify(clients)}`,
      );
    } finally {
      await server.stop();
    }
  });
}
