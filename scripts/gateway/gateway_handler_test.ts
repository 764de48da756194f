// The gateway's own answers, with no server: a Request in, a Response out.
import assert from "node:assert/strict";
import { createGatewayHandler } from "./gateway_handler.ts";

const handler = createGatewayHandler({
  functions: new Map([
    ["documents", { origin: "http://127.0.0.1:9", verifyJwt: true }],
    ["chat", { origin: "http://127.0.0.1:9", verifyJwt: false }],
  ]),
  gate: (authorization) =>
    Promise.resolve(
      authorization === "Bearer good" ? undefined : { message: "Invalid JWT", reason: "bad" },
    ),
  jwks: { keys: [{ kty: "EC", kid: "k1" }] },
  log: () => {},
});
const get = (path: string, init: RequestInit = {}) =>
  handler(new Request(`http://127.0.0.1:54321${path}`, init));

Deno.test("the gateway's own answers", async (t) => {
  await t.step("publishes the JWKS, readable from any origin", async () => {
    const response = await get("/auth/v1/.well-known/jwks.json");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.deepEqual(await response.json(), { keys: [{ kty: "EC", kid: "k1" }] });
  });

  await t.step(
    "a function that is not served is 404 NOT_FOUND, naming those that are",
    async () => {
      const response = await get("/functions/v1/nope/x");
      assert.equal(response.status, 404);
      assert.deepEqual(await response.json(), {
        code: "NOT_FOUND",
        message: 'Requested function was not found: "nope" is not served here ' +
          "(served: documents, chat)",
      });
    },
  );

  await t.step(
    "a path outside the platform's layout is 404 and says where functions are",
    async () => {
      const response = await get("/documents");
      assert.equal(response.status, 404);
      assert.equal(
        (await response.json()).message,
        "No route for /documents: functions are under /functions/v1/<function name>",
      );
    },
  );

  await t.step("verify_jwt: a refused token is 401 before the function is asked", async () => {
    const response = await get("/functions/v1/documents", {
      headers: { authorization: "Bearer bad" },
    });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.deepEqual(await response.json(), { code: 401, message: "Invalid JWT", reason: "bad" });
  });

  await t.step("past the gate, or with verify_jwt off, the function is asked", async () => {
    // Nothing listens on port 9: being asked shows as 503.
    for (
      const [path, headers] of [
        ["/functions/v1/documents", { authorization: "Bearer good" }],
        ["/functions/v1/chat/health", {}],
      ] as const
    ) {
      const response = await get(path, { headers });
      assert.equal(response.status, 503, path);
      assert.equal(
        (await response.json()).message,
        'Function "' + path.split("/")[3] +
          '" is not answering on http://127.0.0.1:9: is it running? (npm start serves it)',
      );
    }
  });

  await t.step("a preflight skips the gate: it goes to the function", async () => {
    const response = await get("/functions/v1/documents", { method: "OPTIONS" });
    assert.equal(response.status, 503);
    await response.body?.cancel();
  });

  await t.step(
    "without a local Auth stand-in, /auth/v1/user is 404 saying what serves it",
    async () => {
      const response = await get("/auth/v1/user");
      assert.equal(response.status, 404);
      assert.deepEqual(await response.json(), {
        code: "NOT_FOUND",
        message: "No local Auth server for /auth/v1/user: the dev portal serves /auth/v1 " +
          "(DEV_PORTAL=true), or set LOCAL_AUTH_URL",
      });
    },
  );

  await t.step("with one that does not answer, /auth/v1/token is 503 naming it", async () => {
    const withAuth = createGatewayHandler({
      functions: new Map(),
      gate: () => Promise.resolve(undefined),
      jwks: { keys: [] },
      authOrigin: "http://127.0.0.1:9",
      log: () => {},
    });
    const response = await withAuth(
      new Request("http://127.0.0.1:54321/auth/v1/token?grant_type=refresh_token", {
        method: "POST",
        body: "{}",
      }),
    );
    assert.equal(response.status, 503);
    assert.deepEqual(await response.json(), {
      code: "AUTH_UNAVAILABLE",
      message: "The local Auth stand-in is not answering on http://127.0.0.1:9: is the dev " +
        "portal running? (DEV_PORTAL=true npm start)",
    });
  });
});
