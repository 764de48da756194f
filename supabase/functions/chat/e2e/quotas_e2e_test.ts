// End-to-end over real sockets: a user past each quota (docs/database.md#quotas) gets the specific
// error, and nothing else happens; another user is served as before. The quotas stay at their
// defaults: the test fills the user's counts as a script would have, in the database.
import assert from "node:assert/strict";
import { withChat } from "../../../../test_support/chat_fixture.ts";
import { createTemplate } from "../../../../test_support/local_stack.ts";

Deno.test("a user who started 10 sessions this minute is refused the 11th, then closed 4529", async () => {
  await withChat(async ({ sql, newUser, connect }) => {
    const { userId, token, templateId } = await newUser(2);
    // An interview of the user's in progress, then ten sessions started in this minute.
    const resumable = await createTemplate(sql, 2);
    const at = new Date().toISOString();
    await sql`insert into public.chat_sessions (user_id, template_id, history, turn_count)
      values (${userId}, ${resumable}, ${
      sql.json([{ role: "assistant", content: "Question 1?", questionId: "q1", at, source: "ai" }])
    }, 1)`;
    await sql`insert into chat_internal.session_start_windows
      (user_id, window_started_at, sessions_started)
      values (${userId}, now() - interval '20 seconds', 10)`;

    const refused = connect({ token, templateId });
    const error = await refused.next("error");
    assert.equal(error.code, "quota_exceeded");
    assert.match(
      error.message,
      /^You started 10 interviews within a minute, the most allowed: try again in \d+ seconds$/,
    );
    assert.equal(error.retryable, true);
    assert.ok(error.retryAfterSeconds >= 1 && error.retryAfterSeconds <= 40, error.message);
    assert.ok(error.message.endsWith(`in ${error.retryAfterSeconds} seconds`));
    assert.deepEqual(await refused.closed, { code: 4529, reason: "quota exceeded" });
    assert.deepEqual(refused.received.map((message) => message.type), ["error"]);
    const [opened] = await sql`select count(*)::int as n from chat_sessions
      where user_id = ${userId} and template_id = ${templateId}`;
    assert.equal(opened!.n, 0, "no session was created");

    // Resuming is never refused: the interview in progress comes back.
    const resumed = connect({ token, templateId: resumable });
    assert.equal((await resumed.next("session_resumed")).history.length, 1);
    assert.equal((await resumed.next("next_question")).question.id, "q1");

    const other = await newUser(2);
    const served = connect({ token: other.token, templateId: other.templateId });
    assert.equal((await served.next("next_question")).question.id, "q1");
  });
});

Deno.test("a user with 20 interviews in progress is refused a 21st, with no wait", async () => {
  await withChat(async ({ sql, newUser, connect }) => {
    const { userId, token, templateId } = await newUser(2);
    for (let i = 0; i < 20; i++) {
      const template = await createTemplate(sql, 2);
      await sql`insert into public.chat_sessions (user_id, template_id)
        values (${userId}, ${template})`;
    }
    const refused = connect({ token, templateId });
    assert.deepEqual(await refused.next("error"), {
      type: "error",
      code: "quota_exceeded",
      message: "You have 20 interviews in progress, the most allowed at once: finish one, or " +
        "restart one to replace it, before starting another",
      retryable: false,
    });
    assert.equal((await refused.closed).code, 4529);

    const other = await newUser(2);
    const served = connect({ token: other.token, templateId: other.templateId });
    assert.equal((await served.next("next_question")).question.id, "q1");
  });
});

Deno.test("a user with 50 documents today gets quota_exceeded on the 51st; answers kept", async () => {
  await withChat(async ({ sql, newUser, connect, history }) => {
    const { userId, token, templateId } = await newUser(1);
    await sql`insert into public.generated_documents (user_id, template_id, title, content)
      select ${userId}, ${templateId}, 'Earlier ' || n, 'Text' from generate_series(1, 50) n`;
    await sql`update public.generated_documents set created_at = now() - interval '3 hours'
      where user_id = ${userId}`;

    const client = connect({ token, templateId });
    const question = await client.next("next_question");
    client.send({ type: "user_message", content: "Acme", questionId: "q1" });
    const error = await client.next("error");
    assert.equal(error.code, "quota_exceeded");
    assert.match(
      error.message,
      /^You finished 50 documents in the last 24 hours, the most allowed: try again in 2[01] h \d+ min\. Your answers are kept$/,
    );
    assert.equal(error.retryable, true);
    assert.ok(Math.abs(error.retryAfterSeconds - 21 * 3600) <= 60, String(error.retryAfterSeconds));

    // The socket stays open, the session stays open with the answer, no document was added.
    client.send({ type: "ping", id: "p1" });
    assert.deepEqual(await client.next("pong"), { type: "pong", id: "p1" });
    const [session] = await sql`select is_complete from chat_sessions
      where id = ${question.sessionId}`;
    assert.equal(session!.is_complete, false);
    assert.deepEqual(
      (await history(question.sessionId)).map((turn) => [turn.role, turn.content]),
      [["assistant", "Question 1?"], ["user", "Acme"]],
    );
    const [documents] = await sql`select count(*)::int as n from generated_documents
      where user_id = ${userId}`;
    assert.equal(documents!.n, 50);

    // Once the oldest of them is a day old, a retry finishes the document.
    await sql`update public.generated_documents set created_at = now() - interval '25 hours'
      where user_id = ${userId}`;
    client.send({ type: "retry" });
    assert.equal((await client.next("session_complete")).sessionId, question.sessionId);

    const other = await newUser(1);
    const served = connect({ token: other.token, templateId: other.templateId });
    await served.next("next_question");
    served.send({ type: "user_message", content: "Globex" });
    await served.next("session_complete");
  });
});
