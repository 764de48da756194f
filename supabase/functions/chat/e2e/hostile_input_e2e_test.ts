// End-to-end hostile input outside the frames: forged and confused tokens (on a server with an
// HS256 secret and on one with a JWKS), seeded garbage tokens and templateIds, bad tokens in
// refresh frames, a user deleted mid-interview, and answers carrying SQL, HTML and Markdown.
import assert from "node:assert/strict";
import * as jose from "jose";
import { withChat } from "../../../../test_support/chat_fixture.ts";
import {
  INJECTIONS as ALL_INJECTIONS,
  randomText,
} from "../../../../test_support/hostile_frames.ts";
import { hasInvisibleCharacter } from "../../_shared/wire/invisible_characters.ts";

// An answer with a bidi override or a zero-width character is refused before it is stored
// (invisible_answer_e2e_test.ts); every other injection is stored and assembled verbatim.
const INJECTIONS = ALL_INJECTIONS.filter((answer) => !hasInvisibleCharacter(answer));
import { createUser, LOCAL_ISSUER, signToken } from "../../../../test_support/local_stack.ts";
import { createPrng, type Prng, seedFromEnv } from "../../../../test_support/prng.ts";
import type { TestClient } from "../../../../test_support/ws_client.ts";

const b64 = (value: unknown) => {
  const bytes = new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes)).replace(/=+$/, "").replace(/\+/g, "-")
    .replace(/\//g, "_");
};

function claimsFor(userId: string, extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    role: "authenticated",
    aud: "authenticated",
    sub: userId,
    iss: LOCAL_ISSUER,
    iat: now,
    exp: now + 3600,
    ...extra,
  };
}

/** A token with any header, signed with nothing. */
function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  return `${b64(header)}.${b64(payload)}.`;
}

function sign(
  payload: Record<string, unknown>,
  alg: string,
  key: CryptoKey | Uint8Array,
  header: Record<string, unknown> = {},
) {
  return new jose.SignJWT(payload).setProtectedHeader({ alg, typ: "JWT", ...header }).sign(key);
}

/** An HS256 token over any header, signed by hand (jose refuses to sign some headers). */
async function hmacToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: Uint8Array,
): Promise<string> {
  const input = `${b64(header)}.${b64(payload)}`;
  const key = await crypto.subtle.importKey(
    "raw",
    secret as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input)),
  );
  return `${input}.${
    btoa(String.fromCharCode(...mac)).replace(/=+$/, "").replace(/\+/g, "-")
      .replace(/\//g, "_")
  }`;
}

/** Seeded garbage: random segments, random JSON headers, odd characters and sizes. */
function garbageToken(prng: Prng): string {
  const segment = () => b64(randomText(prng, prng.between(0, 60)));
  switch (prng.int(6)) {
    case 0:
      return Array.from({ length: prng.between(1, 6) }, segment).join(".");
    case 1:
      return `${
        b64({ alg: prng.pick(["HS256", "none", "RS256", "", null, 1]) })
      }.${segment()}.${segment()}`;
    case 2:
      return randomText(prng, prng.between(1, 200));
    case 3:
      return "a".repeat(prng.between(4_000, 12_000));
    case 4:
      return `${b64({ alg: "HS256", typ: "JWT" })}.${b64("not json")}.${segment()}`;
    default:
      return `Bearer ${segment()}`;
  }
}

async function refusedWith(client: TestClient): Promise<number> {
  const closed = await client.closed;
  assert.equal(client.received.length, 0, "nothing is sent on a refused socket");
  return closed.code;
}

