// End-to-end: a party name that would display differently from its stored text ("Trojan Source":
// U+202E, U+200B, \x01) is refused by the chat with the specific error and nothing is stored;
// the socket stays open and the same question takes a clean answer.
import assert from "node:assert/strict";
import { nda, storedSession, withInterviewerChat } from "../../../../test_support/v2_fixture.ts";

Deno.test("an answer holding an invisible or control character is refused, nothing stored", async (t) => {
  await withInterviewerChat(async ({ connect, newUser, history, sql }) => {
    const { token } = await newUser();
    const client = connect({ token, templateId: nda.id });
    const first = await client.next("next_question");
    const sessionId = first.sessionId as string;
    assert.equal((first.question as { id: string }).id, "party_a_name");

    for (
      const [content, message] of [
        [
          "Acme\u202E Corp",
          "Your answer holds an invisible character that changes how text displays " +
          "(U+202E, position 5): remove it",
        ],
        [
          "Ac\u200Bme Corp",
          "Your answer holds an invisible character (U+200B, position 3): remove it",
        ],
        ["\x01Acme Corp", "Your answer holds a control character (U+0001, position 1): remove it"],
      ]
    ) {
      await t.step(`refuses ${JSON.stringify(content)}`, async () => {
        client.send({ type: "user_message", content, questionId: "party_a_name" });
        const error = await client.next("error");
        assert.deepEqual(error, {
          type: "error",
          code: "invalid_character",
          message,
          retryable: false,
        });
      });
    }

    await t.step("nothing of them is stored, and the question takes a clean answer", async () => {
      const turns = await history(sessionId);
      assert.equal(turns.filter((turn) => turn.role === "user").length, 0);
      client.send({ type: "user_message", content: "Acme Corp", questionId: "party_a_name" });
      const next = await client.next("next_question");
      assert.notEqual((next.question as { id: string }).id, "party_a_name");
      const stored = await storedSession(sql, sessionId);
      assert.equal(stored.documents, 0);
      assert.deepEqual(
        (await history(sessionId)).filter((turn) => turn.role === "user").map((t) => t.content),
        ["Acme Corp"],
      );
    });
    await client.close();
  });
});
