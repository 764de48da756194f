// Unit tests of the client's pure model: frames and socket news in, the next model and the
// effects out. Fixtures only: no socket, no timers. The same behaviour over real sockets is in
// chat_client_test.ts and chat_client_v2_test.ts.
import assert from "node:assert/strict";
import {
  type ChatEffect,
  type ChatEvent,
  type ChatModel,
  connectionQuery,
  initialModel,
  isReady,
  negotiatedProtocol,
  offeredSubprotocol,
  protocolOf,
  refusal,
  step,
} from "./chat_model.ts";
import type { PendingMessage } from "./chat_client_types.ts";

const SESSION = "0b8c5a52-3f1e-4c43-9a7e-1d2f3a4b5c6d";
const opened = (subprotocol = "chat.v2"): ChatEvent => ({ type: "opened", subprotocol });
const frame = (value: Record<string, unknown>): ChatEvent => ({ type: "frame", frame: value });
const closed = (code: number, reason = ""): ChatEvent => ({ type: "closed", code, reason });
const queued = (message: PendingMessage): ChatEvent => ({ type: "queued", message });
const asked = (id: string, extra: Record<string, unknown> = {}) =>
  frame({ type: "next_question", sessionId: SESSION, question: { id, text: `${id}?` }, ...extra });
const resumed = (history: Record<string, unknown>[], answers?: unknown[]) =>
  frame({ type: "session_resumed", sessionId: SESSION, history, ...(answers ? { answers } : {}) });
const turn = (role: "assistant" | "user", questionId: string, extra = {}) => ({
  role,
  questionId,
  content: role === "assistant" ? `${questionId}?` : "Acme",
  at: "2026-12-01T10:00:00.000Z",
  ...extra,
});
const review = frame({
  type: "review",
  sessionId: SESSION,
  answers: [{ questionId: "q1", question: "q1?", answer: "Acme" }],
  document: { title: "NDA", content: "# NDA", format: "markdown" },
});
const answer: PendingMessage = {
  type: "user_message",
  clientMessageId: "m-1",
  content: "Acme",
  questionId: "q1",
};
const confirm: PendingMessage = { type: "confirm", clientMessageId: "c-1" };

/** Steps through `events`; returns the last model and every effect, in order. */
function run(
  model: ChatModel,
  ...events: ChatEvent[]
): { model: ChatModel; effects: ChatEffect[] } {
  const effects: ChatEffect[] = [];
  for (const event of events) {
    const next = step(model, event);
    model = next.model;
    effects.push(...next.effects);
  }
  return { model, effects };
}
const sends = (effects: ChatEffect[]) =>
  effects.flatMap((effect) => effect.type === "send" ? [effect.frame] : []);
const emitted = (effects: ChatEffect[]) =>
  effects.flatMap((effect) => effect.type === "emit" ? [effect.event] : []);

/** A v2 client on its first connection, asked q1. */
const askedQ1 = () => run(initialModel(), opened(), asked("q1")).model;

Deno.test("the model sends an answer at once and settles it with the next question", () => {
  const { model, effects } = run(askedQ1(), queued(answer));
  assert.deepEqual(sends(effects), [answer]);
  assert.deepEqual(model.pending, { message: answer, sent: true });
  const next = run(model, asked("q2"));
  assert.equal(next.model.pending, null);
  assert.deepEqual(next.model.acknowledged, answer, "the frame says what it acknowledged");
  assert.deepEqual(next.model.question, { id: "q2", text: "q2?" });
  assert.deepEqual(emitted(next.effects), ["question"]);
  assert.deepEqual(next.effects[0], { type: "progressed" });
  assert.equal(run(next.model, frame({ type: "ping" })).model.acknowledged, null);
});