Deno.test("tokens: key confusion, alg variants, claims and seeded garbage are refused with 4500", async (t) => {
  const prng = createPrng(seedFromEnv("hostile tokens"));
  const rsa = await jose.generateKeyPair("RS256", { extractable: true });
  const ec = await jose.generateKeyPair("ES256", { extractable: true });
  const ed = await jose.generateKeyPair("EdDSA", { extractable: true });
  const secret = new TextEncoder().encode(
    "super-secret-jwt-token-with-at-least-32-characters-long",
  );

  await t.step("on a server that holds an HS256 secret", async (t) => {
    await withChat(async ({ sql, newUser, connect, chat }) => {
      const { userId, token, templateId } = await newUser(3);
      const bystander = connect({ token, templateId });
      await bystander.next("next_question");
      const claims = claimsFor(userId);
      const now = Math.floor(Date.now() / 1000);
      const cases: [string, string][] = [
        ["RS256-signed", await sign(claims, "RS256", rsa.privateKey)],
        ["ES256-signed", await sign(claims, "ES256", ec.privateKey)],
        ["EdDSA-signed", await sign(claims, "EdDSA", ed.privateKey)],
        ["HS512 with the right secret", await sign(claims, "HS512", secret)],
        ["HS384 with the right secret", await sign(claims, "HS384", secret)],
        ["alg none", unsigned({ alg: "none", typ: "JWT" }, claims)],
        ["alg None", unsigned({ alg: "None" }, claims)],
        ["alg NONE with a signature", unsigned({ alg: "NONE" }, claims) + "c2ln"],
        ["alg missing", unsigned({ typ: "JWT" }, claims)],
        [
          "an unknown critical header",
          await hmacToken(
            { alg: "HS256", typ: "JWT", crit: ["x-evil"], "x-evil": 1 },
            claims,
            secret,
          ),
        ],
        ["not yet valid", await sign({ ...claims, nbf: now + 3_600 }, "HS256", secret)],
        ["no exp", await sign({ ...claims, exp: undefined }, "HS256", secret)],
        ["exp as a string", await sign({ ...claims, exp: String(now + 3600) }, "HS256", secret)],
        ["role supabase_admin", await signToken(userId, { role: "supabase_admin" })],
        ["role with a space", await signToken(userId, { role: "authenticated " })],
        ["role as an array", await signToken(userId, { claims: { role: ["authenticated"] } })],
        ["no audience", await sign({ ...claims, aud: undefined }, "HS256", secret)],
        [
          "audience list without ours",
          await sign({ ...claims, aud: ["anon", "x"] }, "HS256", secret),
        ],
        ["sub carrying SQL", await signToken("' or 1=1 --")],
        ["sub of nobody", await signToken(crypto.randomUUID())],
        ["sub missing", await sign({ ...claims, sub: undefined }, "HS256", secret)],
      ];
      for (const [name, forged] of cases) {
        await t.step(name, async () => {
          assert.equal(await refusedWith(connect({ token: forged, templateId })), 4500);
        });
      }
      await t.step("60 seeded garbage tokens, in the query and the subprotocol", async () => {
        for (let i = 0; i < 60; i++) {
          const garbage = garbageToken(prng);
          const inProtocol = /^[A-Za-z0-9._-]+$/.test(garbage) && prng.chance(0.5);
          const client = connect({
            token: garbage,
            templateId,
            tokenIn: inProtocol ? "protocol" : "query",
          });
          assert.equal(
            await refusedWith(client),
            4500,
            `garbage ${JSON.stringify(garbage.slice(0, 60))}`,
          );
        }
      });
      await t.step("a hand-signed token without the critical header is accepted", async () => {
        const other = await createUser(sql);
        const handMade = await hmacToken({ alg: "HS256", typ: "JWT" }, claimsFor(other), secret);
        const client = connect({ token: handMade, templateId });
        assert.equal((await client.next("next_question")).question.id, "q1");
        await client.close();
      });
      await t.step("an audience list holding ours is accepted", async () => {
        const other = await createUser(sql);
        const listed = await sign(
          { ...claimsFor(other), aud: ["x", "authenticated"] },
          "HS256",
          secret,
        );
        const client = connect({ token: listed, templateId });
        assert.equal((await client.next("next_question")).question.id, "q1");
        await client.close();
      });
      await t.step("the bystander was served throughout", async () => {
        bystander.send({ type: "user_message", content: "still here" });
        assert.equal((await bystander.next("next_question")).question.id, "q2");
        const [{ count }] = await sql`select count(*)::int from chat_sessions s
          where not exists (select 1 from auth.users u where u.id = s.user_id)` as unknown as [
          { count: number },
        ];
        assert.equal(count, 0);
        const logs = chat.logs.join("\n");
        assert.match(logs, /"reason":"algorithm_not_allowed"/);
        assert.match(logs, /"reason":"not_yet_valid"/);
        for (const [, forged] of cases) {
          assert.ok(!logs.includes(forged), "tokens are never logged");
        }
      });
    });
  });

  await t.step("on a server that holds a JWKS (asymmetric keys)", async (t) => {
    const publicJwk = {
      ...await jose.exportJWK(ec.publicKey),
      kid: "k1",
      alg: "ES256",
      use: "sig",
    };
    const pem = await jose.exportSPKI(ec.publicKey);
    const attacker = await jose.generateKeyPair("ES256", { extractable: true });
    await withChat(async ({ sql, connect, newUser }) => {
      const { templateId } = await newUser(2);
      const userId = await createUser(sql);
      const claims = claimsFor(userId);
      await t.step("a token signed with the JWKS key is accepted", async () => {
        const good = await sign(claims, "ES256", ec.privateKey, { kid: "k1" });
        const client = connect({ token: good, templateId });
        assert.equal((await client.next("next_question")).question.id, "q1");
        await client.close();
      });
      const cases: [string, string][] = [
        [
          "HS256 signed with the public JWK's bytes",
          await sign(claims, "HS256", new TextEncoder().encode(JSON.stringify(publicJwk)), {
            kid: "k1",
          }),
        ],
        [
          "HS256 signed with the public PEM's bytes",
          await sign(claims, "HS256", new TextEncoder().encode(pem), { kid: "k1" }),
        ],
        [
          "HS256 signed with the project's old secret",
          await sign(claims, "HS256", secret, { kid: "k1" }),
        ],
        ["alg none with the right kid", unsigned({ alg: "none", kid: "k1" }, claims)],
        [
          "RS256 from another key with the right kid",
          await sign(claims, "RS256", rsa.privateKey, { kid: "k1" }),
        ],
        [
          "ES256 from another key with the right kid",
          await sign(claims, "ES256", attacker.privateKey, { kid: "k1" }),
        ],
        [
          "ES256 carrying its own key in the header",
          await sign(claims, "ES256", attacker.privateKey, {
            jwk: await jose.exportJWK(attacker.publicKey),
          }),
        ],
        ["an unknown kid", await sign(claims, "ES256", ec.privateKey, { kid: "k2" })],
        [
          "expired",
          await sign(
            { ...claims, exp: Math.floor(Date.now() / 1000) - 600 },
            "ES256",
            ec.privateKey,
            { kid: "k1" },
          ),
        ],
      ];
      for (const [name, forged] of cases) {
        await t.step(name, async () => {
          const code = await refusedWith(connect({ token: forged, templateId }));
          assert.equal(code, name === "expired" ? 4001 : 4500);
        });
      }
    }, {
      JWT_SECRET: "",
      SUPABASE_JWKS: JSON.stringify({ keys: [publicJwk] }),
    });
  });
});

