// End-to-end: several drafts of one template per user (issue 27), over real sockets. `draft=new`
// starts one beside the open ones; `sessionId` naming an open draft continues that one; with no
// hint the draft touched last is resumed (the seed's rule); a hint that names no open draft gets
// what no hint would; `draft` takes only "new".
import assert from "node:assert/strict";
import { nda, nextOf, withInterviewerChat } from "../../../../test_support/v2_fixture.ts";
import type { TestClient } from "../../../../test_support/ws_client.ts";

/** The session the connection got and the question it was asked, from its first frames. */
async function opened(client: TestClient) {
  const question = await nextOf(client, ["next_question", "session_resumed"]);
  const first = question.type === "session_resumed"
    ? await nextOf(client, ["next_question"])
    : question;
  return { sessionId: String(first.sessionId), questionId: String(first.question.id) };
}

Deno.test("several drafts of one template: new, continue a named one, the newest by default", async () => {
  await withInterviewerChat(async (stack) => {
    const { token } = await stack.newUser("drafts");
    const answerFirst = async (client: TestClient, name: string) => {
      const { sessionId, questionId } = await opened(client);
      assert.equal(questionId, "party_a_name");
      client.send({ type: "user_message", content: name, clientMessageId: crypto.randomUUID() });
      const next = await nextOf(client, ["next_question"]);
      assert.equal(next.question.id, "party_a_email");
      await client.close();
      return sessionId;
    };

    const first = await answerFirst(stack.connect({ token, templateId: nda.id }), "Acme Ltd");
    const second = await answerFirst(
      stack.connect({ token, templateId: nda.id, draft: "new" }),
      "Globex LLC",
    );
    assert.notEqual(second, first, "draft=new starts another draft");

    // No hint: the draft touched last, which is the second.
    const plain = stack.connect({ token, templateId: nda.id });
    assert.equal((await opened(plain)).sessionId, second);
    await plain.close();

    // The first by name: its own answers, not the newest draft's.
    const named = stack.connect({ token, templateId: nda.id, sessionId: first });
    const resumed = await nextOf(named, ["session_resumed"]);
    assert.equal(resumed.sessionId, first);
    assert.deepEqual(
      resumed.answers.map((a: { answer: string }) => a.answer),
      ["Acme Ltd"],
    );
    await named.close();

    // A hint that names no open draft of this user: what no hint gets (the first, touched last).
    const stray = stack.connect({ token, templateId: nda.id, sessionId: crypto.randomUUID() });
    assert.equal((await opened(stray)).sessionId, first);
    await stray.close();

    const [row] = await stack.sql`select count(*)::int as open from chat_sessions s
      where s.template_id = ${nda.id} and not s.is_complete and s.abandoned_at is null
        and s.user_id = (select user_id from chat_sessions where id = ${first})`;
    assert.equal(row?.open, 2, "two open drafts, no third from the hints");

    const bad = stack.connect({ token, templateId: nda.id, draft: "old" });
    assert.deepEqual(await bad.closed, { code: 4522, reason: "invalid draft" });
  });
});
