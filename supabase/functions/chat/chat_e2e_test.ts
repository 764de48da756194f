import assert from "node:assert/strict";
import { startFakeAiService } from "../../../test_support/fake_ai_service.ts";
import {
  adminSql,
  chatEnv,
  createTemplate,
  createUser,
  signToken,
  startFunction,
} from "../../../test_support/local_stack.ts";
import { connect } from "../../../test_support/ws_client.ts";

Deno.test("smoke: an interview from connect to session_complete", async () => {
  const sql = adminSql();
  const ai = startFakeAiService();
  const chat = await startFunction("chat", chatEnv(ai.url));
  try {
    const userId = await createUser(sql);
    const templateId = await createTemplate(sql, 2);
    const client = connect(chat.baseUrl, { token: await signToken(userId), templateId });
    assert.equal(await client.protocol, "chat.v1");
    const q1 = await client.next("next_question");
    assert.equal(q1.question.id, "q1");
    client.send({ type: "user_message", content: "Alpha", questionId: "q1" });
    const q2 = await client.next("next_question");
    assert.equal(q2.question.id, "q2");
    client.send({ type: "user_message", content: "Beta" });
    const done = await client.next("session_complete");
    assert.equal((await client.closed).code, 1000);
    const [doc] = await sql`select content from generated_documents where id = ${done.documentId}`;
    assert.equal(doc?.content, "q1: Alpha\nq2: Beta");
  } finally {
    await chat.stop();
    console.log(chat.logs.join("\n"));
    await ai.close();
    await sql.end();
  }
});