Deno.test("bad tokens in refresh frames close with 4500 and store nothing", async (t) => {
  await withChat(async ({ newUser, connect, history }) => {
    const { userId, token, templateId } = await newUser(3);
    const other = await newUser(1);
    const rsa = await jose.generateKeyPair("RS256");
    const cases: [string, string][] = [
      ["another user's token", other.token],
      ["an expired token", await signToken(userId, { expiresIn: "-1m" })],
      ["an RS256 token", await sign(claimsFor(userId), "RS256", rsa.privateKey)],
      ["alg none", unsigned({ alg: "none" }, claimsFor(userId))],
      ["the service role", await signToken(userId, { role: "service_role" })],
    ];
    let sessionId = "";
    for (const [name, bad] of cases) {
      await t.step(name, async () => {
        const client = connect({ token, templateId });
        sessionId = (await client.next("next_question")).sessionId;
        const before = await history(sessionId);
        client.send({ type: "refresh_token", token: bad });
        client.send({ type: "user_message", content: "after a bad refresh" });
        assert.deepEqual(await client.closed, { code: 4500, reason: "unauthorized" });
        assert.deepEqual(await history(sessionId), before, "the answer behind it was not taken");
      });
    }
    await t.step("a good one is still accepted", async () => {
      const client = connect({ token, templateId });
      await client.next("next_question");
      client.send({ type: "refresh_token", token: await signToken(userId, { expiresIn: "2h" }) });
      assert.equal((await client.next("token_refreshed")).type, "token_refreshed");
    });
  });
});