Deno.test("the model resends an unacknowledged answer after the resume handshake", async (t) => {
  await t.step("with the same clientMessageId, after the question that ends it", () => {
    const sent = run(askedQ1(), queued(answer)).model;
    const dropped = run(sent, closed(1006));
    assert.deepEqual(dropped.effects, [
      { type: "reconnect", code: 1006, reason: "", action: "reconnect" },
    ]);
    assert.deepEqual(dropped.model.pending, { message: answer, sent: false });
    const reopened = run(dropped.model, opened(), resumed([turn("assistant", "q1")]));
    assert.deepEqual(sends(reopened.effects), [], "nothing before the handshake is over");
    assert.equal(isReady(reopened.model), false);
    const handshaken = run(reopened.model, asked("q1"));
    assert.deepEqual(sends(handshaken.effects), [answer]);
    assert.equal(handshaken.model.acknowledged, null, "ending the handshake acknowledges nothing");
    assert.equal(run(handshaken.model, asked("q2")).model.pending, null);
  });

  await t.step("not when the resumed history holds it", () => {
    const dropped = run(askedQ1(), queued(answer), closed(1012)).model;
    const history = [turn("assistant", "q1"), turn("user", "q1", { clientMessageId: "m-1" })];
    const back = run(dropped, opened(), resumed([...history, turn("assistant", "q2")]));
    assert.equal(back.model.pending, null);
    assert.deepEqual(back.model.acknowledged, answer);
    assert.deepEqual(back.model.question, { id: "q2", text: "q2?" });
    const { model, effects } = run(back.model, asked("q2"));
    assert.deepEqual(sends(effects), []);
    const question = effects.find((effect) => effect.type === "emit");
    assert.deepEqual(question, {
      type: "emit",
      event: "question",
      detail: { sessionId: SESSION, question: { id: "q2", text: "q2?" }, repeated: true },
    });
    assert.equal(model.answeredSinceQuestion, false);
  });

  await t.step("an answer given offline waits for the next connection", () => {
    const offline = run(askedQ1(), closed(1006), queued(answer));
    assert.deepEqual(sends(offline.effects), []);
    const { effects } = run(offline.model, opened(), asked("q1"));
    assert.deepEqual(sends(effects), [answer]);
  });
});

Deno.test("the model marks a question asked again without an answer as repeated", () => {
  const repeats = (events: ChatEvent[]) =>
    run(initialModel(), opened(), ...events).effects.flatMap((effect) =>
      effect.type === "emit" && effect.event === "question" ? [effect.detail.repeated] : []
    );
  assert.deepEqual(repeats([asked("q1"), asked("q1")]), [false, true]);
  assert.deepEqual(repeats([asked("q1"), queued(answer), asked("q1")]), [false, false]);
  assert.deepEqual(repeats([asked("q1"), asked("q1", { question: { id: "q1", text: "new" } })]), [
    false,
    false,
  ]);
});

Deno.test("the model settles an answer with an error, but not during the handshake", () => {
  const error = frame({ type: "error", code: "ai_unavailable", message: "x", retryable: true });
  const settled = run(askedQ1(), queued(answer), error);
  assert.equal(settled.model.pending, null);
  assert.deepEqual(settled.model.acknowledged, answer);
  const detail = settled.effects.find((effect) => effect.type === "emit");
  assert.deepEqual(detail, {
    type: "emit",
    event: "error",
    detail: { source: "server", code: "ai_unavailable", message: "x", retryable: true },
  });
  const handshake = run(askedQ1(), queued(answer), closed(1006), opened(), error);
  assert.deepEqual(handshake.model.pending, { message: answer, sent: true }, "resent instead");
  assert.deepEqual(sends(handshake.effects).at(-1), answer);
});

Deno.test("the model holds the review, the confirm and the completion", () => {
  const inReview = run(askedQ1(), queued(answer), review);
  assert.equal(inReview.model.question, null);
  assert.equal(inReview.model.review?.document.title, "NDA");
  assert.deepEqual(inReview.model.acknowledged, answer);
  const confirming = run(inReview.model, queued(confirm));
  assert.deepEqual(sends(confirming.effects), [confirm]);
  const done = run(
    confirming.model,
    frame({ type: "session_complete", sessionId: SESSION, documentId: "d-1" }),
  );
  assert.equal(done.model.complete, true);
  assert.equal(done.model.review, null);
  assert.deepEqual(done.model.acknowledged, confirm);
  assert.equal(refusal(done.model, "answer"), "Cannot answer: the interview is closed");
  assert.deepEqual(run(done.model, closed(1012)).effects, [
    { type: "stop", code: 1012, reason: "" },
  ], "after completion nothing reconnects");
  const reasked = run(inReview.model, asked("q1", { problem: "Please type a name" })).model;
  assert.equal(reasked.review, null, "a question ends the review");
});

Deno.test("the model turns close codes into stop or reconnect, by the wire table", () => {
  const after = (code: number) => run(askedQ1(), closed(code, "why"));
  for (const code of [1000, 1008, 4500, 4504, 4522, 4529, 1002]) {
    assert.deepEqual(after(code).effects, [{ type: "stop", code, reason: "why" }], `${code}`);
  }
  assert.equal(after(4509).model.superseded, true);
  assert.equal(after(1012).model.superseded, false);
  const actions = [1011, 1012, 1006, 4000, 1013, 4001].map((code) => {
    const [effect] = after(code).effects;
    return effect?.type === "reconnect" ? effect.action : effect?.type;
  });
  assert.deepEqual(actions, [
    "reconnect",
    "reconnect",
    "reconnect",
    "reconnect",
    "reconnect_slowly",
    "refresh_token",
  ]);
  const ended = run(askedQ1(), { type: "ended" }, closed(1006));
  assert.deepEqual(ended.effects, [], "a client that stopped is not reconnected");
});

