// End-to-end: the superseded race (issue 27, Build 7). The old tab's socket is cut (the client sees
// 1006, not 4509) while the server closes it as superseded and while it is sending; reconnecting
// with the generation it held, it is refused with 4509 and the newer tab keeps the interview. An
// explicit take-over ("Continue here": no generation) still wins. A TCP proxy between the old tab
// and the chat holds the server's bytes, so the 4509 close is lost with the connection.
import assert from "node:assert/strict";
import { startTcpProxy } from "../../../../test_support/tcp_proxy.ts";
import { nda, nextOf, withInterviewerChat } from "../../../../test_support/v2_fixture.ts";
import { connect } from "../../../../test_support/ws_client.ts";

Deno.test("a tab cut while superseded cannot take the interview back by reconnecting", async () => {
  await withInterviewerChat(async (stack) => {
    const { token } = await stack.newUser("race");
    const proxy = startTcpProxy({ port: stack.port });
    const viaProxy = (params: Parameters<typeof connect>[1]) =>
      connect(`http://127.0.0.1:${proxy.port}`, { offer: ["chat.v2"], ...params });
    const opened = [];
    try {
      // The old tab, through the proxy: its first question names its generation.
      const old = viaProxy({ token, templateId: nda.id });
      opened.push(old);
      const first = await nextOf(old, ["next_question"]);
      const held: string = first.generation;
      assert.match(held, /^[1-9][0-9]*$/, "every v2 question names the connection's generation");
      old.send({
        type: "user_message",
        content: "Acme Ltd",
        questionId: first.question.id,
        clientMessageId: "old-1",
      });
      const second = await nextOf(old, ["next_question"]);

      // The network starts losing what the server sends the old tab; then a newer tab opens.
      proxy.hold("server");
      const newer = stack.connect({ token, templateId: nda.id });
      opened.push(newer);
      await nextOf(newer, ["session_resumed"]);
      const pending = await nextOf(newer, ["next_question"]);
      assert.equal(pending.question.id, second.question.id);
      assert.ok(BigInt(pending.generation) > BigInt(held), "the newer tab holds a newer claim");

      // The old tab is still sending when its socket is cut: it never hears 4509.
      old.send({
        type: "user_message",
        content: "legal@acme.test",
        questionId: second.question.id,
        clientMessageId: "old-2",
      });
      proxy.dropAll();
      const cut = await old.closed;
      assert.ok(cut.code === 0 || cut.code === 1006, `the old tab saw a cut, not ${cut.code}`);
      proxy.release();

      // It reconnects naming the generation it held: refused at once, nothing else happens.
      const reconnect = viaProxy({ token, templateId: nda.id, generation: held });
      opened.push(reconnect);
      const refused = await reconnect.closed;
      assert.deepEqual(refused, { code: 4509, reason: "superseded by a newer connection" });
      assert.deepEqual(reconnect.received, [], "no frame: the refusal is the close");

      // The newer tab keeps the interview: it answers, and the answer is stored.
      newer.send({
        type: "user_message",
        content: "legal@acme.test",
        questionId: pending.question.id,
        clientMessageId: "new-1",
      });
      const after = await nextOf(newer, ["next_question"]);
      assert.notEqual(after.question.id, pending.question.id);
      const history = await stack.history(after.sessionId);
      const answers = history.flatMap((turn) => turn.role === "user" ? [turn.clientMessageId] : []);
      assert.deepEqual(answers, ["old-1", "new-1"], "the cut tab's last answer was not stored");

      // "Continue here": no generation, an explicit take-over, wins.
      const takeOver = viaProxy({ token, templateId: nda.id });
      opened.push(takeOver);
      await nextOf(takeOver, ["session_resumed"]);
      const resumed = await nextOf(takeOver, ["next_question"]);
      assert.equal(resumed.question.id, after.question.id);
      assert.equal((await newer.closed).code, 4509, "the tab taken over from hears 4509");
    } finally {
      await Promise.all(opened.map((client) => client.close()));
      await proxy.close();
    }
  });
});

Deno.test("a generation that is not one is refused with 4522 before anything is opened", async () => {
  await withInterviewerChat(async (stack) => {
    const { token } = await stack.newUser("bad-generation");
    for (const generation of ["0", "-1", "abc", "1".repeat(19), ""]) {
      const client = stack.connect({ token, templateId: nda.id, generation });
      assert.deepEqual(
        await client.closed,
        { code: 4522, reason: "invalid generation" },
        generation,
      );
    }
    const plain = await fetch(
      `http://127.0.0.1:${stack.port}/chat?templateId=${nda.id}&generation=x&token=${token}`,
    );
    assert.equal(plain.status, 400);
    assert.deepEqual(await plain.json(), {
      error: "Invalid generation",
      code: "invalid_generation",
    });
  });
});
