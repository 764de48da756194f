// End-to-end on the recommended deployment: two chat processes whose database login role is a
// NOINHERIT member of `authenticated` and nothing else. A's connections start as `authenticated`
// (prepared statements, as on the direct connection); B switches to it for each call (as behind
// the transaction pooler). The role's own privileges never matter; LISTEN needs none.
import assert from "node:assert/strict";
import { startFakeAiService } from "../../../../test_support/fake_ai_service.ts";
import {
  adminSql,
  chatEnv,
  type FunctionProcess,
  newUserOnTemplate,
  startFunction,
  storedHistory,
  withLeastPrivilegeRole,
  withPoolerLogin,
} from "../../../../test_support/local_stack.ts";
import { connect, type TestClient } from "../../../../test_support/ws_client.ts";

/** Test clients opened on the chat processes, all closed at the end. */
function clientPool() {
  const clients: TestClient[] = [];
  return {
    open(instance: FunctionProcess, params: Parameters<typeof connect>[1]): TestClient {
      const client = connect(instance.baseUrl, params);
      clients.push(client);
      return client;
    },
    closeAll: () => Promise.all(clients.map((client) => client.close())),
  };
}

/** A user answers q1 of a two-question interview on A, then opens it on B, which resumes it. */
async function answerOnAThenOpenOnB(
  admin: ReturnType<typeof adminSql>,
  open: ReturnType<typeof clientPool>["open"],
  a: FunctionProcess,
  b: FunctionProcess,
) {
  const { token, templateId } = await newUserOnTemplate(admin, 2);
  const onA = open(a, { token, templateId });
  const q1 = await onA.next("next_question");
  onA.send({ type: "user_message", content: "Alpha", questionId: "q1" });
  await onA.next("next_question");
  const onB = open(b, { token, templateId });
  assert.equal((await onB.next("session_resumed")).sessionId, q1.sessionId);
  return { onA, onB, q1 };
}

Deno.test("the chat runs on a NOINHERIT login role that is only a member of authenticated", async (t) => {
  const admin = adminSql();
  const ai = startFakeAiService();
  const { open, closeAll } = clientPool();
  try {
    await withLeastPrivilegeRole(admin, async (url, role) => {
      const [privileges] = await admin`
        select r.rolinherit, r.rolsuper, r.rolbypassrls, r.rolcreaterole,
          array(select g.rolname::text from pg_auth_members m join pg_roles g on g.oid = m.roleid
            where m.member = r.oid) as member_of
        from pg_roles r where r.rolname = ${role}`;
      assert.deepEqual({ ...privileges }, {
        rolinherit: false,
        rolsuper: false,
        rolbypassrls: false,
        rolcreaterole: false,
        member_of: ["authenticated"],
      });
      await assert.rejects(
        (async () => {
          const direct = adminSql(url);
          try {
            await direct`select count(*) from public.chat_sessions`;
          } finally {
            await direct.end();
          }
        })(),
        { code: "42501" },
        "the login role alone reads nothing",
      );

      // Connections of earlier tests' pools (PgBouncer keeps its idle ones a while) started before.
      const [started] = await admin`select clock_timestamp() as since`;
      // A gets the role as SUPABASE_DB_URL; B as on a hosted project, where the platform's
      // SUPABASE_DB_URL stays and CHAT_DB_URL names the role, with unprepared statements as
      // behind Supabase's transaction pooler.
      const a = await startFunction("chat", chatEnv(ai.url, { SUPABASE_DB_URL: url }));
      const b = await startFunction(
        "chat",
        chatEnv(ai.url, { CHAT_DB_URL: url, DB_PREPARE: "false" }),
      );
      try {
        await t.step("the health check passes", async () => {
          for (const instance of [a, b]) {
            const response = await fetch(`${instance.baseUrl}/health`);
            assert.equal(response.status, 200);
            assert.equal((await response.json()).status, "healthy");
          }
        });

        await t.step("an interview runs to completion and stores the document", async () => {
          const { userId, token, templateId } = await newUserOnTemplate(admin, 2);
          const client = open(a, { token, templateId });
          const q1 = await client.next("next_question");
          client.send({ type: "user_message", content: "Alpha", questionId: "q1" });
          assert.equal((await client.next("next_question")).question.id, "q2");
          client.send({ type: "user_message", content: "Beta", questionId: "q2" });
          const done = await client.next("session_complete");
          assert.deepEqual(await client.closed, { code: 1000, reason: "interview complete" });
          const [document] = await admin`
            select user_id, session_id, content from public.generated_documents
            where id = ${done.documentId}`;
          assert.deepEqual({ ...document }, {
            user_id: userId,
            session_id: q1.sessionId,
            content: "q1: Alpha\nq2: Beta",
          });
          // The session hint of a completed session is read under RLS too.
          const again = open(a, { token, templateId, sessionId: q1.sessionId });
          assert.equal((await again.next("session_complete")).documentId, done.documentId);
          assert.equal((await again.closed).code, 1000);
        });

        await t.step("a dropped connection resumes with the exact history", async () => {
          const { token, templateId } = await newUserOnTemplate(admin, 3);
          const first = open(a, { token, templateId });
          const q1 = await first.next("next_question");
          first.send({ type: "user_message", content: "Alpha" });
          await first.next("next_question");
          first.socket.close();
          await first.closed;
          const second = open(a, { token, templateId, sessionId: q1.sessionId });
          const resumed = await second.next("session_resumed");
          assert.equal(resumed.sessionId, q1.sessionId);
          assert.deepEqual(resumed.history, await storedHistory(admin, q1.sessionId));
          assert.equal((await second.next("next_question")).question.id, "q2");
        });

        await t.step("a newer connection on B supersedes A, and B completes", async () => {
          const { onA, onB, q1 } = await answerOnAThenOpenOnB(admin, open, a, b);
          // Only the NOTIFY that B's open_session sent can close A's socket this way.
          assert.deepEqual(await onA.closed, {
            code: 4509,
            reason: "superseded by a newer connection",
          });
          assert.equal((await onB.next("next_question")).question.id, "q2");
          onB.send({ type: "user_message", content: "Beta", questionId: "q2" });
          const done = await onB.next("session_complete");
          assert.equal((await onB.closed).code, 1000);
          const [session] = await admin`
            select s.is_complete, d.id as document_id from public.chat_sessions s
            join public.generated_documents d on d.session_id = s.id where s.id = ${q1.sessionId}`;
          assert.deepEqual({ ...session }, { is_complete: true, document_id: done.documentId });
        });

        await t.step("the processes connect as the login role", async () => {
          const rows = await admin`
            select distinct usename::text from pg_stat_activity
            where application_name = 'guided-document-chat' and usename is not null
              and backend_start >= ${started!.since}`;
          assert.deepEqual(
            rows.map((row) => row.usename),
            [role],
            "the chat connected as the role",
          );
        });
      } finally {
        await closeAll();
        await Promise.all([a.stop(), b.stop()]);
      }
    });
  } finally {
    await ai.close();
    await admin.end();
  }
});

