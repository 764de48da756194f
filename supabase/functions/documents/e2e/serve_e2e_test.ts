// The documents function as `npm start` serves it: index.ts as its own Deno process on a free
// port with the local settings, over real HTTP.
import assert from "node:assert/strict";
import {
  adminSql,
  createEs256SigningKey,
  createUser,
  functionDatabaseEnv,
  JWT_SECRET,
  LOCAL_SUPABASE_URL,
  signToken,
  startFunction,
} from "../../../../test_support/local_stack.ts";

function startDocuments(env: Record<string, string> = {}) {
  return startFunction("documents", {
    SUPABASE_URL: LOCAL_SUPABASE_URL,
    ...functionDatabaseEnv("documents"),
    JWT_SECRET,
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
    ...env,
  }, "/documents");
}

Deno.test("the documents function serves over HTTP", async () => {
  const admin = adminSql();
  const server = await startDocuments();
  const userId = await createUser(admin, "served");
  try {
    const token = await signToken(userId);
    const list = await fetch(`${server.baseUrl}/functions/v1/documents`, {
      headers: { authorization: `Bearer ${token}`, origin: "https://app.example.test" },
    });
    assert.equal(list.status, 200);
    assert.equal(list.headers.get("access-control-allow-origin"), "*");
    assert.deepEqual(await list.json(), { documents: [], nextCursor: null });
    const refused = await fetch(`${server.baseUrl}/interviews`);
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).code, "missing");
    const preflight = await fetch(`${server.baseUrl}/documents`, { method: "OPTIONS" });
    assert.equal(preflight.status, 204);
    await preflight.body?.cancel();
  } finally {
    assert.equal((await server.stop()).code, 0, server.logs.join("\n"));
    await admin`delete from auth.users where id = ${userId}`;
    await admin.end();
  }
  const requests = server.logs.filter((line) => line.includes('"documents_request"'));
  assert.ok(requests.length >= 3, server.logs.join("\n"));
  assert.ok(!server.logs.some((line) => line.includes(JWT_SECRET)), "no secret in the logs");
});

Deno.test("during a key rotation the documents function takes both kinds of token", async (t) => {
  const admin = adminSql();
  const signingKey = await createEs256SigningKey();
  // hosted Supabase hands the key set as {"keys":[...]}; a bare array is taken too
  const server = await startDocuments({ SUPABASE_JWKS: JSON.stringify([signingKey.publicJwk]) });
  const userId = await createUser(admin, "rotation");
  const list = async (token: string) => {
    const response = await fetch(`${server.baseUrl}/documents`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: await response.json() };
  };
  try {
    await t.step(
      "an HS256 token of the legacy secret and an ES256 token are both 200",
      async () => {
        for (const token of [await signToken(userId), await signToken(userId, { signingKey })]) {
          assert.deepEqual(await list(token), {
            status: 200,
            body: { documents: [], nextCursor: null },
          });
        }
      },
    );

    await t.step("a token of another issuer, or of none, is 401 wrong_issuer", async () => {
      const other = await list(
        await signToken(userId, { signingKey, issuer: "https://other.supabase.co/auth/v1" }),
      );
      assert.deepEqual(other, {
        status: 401,
        body: {
          error:
            'Your access token was refused: Token issuer "https://other.supabase.co/auth/v1" is not "http://127.0.0.1:54321/auth/v1"',
          code: "wrong_issuer",
        },
      });
      assert.equal(
        (await list(await signToken(userId, { issuer: null }))).body.code,
        "wrong_issuer",
      );
    });
  } finally {
    assert.equal((await server.stop()).code, 0, server.logs.join("\n"));
    await admin`delete from auth.users where id = ${userId}`;
    await admin.end();
  }
});
