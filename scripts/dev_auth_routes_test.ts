// The local Auth stand-in, called with Requests (no server), its users made in the local stack's
// database; then the real supabase-js library holding a session against it.
import assert from "node:assert/strict";
import * as jose from "jose";
import { createClient } from "@supabase/supabase-js";
import { adminSql, JWT_SECRET, LOCAL_ISSUER } from "../test_support/local_stack.ts";
import { issueDevToken } from "./dev_auth.ts";
import { createLocalAuth } from "./dev_auth_routes.ts";
import { createJwtGate } from "./gateway/jwt_gate.ts";

const BASE = "http://127.0.0.1:54321";

Deno.test("the local Auth stand-in", async (t) => {
  const sql = adminSql();
  const auth = createLocalAuth({
    issueToken: (email) =>
      issueDevToken(sql, { secret: JWT_SECRET, issuer: LOCAL_ISSUER, email, expiresIn: "5m" }),
    gate: createJwtGate({ secret: JWT_SECRET }),
    refreshSecret: JWT_SECRET,
  });
  const call = (path: string, init: RequestInit = {}) =>
    auth.handle(new Request(`${BASE}${path}`, init));
  const email = `auth-${crypto.randomUUID().slice(0, 8)}@example.test`;
  try {
    const session = await auth.signIn(email);

    await t.step("a sign-in is a session as GoTrue returns it", async () => {
      const { payload } = await jose.jwtVerify(
        session.access_token,
        new TextEncoder().encode(JWT_SECRET),
      );
      assert.equal(payload.sub, session.user.id);
      assert.equal(session.user.email, email);
      assert.equal(session.token_type, "bearer");
      assert.equal(session.expires_at, payload.exp);
      assert.ok(session.expires_in > 200 && session.expires_in <= 300, "five minutes");
      const [row] = await sql`select email from auth.users where id = ${session.user.id}`;
      assert.equal(row?.email, email);
    });

    await t.step("GET /auth/v1/user names the token's user", async () => {
      const response = await call("/auth/v1/user", {
        headers: { authorization: `Bearer ${session.access_token}` },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      const user = await response.json();
      assert.equal(user.id, session.user.id);
      assert.equal(user.email, email);
    });

    await t.step("GET /auth/v1/user refuses a missing or forged token", async () => {
      const missing = await call("/auth/v1/user");
      assert.equal(missing.status, 401);
      assert.equal((await missing.json()).error_code, "bad_jwt");
      const forged = await jose.decodeJwt(session.access_token);
      const other = await new jose.SignJWT(forged).setProtectedHeader({ alg: "HS256" })
        .sign(new TextEncoder().encode("another-secret-of-at-least-32-characters!"));
      const response = await call("/auth/v1/user", {
        headers: { authorization: `Bearer ${other}` },
      });
      assert.equal(response.status, 401);
      assert.match((await response.json()).msg, /signature does not match/);
    });

    await t.step("the refresh token gets a new session for the same user", async () => {
      const response = await call("/auth/v1/token?grant_type=refresh_token", {
        method: "POST",
        body: JSON.stringify({ refresh_token: session.refresh_token }),
      });
      assert.equal(response.status, 200);
      const refreshed = await response.json();
      assert.equal(refreshed.user.id, session.user.id);
      assert.equal(jose.decodeJwt(refreshed.access_token).sub, session.user.id);
    });

    await t.step("an access token is no refresh token, nor is garbage", async () => {
      for (const refreshToken of [session.access_token, "nope"]) {
        const response = await call("/auth/v1/token?grant_type=refresh_token", {
          method: "POST",
          body: JSON.stringify({ refresh_token: refreshToken }),
        });
        assert.equal(response.status, 400);
        assert.equal((await response.json()).error_code, "refresh_token_not_found");
      }
    });

    await t.step("bad input gets a sentence", async () => {
      const cases: [string, RequestInit, number, RegExp][] = [
        ["/auth/v1/token?grant_type=refresh_token", { method: "POST", body: "{" }, 400, /JSON/],
        [
          "/auth/v1/token?grant_type=refresh_token",
          { method: "POST", body: "{}" },
          400,
          /refresh_token/,
        ],
        ["/auth/v1/token?grant_type=password", { method: "POST", body: "{}" }, 400, /"password"/],
        ["/auth/v1/signup", { method: "POST", body: "{}" }, 404, /not part of the local Auth/],
      ];
      for (const [path, init, status, message] of cases) {
        const response = await call(path, init);
        assert.equal(response.status, status, path);
        assert.match((await response.json()).msg, message, path);
      }
    });

    await t.step("a preflight allows the headers asked for", async () => {
      const response = await call("/auth/v1/token", {
        method: "OPTIONS",
        headers: { "access-control-request-headers": "apikey, x-supabase-api-version" },
      });
      assert.equal(response.status, 204);
      assert.equal(
        response.headers.get("access-control-allow-headers"),
        "apikey, x-supabase-api-version",
      );
    });

    await t.step("supabase-js sets, refreshes and signs out a session against it", async () => {
      const supabase = createClient(BASE, "local-anon-key", {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        global: { fetch: (input, init) => auth.handle(new Request(input, init)) },
      });
      const events: string[] = [];
      const { data } = supabase.auth.onAuthStateChange((event) => events.push(event));
      const set = await supabase.auth.setSession({
        access_token: session.access_token,
        refresh_token: session.refresh_token,
      });
      assert.equal(set.error, null);
      assert.equal(set.data.user?.email, email);
      const refreshed = await supabase.auth.refreshSession();
      assert.equal(refreshed.error, null);
      assert.equal(refreshed.data.session?.user.id, session.user.id);
      assert.equal((await supabase.auth.signOut()).error, null);
      data.subscription.unsubscribe();
      assert.deepEqual(events, ["INITIAL_SESSION", "SIGNED_IN", "TOKEN_REFRESHED", "SIGNED_OUT"]);
    });
  } finally {
    await sql.end();
  }
});
