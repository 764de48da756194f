// The handshake without a server: a Request in, a verdict out, against the real local database
// and the real token verifier.
import assert from "node:assert/strict";
import { createUserDatabase } from "../../_shared/platform/user_database.ts";
import { createTokenVerifier } from "../../_shared/platform/token_verifier.ts";
import { createPostgresSessionStore } from "../adapters/postgres_session_store.ts";
import {
  adminSql,
  DB_URL,
  JWT_SECRET,
  newUserOnTemplate,
  signToken,
} from "../../../../test_support/local_stack.ts";
import { handshake, type HandshakeDeps, type Verdict } from "./handshake.ts";

const BASE = "http://chat.test/functions/v1/chat";

function chatRequest(
  params: Record<string, string>,
  options: { upgrade?: boolean; protocols?: string[] } = {},
): Request {
  const headers = new Headers();
  if (options.upgrade ?? true) {
    headers.set("upgrade", "websocket");
    headers.set("connection", "Upgrade");
  }
  if (options.protocols) headers.set("sec-websocket-protocol", options.protocols.join(", "));
  return new Request(`${BASE}?${new URLSearchParams(params)}`, { headers });
}

function logRecorder() {
  const lines: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (event: string, fields: Record<string, unknown> = {}) =>
    lines.push({ level, event, fields });
  return {
    lines,
    log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") },
  };
}

