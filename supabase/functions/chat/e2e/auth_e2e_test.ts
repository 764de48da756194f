// End-to-end: who may connect. Refusals are upgraded and closed with the design's close codes.
import assert from "node:assert/strict";
import * as jose from "jose";
import { withChat } from "../../../../test_support/chat_fixture.ts";
import {
  chatEnv,
  createEs256SigningKey,
  createUser,
  jwksOf,
  ROOT,
  signToken,
} from "../../../../test_support/local_stack.ts";

Deno.test("bad tokens are refused with 4500, an expired one with 4001, before any session work", async (t) => {
  await withChat(async ({ sql, newUser, connect, chat }) => {
    const { userId, templateId } = await newUser();
    const unsigned = new jose.UnsecuredJWT({
      role: "authenticated",
      aud: "authenticated",
      sub: userId,
    })
      .setExpirationTime("1h").encode();
    const cases: [string, string | undefined, number][] = [
      ["a missing token", undefined, 4500],
      ["garbage", "not-a-jwt", 4500],
      ["a wrong signature", await signToken(userId, { secret: "x".repeat(40) }), 4500],
      ["alg none", unsigned, 4500],
      ["the anon role", await signToken(userId, { role: "anon" }), 4500],
      ["the service role", await signToken(userId, { role: "service_role" }), 4500],
      ["a subject that is not a UUID", await signToken("alice"), 4500],
      ["a wrong audience", await signToken(userId, { audience: "someone-else" }), 4500],
      [
        "another issuer",
        await signToken(userId, { issuer: "https://other.supabase.co/auth/v1" }),
        4500,
      ],
      ["no issuer", await signToken(userId, { issuer: null }), 4500],
      ["an expired token", await signToken(userId, { expiresIn: "-5m" }), 4001],
    ];
    for (const [name, token, code] of cases) {
      await t.step(name, async () => {
        const client = connect({ token, templateId });
        const closed = await client.closed;
        assert.equal(closed.code, code);
        assert.equal(client.received.length, 0, "nothing is sent on a refused socket");
      });
    }
    const [{ count }] = await sql`select count(*)::int from chat_sessions
      where user_id = ${userId}` as unknown as [{ count: number }];
    assert.equal(count, 0, "no session was created for any refused connection");
    const logs = chat.logs.join("\n");
    assert.match(logs, /"event":"auth_failed","[^\n]*"reason":"expired"/);
    assert.match(logs, /"reason":"algorithm_not_allowed"/);
    assert.match(logs, /"reason":"wrong_issuer"/);
    for (const [, token] of cases) {
      if (token && token.length > 20) assert.ok(!logs.includes(token), "tokens are never logged");
    }
  });
});

Deno.test("during a key rotation HS256 and ES256 tokens both open an interview", async (t) => {
  const signingKey = await createEs256SigningKey();
  const retired = await createEs256SigningKey();
  await withChat(async ({ sql, newUser, connect, chat }) => {
    const { templateId } = await newUser();
    const cases: [string, (userId: string) => Promise<string>][] = [
      ["an HS256 token of the legacy secret", (userId) => signToken(userId)],
      ["an ES256 token of the new signing key", (userId) => signToken(userId, { signingKey })],
    ];
    for (const [name, tokenFor] of cases) {
      await t.step(name, async () => {
        const client = connect({ token: await tokenFor(await createUser(sql)), templateId });
        assert.equal((await client.next("next_question")).question.id, "q1");
        await client.close();
      });
    }
    await t.step("another issuer is refused with 4500, on either key", async () => {
      const userId = await createUser(sql);
      const issuer = "https://other.supabase.co/auth/v1";
      for (
        const token of [
          await signToken(userId, { issuer }),
          await signToken(userId, { issuer, signingKey }),
        ]
      ) {
        const client = connect({ token, templateId });
        assert.equal((await client.closed).code, 4500);
        assert.equal(client.received.length, 0);
      }
    });
    await t.step("a key that is not in the set is refused with 4500", async () => {
      const client = connect({
        token: await signToken(await createUser(sql), { signingKey: retired }),
        templateId,
      });
      assert.equal((await client.closed).code, 4500);
    });
    assert.match(chat.logs.join("\n"), /"event":"auth_failed","[^\n]*"reason":"wrong_issuer"/);
  }, { SUPABASE_JWKS: jwksOf(signingKey) });
});

Deno.test("a token of a deleted user opens nothing", async () => {
  await withChat(async ({ sql, newUser, connect }) => {
    const { userId, token, templateId } = await newUser();
    await sql`delete from auth.users where id = ${userId}`;
    const client = connect({ token, templateId });
    assert.equal((await client.closed).code, 4500);
  });
});

Deno.test("templates that are malformed, unknown or inactive are refused with 4504", async (t) => {
  await withChat(async ({ sql, newUser, connect }) => {
    const { token, templateId } = await newUser();
    await sql`update document_templates set is_active = false where id = ${templateId}`;
    const cases: [string, string | undefined][] = [
      ["a missing id", undefined],
      ["an id that is not a UUID", "nda"],
      ["an id carrying SQL", "' or 1=1 --"],
      ["an unknown template", crypto.randomUUID()],
      ["an inactive template", templateId],
    ];
    for (const [name, id] of cases) {
      await t.step(name, async () => {
        const client = connect({ token, templateId: id });
        assert.deepEqual(await client.closed, { code: 4504, reason: "template not found" });
      });
    }
  });
});

Deno.test("plain HTTP requests get JSON errors, health reports the connections", async (t) => {
  await withChat(async ({ chat, newUser, connect }) => {
    const { token, templateId } = await newUser();
    await t.step("401 without a valid token", async () => {
      const response = await fetch(`${chat.baseUrl}/chat?templateId=${templateId}`);
      assert.equal(response.status, 401);
      assert.equal((await response.json()).error, "Unauthorized");
    });
    await t.step("404 for an unknown template", async () => {
      const response = await fetch(
        `${chat.baseUrl}/chat?templateId=${crypto.randomUUID()}&token=${token}`,
      );
      assert.equal(response.status, 404);
      assert.equal((await response.json()).code, "template_not_found");
    });
    await t.step("426 for a valid request that is not an upgrade", async () => {
      const response = await fetch(`${chat.baseUrl}/chat?templateId=${templateId}&token=${token}`);
      assert.equal(response.status, 426);
      await response.body?.cancel();
    });
    await t.step("404 for unknown paths", async () => {
      const response = await fetch(`${chat.baseUrl}/nope`);
      assert.equal(response.status, 404);
      await response.body?.cancel();
    });
    await t.step("health counts open and active connections", async () => {
      const client = connect({ token, templateId });
      await client.next("next_question");
      const response = await fetch(`${chat.baseUrl}/health`);
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.equal(body.status, "healthy");
      assert.deepEqual(body.connections, { total: 1, active: 1 });
      assert.ok(!Number.isNaN(Date.parse(body.timestamp)));
      assert.equal(body.draining, false);
      await client.close();
    });
    await t.step("the Edge Runtime's paths work too", async () => {
      const response = await fetch(`${chat.baseUrl}/functions/v1/chat/health`);
      assert.equal(response.status, 200);
      await response.body?.cancel();
    });
  });
});

Deno.test("health is 503 unhealthy when the database does not answer", async () => {
  await withChat(async ({ chat }) => {
    const response = await fetch(`${chat.baseUrl}/health`);
    assert.equal(response.status, 503);
    assert.equal((await response.json()).status, "unhealthy");
  }, { SUPABASE_DB_URL: "postgresql://postgres:postgres@127.0.0.1:1/postgres" });
});

Deno.test("a missing or malformed setting stops the process with one line naming it", async (t) => {
  const cases: [string, Record<string, string>, string][] = [
    ["missing", { AI_SERVICE_URL: "" }, "Environment variable AI_SERVICE_URL is missing"],
    ["malformed", { WEBSOCKET_PORT: "http" }, "Environment variable WEBSOCKET_PORT is malformed"],
  ];
  for (const [name, override, expected] of cases) {
    await t.step(name, async () => {
      const env = { ...chatEnv("http://127.0.0.1:9"), ...override };
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", `${ROOT}supabase/functions/chat/index.ts`],
        env,
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(output.code, 1);
      const stderr = new TextDecoder().decode(output.stderr).trim();
      assert.ok(stderr.startsWith(expected), stderr);
      assert.equal(stderr.split("\n").length, 1, "one line");
    });
  }
});