Deno.test("behind the transaction pooler the role runs the chat, and the poll needs its one grant", async (t) => {
  const admin = adminSql();
  const ai = startFakeAiService();
  const { open, closeAll } = clientPool();
  const logged = async (instance: FunctionProcess, pattern: RegExp) => {
    for (let i = 0; i < 100 && !pattern.test(instance.logs.join("\n")); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.match(instance.logs.join("\n"), pattern);
  };
  const healthyWithin = async (instance: FunctionProcess, ms: number) => {
    let last = 0;
    for (const deadline = Date.now() + ms; Date.now() < deadline;) {
      const response = await fetch(`${instance.baseUrl}/health`);
      await response.body?.cancel();
      last = response.status;
      if (last === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(last, 200, "healthy once the role has the poll's grant");
  };
  try {
    await withLeastPrivilegeRole(admin, async (_url, role, password) => {
      await withPoolerLogin(admin, role, password, async (poolerUrl) => {
        // As on a hosted project: CHAT_DB_URL names the role on the transaction pooler, with
        // unprepared statements; without LISTEN the chat supersedes by the poll.
        const env = { CHAT_DB_URL: poolerUrl, DB_PREPARE: "false", SUPERSEDE_POLL_MS: "100" };
        const a = await startFunction("chat", chatEnv(ai.url, env));
        const b = await startFunction("chat", chatEnv(ai.url, env));
        try {
          await t.step("without the grant: unhealthy naming it, the poll unavailable", async () => {
            for (const instance of [a, b]) {
              const response = await fetch(`${instance.baseUrl}/health`);
              const body = await response.json();
              assert.equal(response.status, 503, JSON.stringify(body));
              assert.equal(body.status, "unhealthy");
              assert.match(
                body.database.missing.join("\n"),
                /cannot execute chat_internal\.superseded_connections\(uuid\[\], uuid\[\]\)/,
              );
              await logged(
                instance,
                /"event":"connection_signal_unavailable"[^\n]*permission denied for schema chat_internal/,
              );
            }
          });

          await t.step("an interview runs to completion through the pooler", async () => {
            const { token, templateId } = await newUserOnTemplate(admin, 2);
            const client = open(a, { token, templateId });
            await client.next("next_question");
            client.send({ type: "user_message", content: "Alpha", questionId: "q1" });
            await client.next("next_question");
            client.send({ type: "user_message", content: "Beta", questionId: "q2" });
            const done = await client.next("session_complete");
            assert.equal((await client.closed).code, 1000);
            const [document] = await admin`
              select content from public.generated_documents where id = ${done.documentId}`;
            assert.equal(document?.content, "q1: Alpha\nq2: Beta");
          });

          // The grant docs/database.md gives for such a role behind the transaction pooler.
          await admin.unsafe(`grant usage on schema chat_internal to ${role};
            grant execute on function chat_internal.superseded_connections(uuid[], uuid[])
              to ${role}`);
          await t.step("with it, the poll starts on its next try", async () => {
            for (const instance of [a, b]) {
              await logged(instance, /"event":"connection_signal_ready"[^\n]*"kind":"poll"/);
              // /health asks again once its cached answer (5 s) is out of date.
              await healthyWithin(instance, 15_000);
            }
          });

          await t.step("a newer connection on B supersedes A by the poll", async () => {
            const { onA, onB } = await answerOnAThenOpenOnB(admin, open, a, b);
            assert.deepEqual(await onA.closed, {
              code: 4509,
              reason: "superseded by a newer connection",
            });
            assert.match(a.logs.join("\n"), /"event":"connection_superseded"[^\n]*"by":"poll"/);
            assert.equal((await onB.next("next_question")).question.id, "q2");
            onB.send({ type: "user_message", content: "Beta", questionId: "q2" });
            await onB.next("session_complete");
            assert.equal((await onB.closed).code, 1000);
          });
        } finally {
          await closeAll();
          await Promise.all([a.stop(), b.stop()]);
          await admin.unsafe(`revoke all on function
              chat_internal.superseded_connections(uuid[], uuid[]) from ${role};
            revoke usage on schema chat_internal from ${role}`);
        }
      });
    });
  } finally {
    await ai.close();
    await admin.end();
  }
});