Deno.test("the model reports the protocol the server chose", async (t) => {
  await t.step("from the 101 response's subprotocol", () => {
    assert.equal(negotiatedProtocol("chat.v2", "v2"), "v2");
    assert.equal(negotiatedProtocol("chat.v1", "v2"), "v1");
    assert.equal(negotiatedProtocol("", "v2"), "v1", "no subprotocol is v1 by the contract");
    assert.equal(negotiatedProtocol(undefined, "v2"), "v2", "a runtime that does not say");
    assert.equal(protocolOf(initialModel({ protocol: "v1" })), "v1", "before any connection");
    assert.equal(offeredSubprotocol(initialModel({ protocol: "v1" })), "chat.v1");
    assert.equal(offeredSubprotocol(initialModel()), "chat.v2");
  });

  await t.step("a v2 client on a v1 server cannot edit or confirm", () => {
    const model = run(initialModel(), opened("chat.v1"), asked("q1")).model;
    assert.equal(protocolOf(model), "v1");
    assert.equal(
      refusal(model, "edit"),
      'Cannot edit: the server chose protocol "v1" for this connection; edit needs "v2"',
    );
    assert.equal(refusal(model, "answer"), null);
    assert.equal(
      refusal(initialModel({ protocol: "v1" }), "confirm"),
      'Cannot confirm: this client speaks protocol "v1"; confirm needs "v2"',
    );
  });
});

Deno.test("the model refuses a second frame while one waits, naming it", () => {
  const model = run(askedQ1(), queued(answer)).model;
  assert.equal(
    refusal(model, "edit"),
    'Cannot edit: answer "m-1" is still waiting for the server',
  );
});

Deno.test("the model names the session to reconnect to, or asks to restart", () => {
  assert.deepEqual(connectionQuery(initialModel()), {});
  assert.deepEqual(connectionQuery(initialModel({ sessionId: SESSION })), { sessionId: SESSION });
  const restarting = initialModel({ restart: true, sessionId: SESSION });
  assert.deepEqual(connectionQuery(restarting), { restart: "1" });
  assert.deepEqual(connectionQuery(run(restarting, opened(), closed(1006)).model), {
    restart: "1",
  }, "until the server has answered the restart");
  const answeredRestart = run(restarting, opened(), asked("q1", { sessionId: "s-new" })).model;
  assert.deepEqual(connectionQuery(answeredRestart), { sessionId: "s-new" });
});

Deno.test("a new draft is asked for until the server has answered, then continued by name", () => {
  const fresh = initialModel({ newDraft: true });
  assert.deepEqual(connectionQuery(fresh), { draft: "new" });
  assert.deepEqual(connectionQuery(run(fresh, opened(), closed(1006)).model), {
    draft: "new",
  }, "until the server has answered the new draft");
  const answered = run(fresh, opened(), asked("q1", { sessionId: "s-draft" })).model;
  assert.deepEqual(connectionQuery(answered), { sessionId: "s-draft" });
  assert.deepEqual(connectionQuery(initialModel({ newDraft: true, sessionId: SESSION })), {
    sessionId: SESSION,
  }, "a named session wins over a new draft");
  assert.deepEqual(connectionQuery(initialModel({ newDraft: true, restart: true })), {
    restart: "1",
  });
});

Deno.test("a reconnect names the generation it last held; a new client names none", () => {
  const first = run(initialModel(), opened(), asked("q1", { generation: "41" })).model;
  assert.equal(first.generation, "41");
  const cut = run(first, closed(1006));
  assert.deepEqual(cut.effects.map((e) => e.type), ["reconnect"]);
  assert.deepEqual(connectionQuery(cut.model), { sessionId: SESSION, generation: "41" });

  // The reconnect's own first frame names its new claim; the next reconnect names that one.
  const again = run(
    cut.model,
    opened(),
    resumed([turn("assistant", "q1")], []),
    asked("q1", {
      generation: "57",
    }),
  ).model;
  assert.deepEqual(connectionQuery(again), { sessionId: SESSION, generation: "57" });

  // A frame naming no generation (v1) or a malformed one leaves the held one.
  const kept = run(again, asked("q1", { generation: "x" }), asked("q1")).model;
  assert.equal(kept.generation, "57");

  // Refused (a newer tab holds the interview): 4509 stops the client for good.
  const refused = run(again, closed(1006), opened(), closed(4509, "superseded"));
  assert.equal(refused.model.superseded, true);
  assert.equal(refused.effects.at(-1)?.type, "stop");

  // "Continue here" is a new client on the same session: it names no generation, so it takes over.
  assert.deepEqual(connectionQuery(initialModel({ sessionId: SESSION })), { sessionId: SESSION });
  // A restart asks to start over: no generation either.
  assert.deepEqual(connectionQuery({ ...again, restart: true }), { restart: "1" });
});
