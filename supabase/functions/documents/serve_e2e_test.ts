// The documents function as `npm start` serves it: index.ts as its own Deno process on a free
// port with the local settings, over real HTTP.
import assert from "node:assert/strict";
import {
  adminSql,
  createUser,
  functionDatabaseEnv,
  JWT_SECRET,
  signToken,
  startFunction,
} from "../../../test_support/local_stack.ts";

Deno.test("the documents function serves over HTTP", async () => {
  const admin = adminSql();
  const server = await startFunction("documents", {
    SUPABASE_URL: "http://127.0.0.1:54321",
    ...functionDatabaseEnv(),
    JWT_SECRET,
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
  }, "/documents");
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