Deno.test("handshake", async (t) => {
  const admin = adminSql();
  const database = createUserDatabase(DB_URL, { max: 2, prepare: true, statementTimeoutMs: 5_000 });
  const sql = database.sql;
  const store = createPostgresSessionStore(database);
  const verifier = createTokenVerifier({ secret: JWT_SECRET, audience: "authenticated" });
  const recorder = logRecorder();
  const deps: HandshakeDeps = { verifier, store, log: recorder.log, draining: false };
  try {
    const { userId, token, templateId } = await newUserOnTemplate(admin, 1);
    const refused = (code: number, reason: string, protocol?: string): Verdict => ({
      kind: "refuse",
      ...(protocol ? { protocol } : {}),
      code,
      reason,
    });

    await t.step(
      "a good token and template are accepted with the identity and template",
      async () => {
        const verdict = await handshake(chatRequest({ token, templateId }), deps);
        assert.equal(verdict.kind, "accept");
        if (verdict.kind !== "accept") return;
        assert.equal(verdict.identity.userId, userId);
        assert.equal(verdict.template.id, templateId);
        assert.equal(verdict.restart, false);
        assert.equal(verdict.protocol, undefined, "no subprotocol offered, none echoed");
      },
    );

    await t.step("the token in a subprotocol, chat.v1 echoed, restart=1 read", async () => {
      const verdict = await handshake(
        chatRequest({ templateId, restart: "1" }, { protocols: ["chat.v1", `jwt-${token}`] }),
        deps,
      );
      assert.equal(verdict.kind, "accept");
      assert.equal(verdict.protocol, "chat.v1");
      assert.equal(verdict.kind === "accept" && verdict.restart, true);
    });

    await t.step("bad tokens close with 4500, an expired one with 4001", async () => {
      const expired = await signToken(userId, { expiresIn: "-5m" });
      assert.deepEqual(
        await handshake(chatRequest({ templateId }), deps),
        refused(4500, "unauthorized"),
      );
      assert.deepEqual(
        await handshake(chatRequest({ token: "garbage", templateId }), deps),
        refused(4500, "unauthorized"),
      );
      assert.deepEqual(
        await handshake(chatRequest({ token: expired, templateId }), deps),
        refused(4001, "token expired"),
      );
      assert.ok(
        recorder.lines.some((l) => l.event === "auth_failed" && l.fields.reason === "expired"),
      );
    });

    await t.step("a malformed or unknown template closes with 4504", async () => {
      for (const id of ["", "not-a-uuid", crypto.randomUUID()]) {
        assert.deepEqual(
          await handshake(chatRequest({ token, templateId: id }), deps),
          refused(4504, "template not found"),
        );
      }
    });

    await t.step("a malformed session hint closes with 4522, with chat.v1 echoed", async () => {
      assert.deepEqual(
        await handshake(
          chatRequest({ templateId, sessionId: "nope" }, {
            protocols: ["chat.v1", `jwt-${token}`],
          }),
          deps,
        ),
        refused(4522, "invalid sessionId", "chat.v1"),
      );
    });

    await t.step("a hint naming an incomplete or foreign session is ignored", async () => {
      const verdict = await handshake(
        chatRequest({ token, templateId, sessionId: crypto.randomUUID() }),
        deps,
      );
      assert.equal(verdict.kind, "accept");
      assert.ok(
        recorder.lines.some((l) =>
          l.event === "session_hint_ignored" && l.fields.reason === "not_found"
        ),
      );
    });

    await t.step("a hint naming the caller's completed session reports its document", async () => {
      // A whole interview through the chat's own store, as the chat would run it.
      const claims = { sub: userId, role: "authenticated", aud: "authenticated" };
      const connectionId = crypto.randomUUID();
      const opened = await store.openSession(claims, templateId, connectionId, true);
      const at = new Date().toISOString();
      const fence = { sessionId: opened.sessionId, connectionId, expectedTurnCount: 0 };
      const turns = [
        { role: "assistant" as const, content: "Q?", questionId: "q1", at },
        { role: "user" as const, content: "A", questionId: "q1", at },
      ];
      const count = await store.appendTurns(claims, fence, turns);
      const documentId = await store.completeSession(
        claims,
        { ...fence, expectedTurnCount: count },
        { document: { title: "T", content: "Body", format: "markdown" } },
      );
      const session = { id: opened.sessionId };
      const document = { id: documentId };
      const verdict = await handshake(
        chatRequest({ token, templateId, sessionId: session!.id }),
        deps,
      );
      assert.deepEqual(verdict, {
        kind: "report_complete",
        sessionId: session!.id,
        documentId: document!.id,
      });
      const other = await newUserOnTemplate(admin, 1);
      const foreign = await handshake(
        chatRequest({ token: other.token, templateId, sessionId: session!.id }),
        deps,
      );
      assert.equal(foreign.kind, "accept", "another user's completed session is not theirs");
      const restarting = await handshake(
        chatRequest({ token, templateId, sessionId: session!.id, restart: "1" }),
        deps,
      );
      assert.equal(restarting.kind, "accept", "restart=1 starts over whatever the hint");
      assert.ok(restarting.kind === "accept" && restarting.sessionHint === undefined);
    });

    await t.step("which draft: draft=new, a named one, or refused", async () => {
      const fresh = await handshake(chatRequest({ token, templateId, draft: "new" }), deps);
      assert.ok(fresh.kind === "accept" && fresh.newDraft && fresh.sessionHint === undefined);
      const named = crypto.randomUUID();
      const continued = await handshake(chatRequest({ token, templateId, sessionId: named }), deps);
      assert.ok(continued.kind === "accept" && continued.sessionHint === named);
      assert.equal(continued.newDraft, false);
      const both = await handshake(
        chatRequest({ token, templateId, sessionId: named, draft: "new" }),
        deps,
      );
      assert.ok(both.kind === "accept" && !both.newDraft, "a named draft wins over a new one");
      assert.deepEqual(
        await handshake(chatRequest({ token, templateId, draft: "old" }), deps),
        refused(4522, "invalid draft"),
      );
      const plain = await handshake(
        chatRequest({ token, templateId, draft: "x" }, { upgrade: false }),
        deps,
      );
      assert.ok(
        plain.kind === "reply" && plain.status === 400 && plain.body.code === "invalid_draft",
      );
    });

    await t.step(
      "a reconnect's generation: malformed 4522, older than a newer tab's 4509",
      async () => {
        for (const generation of ["0", "07", "-3", "1e3", "9".repeat(19)]) {
          assert.deepEqual(
            await handshake(chatRequest({ token, templateId, generation }), deps),
            refused(4522, "invalid generation"),
            generation,
          );
        }
        const claims = { sub: userId, role: "authenticated", aud: "authenticated" };
        const older = await store.openSession(claims, templateId, crypto.randomUUID(), false);
        const newer = await store.openSession(claims, templateId, crypto.randomUUID(), false);
        assert.deepEqual(
          await handshake(
            chatRequest({ token, templateId, generation: String(older.generation) }),
            deps,
          ),
          refused(4509, "superseded by a newer connection"),
        );
        assert.ok(recorder.lines.some((l) => l.event === "reconnect_superseded"));
        const current = await handshake(
          chatRequest({ token, templateId, generation: String(newer.generation) }),
          deps,
        );
        assert.equal(current.kind, "accept");
        assert.equal(current.kind === "accept" && current.heldGeneration, newer.generation);
        const takeOver = await handshake(chatRequest({ token, templateId }), deps);
        assert.equal(takeOver.kind === "accept" && takeOver.heldGeneration, undefined);
      },
    );

    await t.step("tz: a zone the runtime knows is kept, any other is UTC (none)", async () => {
      const known = await handshake(chatRequest({ token, templateId, tz: "Asia/Tokyo" }), deps);
      assert.equal(known.kind === "accept" && known.timeZone, "Asia/Tokyo");
      for (const tz of ["Atlantis/Capital", "", "x".repeat(80)]) {
        const unknown = await handshake(chatRequest({ token, templateId, tz }), deps);
        assert.equal(unknown.kind, "accept", tz);
        assert.equal(unknown.kind === "accept" && unknown.timeZone, undefined, tz);
      }
    });

    await t.step("plain HTTP gets JSON answers instead of close codes", async () => {
      const plain = { upgrade: false };
      assert.deepEqual(await handshake(chatRequest({ templateId }, plain), deps), {
        kind: "reply",
        status: 401,
        body: { error: "Unauthorized", code: "missing" },
      });
      assert.deepEqual(
        await handshake(chatRequest({ token, templateId: "x" }, plain), deps),
        {
          kind: "reply",
          status: 404,
          body: { error: "Template not found", code: "template_not_found" },
        },
      );
      assert.deepEqual(
        await handshake(chatRequest({ token, templateId, sessionId: "x" }, plain), deps),
        {
          kind: "reply",
          status: 400,
          body: { error: "Invalid sessionId", code: "invalid_session_id" },
        },
      );
      assert.deepEqual(await handshake(chatRequest({ token, templateId }, plain), deps), {
        kind: "reply",
        status: 426,
        body: { error: "Connect with a WebSocket upgrade", code: "upgrade_required" },
      });
    });

    await t.step("while draining, upgrades close with 1012 before the token is read", async () => {
      assert.deepEqual(
        await handshake(chatRequest({ templateId }), { ...deps, draining: true }),
        refused(1012, "server restarting"),
      );
    });

    await t.step("a database that fails the template look-up closes with 1011", async () => {
      const broken = createUserDatabase("postgresql://postgres:postgres@127.0.0.1:1/postgres", {
        max: 1,
        prepare: false,
        statementTimeoutMs: 5_000,
      });
      try {
        const verdict = await handshake(chatRequest({ token, templateId }), {
          ...deps,
          store: createPostgresSessionStore(broken),
        });
        assert.deepEqual(verdict, refused(1011, "internal error"));
      } finally {
        await broken.sql.end();
      }
    });
  } finally {
    await sql.end();
    await admin.end();
  }
});
