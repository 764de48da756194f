// The dev portal's handler, called with Requests and no server; its sign-in tokens are minted
// against the local stack's database.
import assert from "node:assert/strict";
import * as jose from "jose";
import { adminSql, JWT_SECRET, LOCAL_ISSUER } from "../test_support/local_stack.ts";
import { isLoopbackDatabase, issueDevToken } from "./dev_auth.ts";
import { createLocalAuth } from "./dev_auth_routes.ts";
import { createDevPortalHandler, type DevPortalDeps } from "./dev_portal_handler.ts";
import { createJwtGate } from "./gateway/jwt_gate.ts";

Deno.test("the dev portal handler", async (t) => {
  const sql = adminSql();
  const bundled: string[] = [];
  const deps: DevPortalDeps = {
    chatUrl: "ws://127.0.0.1:8080/chat",
    documentsUrl: "http://127.0.0.1:8084",
    issueToken: (email) =>
      issueDevToken(sql, {
        secret: JWT_SECRET,
        issuer: LOCAL_ISSUER,
        email,
        expiresIn: "5m",
      }),
    readFile: (path) => Deno.readFile(new URL(`../${path}`, import.meta.url)),
    bundle: (path) => {
      bundled.push(path);
      return Promise.resolve(`// bundle of ${path}`);
    },
  };
  const handle = createDevPortalHandler(deps);
  const get = (path: string) => handle(new Request(`http://portal.test${path}`));
  const postToken = (body: string, handler = handle) =>
    handler(new Request("http://portal.test/dev/token", { method: "POST", body }));

  try {
    await t.step("serves the page with a strict content security policy", async () => {
      const response = await get("/");
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type")!, /^text\/html/);
      const policy = response.headers.get("content-security-policy")!;
      assert.match(policy, /script-src 'self';/);
      assert.match(policy, /connect-src 'self' ws: wss: http:\/\/127\.0\.0\.1:8084;/, "documents");
      assert.match(await response.text(), /<script type="module" src="\/demo\/app.js">/);
    });

    await t.step("serves the client modules compiled for the browser", async () => {
      for (
        const [path, source] of [
          ["/demo/app.js", "client/demo/app.js"],
          ["/client/chat_client.js", "client/chat_client.ts"],
        ]
      ) {
        const response = await get(path!);
        assert.match(response.headers.get("content-type")!, /^text\/javascript/);
        assert.equal(await response.text(), `// bundle of ${source}`);
      }
      assert.equal((await get("/client/jwt.ts")).status, 404, "nothing else from the tree");
      assert.equal((await get("/client/markdown.js")).status, 404, "the old renderer is gone");
      assert.equal((await get("/../deno.json")).status, 404);
    });

    await t.step(
      "tells the page where the chat and the documents are, and of dev tokens",
      async () => {
        assert.deepEqual(await (await get("/dev/config")).json(), {
          chatUrl: "ws://127.0.0.1:8080/chat",
          documentsUrl: "http://127.0.0.1:8084",
          devTokens: true,
        });
      },
    );

    await t.step("POST /dev/token creates the user once and signs a token for them", async () => {
      const email = `portal-${crypto.randomUUID().slice(0, 8)}@example.test`;
      const first = await (await postToken(JSON.stringify({ email: ` ${email.toUpperCase()} ` })))
        .json();
      const second = await (await postToken(JSON.stringify({ email }))).json();
      assert.equal(first.userId, second.userId, "the same user for the same email");
      const { payload } = await jose.jwtVerify(
        first.accessToken,
        new TextEncoder().encode(JWT_SECRET),
      );
      assert.equal(payload.sub, first.userId);
      assert.equal(payload.role, "authenticated");
      assert.equal(payload.email, email);
      assert.equal(payload.iss, LOCAL_ISSUER, "the issuer the functions expect");
      const [user] = await sql`select email from auth.users where id = ${first.userId}`;
      assert.equal(user?.email, email);
    });

    await t.step("POST /dev/token refuses bad input", async () => {
      assert.equal((await postToken("{nope")).status, 400);
      assert.equal((await postToken(JSON.stringify({ email: "not an email" }))).status, 400);
      assert.equal((await postToken(JSON.stringify({ email: 42 }))).status, 400);
      assert.equal((await postToken("x".repeat(5_000))).status, 413);
      assert.equal((await get("/dev/token")).status, 405);
    });

    await t.step("without the local stack's consent there is no token endpoint", async () => {
      const off = createDevPortalHandler({ ...deps, issueToken: undefined });
      const response = await postToken(JSON.stringify({ email: "a@example.test" }), off);
      assert.equal(response.status, 404);
      assert.equal(
        (await (await off(new Request("http://portal.test/dev/config"))).json())
          .devTokens,
        false,
      );
    });

    await t.step(
      "POST /dev/session signs in for supabase-js; /auth/v1 is the stand-in's",
      async () => {
        const withAuth = createDevPortalHandler({
          ...deps,
          supabaseUrl: "http://127.0.0.1:54321",
          anonKey: "local-anon",
          auth: createLocalAuth({
            issueToken: deps.issueToken!,
            gate: createJwtGate({ secret: JWT_SECRET }),
            refreshSecret: JWT_SECRET,
          }),
        });
        const config = await (await withAuth(new Request("http://portal.test/dev/config"))).json();
        assert.equal(config.supabaseUrl, "http://127.0.0.1:54321");
        assert.equal(config.anonKey, "local-anon");
        const policy = (await withAuth(new Request("http://portal.test/")))
          .headers.get("content-security-policy")!;
        assert.match(
          policy,
          /connect-src 'self' ws: wss: http:\/\/127\.0\.0\.1:8084 http:\/\/127\.0\.0\.1:54321;/,
        );
        const email = `session-${crypto.randomUUID().slice(0, 8)}@example.test`;
        const signIn = (body: string) =>
          withAuth(new Request("http://portal.test/dev/session", { method: "POST", body }));
        const session = await (await signIn(JSON.stringify({ email }))).json();
        assert.equal(session.user.email, email);
        assert.ok(session.refresh_token, "a refresh token for supabase-js");
        const user = await withAuth(
          new Request("http://portal.test/auth/v1/user", {
            headers: { authorization: `Bearer ${session.access_token}` },
          }),
        );
        assert.equal((await user.json()).id, session.user.id);
        const refused = await signIn(JSON.stringify({ email: "nope" }));
        assert.equal(refused.status, 400);
        assert.equal((await refused.json()).error, 'Field "email" must be an email address');
        assert.equal((await signIn("x".repeat(5_000))).status, 413);
        assert.equal((await get("/dev/session")).status, 404, "off without the stand-in");
        assert.equal((await get("/auth/v1/user")).status, 404, "off without the stand-in");
      },
    );

    await t.step("anything else is a 404, the reads a web app makes included", async () => {
      // Documents and templates come from the documents function, never from the portal.
      for (const path of ["/nope", "/dev/templates", "/dev/documents/x"]) {
        assert.equal((await get(path)).status, 404, path);
      }
    });
  } finally {
    await sql.end();
  }
});

Deno.test("isLoopbackDatabase allows only this machine", () => {
  for (const url of ["postgresql://u:p@127.0.0.1:54322/db", "postgres://localhost/db"]) {
    assert.equal(isLoopbackDatabase(url), true, url);
  }
  for (
    const url of [
      "postgresql://postgres:pw@db.abcd.supabase.co:5432/postgres",
      "postgresql://u@10.0.0.5/db",
      "not a url",
    ]
  ) {
    assert.equal(isLoopbackDatabase(url), false, url);
  }
});
