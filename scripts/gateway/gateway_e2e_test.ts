// The gateway as `npm start` runs it, over real sockets: its own process in front of the real
// chat and documents functions (each its own process) and the local stack's Postgres. The
// functions know only the gateway's URL as SUPABASE_URL, so an ES256 token verifies only through
// the JWKS the gateway publishes.
import assert from "node:assert/strict";
import { loadOrCreateSigningKey } from "../local_signing_key.ts";
import { startEngineAiService } from "../../test_support/engine_ai_service.ts";
import { startGateway } from "../../test_support/gateway.ts";
import {
  adminSql,
  chatEnv,
  createTemplate,
  createUser,
  freePort,
  functionDatabaseEnv,
  type FunctionProcess,
  LOCAL_ISSUER,
  ROOT,
  signToken,
  startFunction,
} from "../../test_support/local_stack.ts";
import { connect } from "../../test_support/ws_client.ts";

Deno.test("the gateway serves the platform's URLs in front of the functions", async (t) => {
  const admin = adminSql();
  const ai = startEngineAiService();
  // The local stack's own key, as `npm run token` and the dev portal sign with it.
  const signingKey = await loadOrCreateSigningKey();
  const gatewayPort = freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  // Issued as the local stack issues them, whatever port this gateway has.
  const platform = { SUPABASE_URL: gatewayUrl, JWT_ISSUER: LOCAL_ISSUER };
  const processes: FunctionProcess[] = [];
  const userId = await createUser(admin, "gateway");
  try {
    const chat = await startFunction("chat", chatEnv(ai.url, platform));
    processes.push(chat);
    const documents = await startFunction(
      "documents",
      { ...chatEnv(ai.url, platform), ...functionDatabaseEnv("documents") },
      "/documents",
    );
    processes.push(documents);
    // The shipped config.toml turns verify_jwt off everywhere (docs/hosted.md); a project on the
    // legacy secret may turn it on, and the gateway must then check as the platform does.
    const config = await Deno.makeTempFile({ suffix: ".toml" });
    await Deno.writeTextFile(
      config,
      (await Deno.readTextFile(`${ROOT}supabase/config.toml`)).replace(
        /(\[functions\.documents\][^[]*?verify_jwt = )false/,
        "$1true",
      ),
    );
    const gateway = await startGateway(
      { chat: chat.port, documents: documents.port },
      { SUPABASE_CONFIG_PATH: config },
      gatewayPort,
    );
    processes.push(gateway);
    const es256 = await signToken(userId, { signingKey });
    const hs256 = await signToken(userId);

    await t.step("publishes the local ES256 key's JWKS, public half only", async () => {
      const response = await fetch(`${gatewayUrl}/auth/v1/.well-known/jwks.json`);
      assert.equal(response.status, 200);
      const { keys } = await response.json();
      assert.equal(keys.length, 1);
      assert.equal(keys[0].kid, signingKey.kid);
      assert.equal(keys[0].alg, "ES256");
      assert.equal(keys[0].d, undefined, "no private key material");
    });

    await t.step("an ES256 token of the local key is verified through the JWKS", async () => {
      const response = await fetch(`${gatewayUrl}/functions/v1/documents`, {
        headers: { authorization: `Bearer ${es256}` },
      });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { documents: [], nextCursor: null });
    });

    await t.step("the function itself verifies it through that URL, gateway or not", async () => {
      // The documents function holds only JWT_SECRET (HS256) and SUPABASE_URL: an ES256 token can
      // only verify against the key set it fetches from <SUPABASE_URL>/auth/v1/.well-known/jwks.json.
      const response = await fetch(`${documents.baseUrl}/documents`, {
        headers: { authorization: `Bearer ${es256}` },
      });
      assert.equal(response.status, 200);
      await response.body?.cancel();
    });

    await t.step("an HS256 token of the legacy secret is still accepted", async () => {
      const response = await fetch(`${gatewayUrl}/functions/v1/documents/interviews`, {
        headers: { authorization: `Bearer ${hs256}` },
      });
      assert.equal(response.status, 200);
      assert.ok(Array.isArray((await response.json()).templates));
    });

    await t.step(
      "verify_jwt = true on documents (a legacy-key project): no or a bad token is the gateway's 401",
      async () => {
        const missing = await fetch(`${gatewayUrl}/functions/v1/documents`);
        assert.equal(missing.status, 401);
        assert.deepEqual(await missing.json(), {
          code: 401,
          message: "Missing authorization header",
          reason: 'Send "Authorization: Bearer <access token>"',
        });
        const forged = await fetch(`${gatewayUrl}/functions/v1/documents`, {
          headers: { authorization: `Bearer ${es256.slice(0, -4)}AAAA` },
        });
        assert.equal(forged.status, 401);
        assert.equal((await forged.json()).message, "Invalid JWT");
      },
    );

    await t.step(
      "a CORS preflight goes through unchecked and the function answers it",
      async () => {
        const preflight = await fetch(`${gatewayUrl}/functions/v1/documents`, {
          method: "OPTIONS",
          headers: {
            origin: "https://app.example.test",
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
          },
        });
        assert.equal(preflight.status, 204);
        assert.equal(
          preflight.headers.get("access-control-allow-methods"),
          "GET, PATCH, DELETE, OPTIONS",
        );
        await preflight.body?.cancel();
      },
    );

    await t.step("verify_jwt off for the chat: its health answers without a token", async () => {
      const response = await fetch(`${gatewayUrl}/functions/v1/chat/health`);
      assert.equal(response.status, 200);
      assert.equal((await response.json()).status, "healthy");
    });

    await t.step("a function with nothing on its port is 503, an unknown one 404", async () => {
      const down = await fetch(`${gatewayUrl}/functions/v1/interviewer/health`);
      assert.equal(down.status, 503);
      assert.equal((await down.json()).code, "FUNCTION_UNAVAILABLE");
      const unknown = await fetch(`${gatewayUrl}/functions/v1/nope`);
      assert.equal(unknown.status, 404);
      assert.equal((await unknown.json()).code, "NOT_FOUND");
    });

    await t.step("a WebSocket interview through the gateway completes", async () => {
      const templateId = await createTemplate(admin, 3);
      const client = connect(gatewayUrl, {
        token: es256,
        templateId,
        path: "/functions/v1/chat",
      });
      assert.equal(await client.protocol, "chat.v1");
      for (let answered = 0;; answered++) {
        const message = await client.next(undefined, 10_000);
        if (message.type === "session_complete") {
          const closed = await client.closed;
          assert.equal(closed.code, 1000);
          assert.equal(answered, 3);
          const document = await fetch(
            `${gatewayUrl}/functions/v1/documents/${message.documentId}`,
            { headers: { authorization: `Bearer ${es256}` } },
          );
          assert.equal(document.status, 200);
          assert.match((await document.json()).content, /answer 2/);
          break;
        }
        assert.equal(message.type, "next_question", JSON.stringify(message));
        client.send({ type: "user_message", content: `answer ${answered}` });
      }
    });

    await t.step("the chat's refusal close code reaches the caller: 4500", async () => {
      const client = connect(gatewayUrl, {
        token: "not-a-token",
        templateId: crypto.randomUUID(),
        path: "/functions/v1/chat",
      });
      const closed = await client.closed;
      assert.equal(closed.code, 4500);
    });
  } finally {
    for (const process of processes.reverse()) await process.stop();
    await ai.close();
    await admin`delete from auth.users where id = ${userId}`;
    await admin.end();
  }
});