Deno.test("a user deleted mid-interview is closed with 4500, and so are their reconnects", async () => {
  await withChat(async ({ sql, newUser, connect }) => {
    const { userId, token, templateId } = await newUser(3);
    const client = connect({ token, templateId });
    await client.next("next_question");
    client.send({ type: "user_message", content: "Alpha" });
    await client.next("next_question");
    await sql`delete from auth.users where id = ${userId}`;
    client.send({ type: "user_message", content: "Beta" });
    assert.deepEqual(await client.closed, { code: 4500, reason: "unauthorized" });
    const again = connect({ token, templateId });
    assert.equal((await again.closed).code, 4500);
    const [{ count }] = await sql`select count(*)::int from chat_sessions
      where user_id = ${userId}` as unknown as [{ count: number }];
    assert.equal(count, 0, "their sessions went with them");
  });
});

Deno.test("templateIds that are not UUIDs or carry SQL are refused with 4504", async () => {
  const prng = createPrng(seedFromEnv("hostile templateIds"));
  await withChat(async ({ sql, newUser, connect }) => {
    const { token, templateId } = await newUser(2);
    const before = await sql`select count(*)::int as n from chat_sessions`;
    const ids = [
      `${templateId}' or '1'='1`,
      `${templateId}; drop table chat_sessions; --`,
      `'; select pg_sleep(5); --`,
      `{${templateId}}`,
      templateId.replaceAll("-", ""),
      `${templateId} `,
      ` ${templateId}`,
      `${templateId}\u0000`,
      templateId.replace(/[0-9a-f]$/, "g"),
      "00000000-0000-0000-0000-000000000000",
      "x".repeat(10_000),
      ...Array.from({ length: 30 }, () => randomText(prng, prng.between(0, 80))),
    ];
    for (const id of ids) {
      const client = connect({ token, templateId: id });
      assert.equal(
        await refusedWith(client),
        4504,
        `templateId ${JSON.stringify(id.slice(0, 60))}`,
      );
    }
    const after = await sql`select count(*)::int as n from chat_sessions`;
    assert.deepEqual(after, before, "no session was opened or dropped");
    const upper = connect({ token, templateId: templateId.toUpperCase() });
    assert.equal(
      (await upper.next("next_question")).question.id,
      "q1",
      "an upper-case UUID is one",
    );
  });
});

Deno.test("answers carrying SQL, HTML and Markdown are stored and assembled verbatim", async () => {
  await withChat(async ({ sql, ai, newUser, connect, history }) => {
    const { userId, token, templateId } = await newUser(INJECTIONS.length);
    const users = await sql`select count(*)::int as n from auth.users`;
    let client = connect({ token, templateId });
    const first = await client.next("next_question");
    for (const [i, answer] of INJECTIONS.entries()) {
      client.send({ type: "user_message", content: answer, clientMessageId: `inj-${i}` });
      if (i === INJECTIONS.length - 1) break;
      await client.next("next_question");
      if (i === 5) {
        await client.close(); // and a resume hands the same text back
        const back = connect({ token, templateId });
        const resumed = await back.next("session_resumed");
        assert.deepEqual(
          resumed.history.filter((turn: { role: string }) => turn.role === "user").map((
            turn: { content: string },
          ) => turn.content),
          INJECTIONS.slice(0, 6),
        );
        await back.next("next_question");
        client = back;
      }
    }
    const done = await client.next("session_complete");
    const turns = await history(first.sessionId);
    assert.deepEqual(
      turns.filter((turn) => turn.role === "user").map((turn) => turn.content),
      INJECTIONS,
      "stored exactly as typed",
    );
    const [document] =
      await sql`select content, title from generated_documents where id = ${done.documentId}`;
    assert.equal(
      document?.content,
      INJECTIONS.map((answer, i) => `q${i + 1}: ${answer}`).join("\n"),
      "the document holds the answers verbatim",
    );
    const lastRequest = ai.requests.at(-1)!;
    assert.deepEqual(
      lastRequest.history.filter((turn) => turn.role === "user").map((turn) => turn.content),
      INJECTIONS,
      "the AI service received them verbatim",
    );
    assert.deepEqual(
      await sql`select count(*)::int as n from auth.users`,
      users,
      "no user deleted",
    );
    const [tables] = await sql`select to_regclass('public.chat_sessions') is not null as ok`;
    assert.equal(tables?.ok, true, "no table dropped");
    const [session] = await sql`select user_id from chat_sessions where id = ${first.sessionId}`;
    assert.equal(session?.user_id, userId);
  });
});
