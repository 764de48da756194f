// End-to-end fuzzing of the WebSocket surface (v1, then v2's edit_answer and confirm), seeded (FUZZ_SEED=<seed> replays a run;
// FUZZ_FRAMES sets how many frames). Every invalid frame must get its specific error code,
// every valid hostile answer must be stored verbatim, every stored history must equal exactly
// what the client was told was accepted, and another client must be served throughout.
import assert from "node:assert/strict";
import type postgres from "postgres";
import { type ChatFixture, withChat } from "../../../../test_support/chat_fixture.ts";
import {
  badFrame,
  badV2Frame,
  hostileAnswer,
  hostileExtras,
  randomText,
  unknownQuestionId,
  visibleHostileAnswer,
} from "../../../../test_support/hostile_frames.ts";
import { chatEnv, startFunction } from "../../../../test_support/local_stack.ts";
import { connect } from "../../../../test_support/ws_client.ts";
import {
  hasInvisibleCharacter,
  stripInvisibleCharacters,
} from "../../_shared/wire/invisible_characters.ts";
import { driveInterview, newDriverCounts } from "../../../../test_support/interview_driver.ts";
import { createPrng, type Prng, seedFromEnv } from "../../../../test_support/prng.ts";
import { Opcode, rawConnect } from "../../../../test_support/raw_ws.ts";
import type { Message, TestClient } from "../../../../test_support/ws_client.ts";

/** A frame as the person sees it: each connection's frames name its own generation. */
function seen(frame: Message): Message {
  const { generation: _connection, ...rest } = frame;
  return rest;
}

const FRAMES = Number(Deno.env.get("FUZZ_FRAMES") ?? 1_200);
const WORKERS = 4;
const QUESTIONS = 12;
/** Frames per connection: under the flood limit's burst of 20. */
const FRAMES_PER_CONNECTION = 15;

type StoredTurn = [role: string, questionId: string | undefined, content: string];

interface FuzzSession {
  sessionId: string;
  expected: StoredTurn[];
  complete: boolean;
}

type Tally = Record<string, number>;

const project = (history: { role: string; questionId?: string; content: string }[]) =>
  history.map((t): StoredTurn => [t.role, t.questionId, t.content]);

function count(tally: Tally, key: string): void {
  tally[key] = (tally[key] ?? 0) + 1;
}

/** Sends `frames` hostile frames over as many connections of one user as that takes. */
async function fuzzWorker(
  prng: Prng,
  frames: number,
  fixture: ChatFixture,
  tally: Tally,
): Promise<FuzzSession[]> {
  const sessions: FuzzSession[] = [];
  let user = await fixture.newUser(QUESTIONS);
  let session: FuzzSession = { sessionId: "", expected: [], complete: false };
  let lastAnswer: { clientMessageId: string; content: string } | null = null;
  let sent = 0;

  while (sent < frames) {
    const client = fixture.connect({ token: user.token, templateId: user.templateId });
    count(tally, "connections");
    if (session.expected.length > 0) {
      const resumed = await client.next("session_resumed");
      assert.deepEqual(
        project(resumed.history),
        session.expected,
        "resume shows exactly the history",
      );
    }
    let pending = (await client.next("next_question")).question as { id: string; text: string };
    session.sessionId ||= client.received[0]!.sessionId;
    if (session.expected.at(-1)?.[0] !== "assistant") {
      session.expected.push(["assistant", pending.id, pending.text]);
    }
    let invalid = 0;
    let onConnection = 0;
    let finished = false;

    const expectError = async (code: string, what: string) => {
      const error = await client.next("error");
      assert.equal(error.code, code, `${what}: got ${JSON.stringify(error)}`);
      assert.equal(typeof error.message, "string");
    };

    while (onConnection < FRAMES_PER_CONNECTION && sent < frames && !finished) {
      onConnection++;
      sent++;
      const roll = prng.next();
      if (roll < 0.55 && invalid < 9) {
        const bad = badFrame(prng);
        client.sendRaw(bad.data);
        invalid++;
        count(tally, bad.category);
        const preview = typeof bad.data === "string" ? bad.data.slice(0, 80) : "(binary)";
        await expectError(bad.expect, `${bad.category} ${JSON.stringify(preview)}`);
      } else if (roll < 0.63) {
        const stale = prng.pick(["q0", "q999", "", "Q1", pending.id + " "].filter((id) => id));
        client.send({ type: "user_message", content: "stale", questionId: stale });
        count(tally, "stale_question");
        await expectError("stale_question", `questionId ${stale}`);
      } else if (roll < 0.7 && lastAnswer) {
        client.send({ type: "user_message", ...lastAnswer });
        count(tally, "resend");
        const again = await client.next("next_question");
        assert.deepEqual(again.question, pending, "a resend is answered with the pending question");
      } else if (roll < 0.76) {
        const id = `p-${prng.int(1_000)}`;
        client.sendRaw(`{"type":"ping","id":"${id}"${hostileExtras(prng)}}`);
        count(tally, "ping");
        assert.deepEqual(await client.next("pong"), { type: "pong", id });
      } else if (roll < 0.8) {
        client.sendRaw(`{"type":"retry"${hostileExtras(prng)}}`);
        count(tally, "retry");
        assert.deepEqual((await client.next("next_question")).question, pending);
      } else {
        const candidate = hostileAnswer(prng);
        if (hasInvisibleCharacter(candidate) && invalid < 9) {
          // A bidi control, zero-width or control character: refused, nothing stored.
          client.sendRaw(JSON.stringify({ type: "user_message", content: candidate }));
          invalid++;
          count(tally, "invisible_character");
          await expectError("invalid_field", `answer ${JSON.stringify(candidate.slice(0, 40))}`);
          continue;
        }
        const content = stripInvisibleCharacters(candidate).trim() || "x";
        const clientMessageId = prng.chance(0.7) ? `m-${sent}-${prng.int(1e9)}` : undefined;
        const withQuestion = prng.chance(0.5);
        const frame = `{"type":"user_message","content":${JSON.stringify(content)}` +
          (clientMessageId ? `,"clientMessageId":"${clientMessageId}"` : "") +
          (withQuestion ? `,"questionId":${JSON.stringify(pending.id)}` : "") +
          `${hostileExtras(prng)}}`;
        client.sendRaw(frame);
        count(tally, "answer");
        session.expected.push(["user", pending.id, content]);
        lastAnswer = clientMessageId ? { clientMessageId, content } : null;
        const reply = await client.next();
        if (reply.type === "session_complete") {
          assert.deepEqual(await client.closed, { code: 1000, reason: "interview complete" });
          session.complete = true;
          await checkDocument(fixture.sql, reply.documentId, session.expected);
          count(tally, "completed");
          sessions.push(session);
          user = await fixture.newUser(QUESTIONS);
          session = { sessionId: "", expected: [], complete: false };
          lastAnswer = null;
          finished = true;
        } else {
          assert.equal(reply.type, "next_question", JSON.stringify(reply));
          pending = reply.question;
          session.expected.push(["assistant", pending.id, pending.text]);
        }
      }
    }
    if (!finished) await endConnection(prng, client, invalid, tally);
  }
  if (session.sessionId) sessions.push(session);
  return sessions;
}

/** Ends a connection one of three ways: a plain close, the 10th invalid frame, a bad token. */
async function endConnection(prng: Prng, client: TestClient, invalid: number, tally: Tally) {
  const roll = prng.next();
  if (roll < 0.3 && invalid === 9) {
    client.sendRaw(badFrame(prng).data);
    await client.next("error");
    assert.equal((await client.closed).code, 1008, "the 10th invalid frame closes with 1008");
    count(tally, "closed_1008");
  } else if (roll < 0.4) {
    client.send({ type: "refresh_token", token: randomText(prng, prng.between(1, 300)) || "x" });
    assert.equal((await client.closed).code, 4500, "a bad refresh token closes with 4500");
    count(tally, "closed_4500");
  } else {
    await client.close();
  }
}

async function checkDocument(sql: postgres.Sql, documentId: string, expected: StoredTurn[]) {
  const [document] = await sql`select content from generated_documents where id = ${documentId}`;
  const answers = expected.filter(([role]) => role === "user");
  assert.equal(document?.content, answers.map(([, id, content]) => `${id}: ${content}`).join("\n"));
}

/** Runs whole interviews, one after another, until told to stop; returns how many completed. */
async function bystander(fixture: ChatFixture, stop: { now: boolean }): Promise<number> {
  const counts = newDriverCounts();
  while (!stop.now) {
    const { token, templateId } = await fixture.newUser(3);
    await driveInterview({
      baseUrl: () => fixture.chat.baseUrl,
      token,
      templateId,
      answer: (id) => `bystander ${id}`,
      label: "bystander",
      timeoutMs: 10_000,
      counts,
    });
  }
  assert.equal(counts.reconnects + counts.aiUnavailable + counts.storageUnavailable, 0);
  return counts.completed;
}

Deno.test("fuzzing frames: each bad one gets its error, histories stay exact, others are served", async () => {
  const prng = createPrng(seedFromEnv("websocket fuzz"));
  await withChat(async (fixture) => {
    const tally: Tally = {};
    const stop = { now: false };
    const served = bystander(fixture, stop);
    const started = performance.now();
    const sessions = (await Promise.all(
      Array.from(
        { length: WORKERS },
        (_, i) => fuzzWorker(prng.fork(`worker-${i}`), FRAMES / WORKERS, fixture, tally),
      ),
    )).flat();
    stop.now = true;
    const bystanderCompleted = await served;

    for (const session of sessions) {
      const [row] = await fixture.sql`select history, turn_count, is_complete
        from chat_sessions where id = ${session.sessionId}`;
      assert.deepEqual(
        project(row!.history),
        session.expected,
        "stored history is exactly accepted",
      );
      assert.equal(row!.turn_count, session.expected.length);
      assert.equal(row!.is_complete, session.complete);
    }
    const health = await fetch(`${fixture.chat.baseUrl}/health`);
    assert.equal((await health.json()).status, "healthy");
    const errors = fixture.chat.logs.filter((line) => line.includes('"level":"error"'));
    assert.deepEqual(errors, [], "no frame caused an internal error");
    console.log(JSON.stringify({
      frames: FRAMES,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      sessions: sessions.length,
      bystanderCompleted,
      ...tally,
    }));
    assert.ok(bystanderCompleted >= 1, "another client was served during the fuzzing");
  });
});

/** Sequences that are not UTF-8: stray continuation bytes, overlongs, surrogates, truncation. */
const INVALID_UTF8: number[][] = [
  [0x80],
  [0xbf, 0x80],
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe2, 0x82],
];

Deno.test("raw frames: invalid UTF-8 and protocol violations drop only that connection", async (t) => {
  const prng = createPrng(seedFromEnv("raw websocket frames"));
  await withChat(async ({ newUser, connect, history, chat }) => {
    const { token, templateId } = await newUser(4);
    const path = `/chat?templateId=${templateId}`;
    const first = connect({ token, templateId });
    const { sessionId } = await first.next("next_question");
    await first.close();
    const stored = await history(sessionId);

    const open = async () => {
      const ws = await rawConnect(chat.baseUrl, path, ["chat.v1", `jwt-${token}`]);
      assert.equal(ws.status, 101);
      assert.equal(ws.headers.get("sec-websocket-protocol"), "chat.v1");
      const resumed = await ws.readFrame();
      assert.match(new TextDecoder().decode(resumed!.payload), /"session_resumed"/);
      await ws.readFrame(); // the pending question
      return ws;
    };
    const text = (s: string) => new TextEncoder().encode(s);
    const answerWith = (bytes: number[]) => {
      const prefix = text('{"type":"user_message","content":"before ');
      return new Uint8Array([...prefix, ...bytes, ...text(' after"}')]);
    };

    const dropped: [string, (ws: Awaited<ReturnType<typeof open>>) => Promise<void>][] = [
      ...INVALID_UTF8.map((bytes): [string, typeof dropped[0][1]] => [
        `invalid UTF-8 ${bytes.map((b) => b.toString(16)).join(" ")}`,
        (ws) => ws.sendFrame(Opcode.text, answerWith(bytes)),
      ]),
      [
        "invalid UTF-8 split over fragments",
        async (ws) => {
          const firstHalf = answerWith([0xe2]);
          await ws.sendFrame(Opcode.text, firstHalf.slice(0, firstHalf.indexOf(0xe2) + 1), {
            fin: false,
          });
          await ws.sendFrame(Opcode.continuation, new Uint8Array([0x28, ...text('"}')]));
        },
      ],
      ["RSV bits without an extension", (ws) => ws.sendFrame(Opcode.text, text("{}"), { rsv: 4 })],
      ["a reserved opcode", (ws) => ws.sendFrame(prng.pick([3, 4, 5, 6, 7, 0xb, 0xf]), text("x"))],
      ["a continuation with nothing to continue", (ws) => ws.sendFrame(0, text("x"))],
      ["a ping over 125 bytes", (ws) => ws.sendFrame(Opcode.ping, new Uint8Array(126))],
      ["a fragmented ping", (ws) => ws.sendFrame(Opcode.ping, text("p"), { fin: false })],
      [
        "a length of 2^63-1",
        (ws) =>
          ws.sendBytes(new Uint8Array([0x81, 0xff, 0x7f, ...new Array(7).fill(0xff), 0, 0, 0, 0])),
      ],
      [
        "random bytes behind a header with RSV bits",
        (ws) => ws.sendBytes(new Uint8Array([0xf1, ...prng.bytes(prng.between(1, 512))])),
      ],
    ];
    for (const [name, act] of dropped) {
      await t.step(`${name}: the connection ends, nothing is stored`, async () => {
        const ws = await open();
        await act(ws);
        const { code, texts } = await ws.readUntilClosed();
        ws.close();
        assert.ok([1002, 1006, 1007].includes(code), `closed with ${code}`);
        assert.ok(!texts.some((t) => t.includes("next_question")), "no answer was taken");
        assert.deepEqual(await history(sessionId), stored);
      });
    }

    await t.step("a fragmented answer split inside a character is accepted whole", async () => {
      const ws = await open();
      const frame = text('{"type":"user_message","content":"fragmented € answer"}');
      const cut = frame.indexOf(0xe2) + 1;
      await ws.sendFrame(Opcode.text, frame.slice(0, cut), { fin: false });
      await ws.sendFrame(Opcode.continuation, frame.slice(cut));
      const reply = await ws.readFrame();
      assert.match(new TextDecoder().decode(reply!.payload), /"next_question".*"q2"/);
      ws.close();
      const turns = await history(sessionId);
      assert.equal(turns.at(-2)?.content, "fragmented € answer");
      stored.splice(0, stored.length, ...turns);
    });

    await t.step("a WebSocket ping is answered with its payload", async () => {
      const ws = await open();
      await ws.sendFrame(Opcode.ping, text("are you there"));
      const pong = await ws.readFrame();
      assert.deepEqual([pong!.opcode, new TextDecoder().decode(pong!.payload)], [
        Opcode.pong,
        "are you there",
      ]);
      ws.close();
    });

    await t.step("a 1 MiB text frame gets frame_too_large and the socket stays open", async () => {
      const ws = await open();
      await ws.sendFrame(
        Opcode.text,
        text(JSON.stringify({ type: "ping", id: "x".repeat(1 << 20) })),
      );
      const reply = JSON.parse(
        new TextDecoder().decode((await ws.readFrame())!.payload),
      ) as Message;
      assert.equal(reply.code, "frame_too_large");
      await ws.sendFrame(Opcode.text, text('{"type":"ping","id":"after"}'));
      assert.match(new TextDecoder().decode((await ws.readFrame())!.payload), /"pong"/);
      ws.close();
    });

    await t.step(
      "the server still serves, and the history is exactly the accepted answer",
      async () => {
        const client = connect({ token, templateId });
        const resumed = await client.next("session_resumed");
        assert.deepEqual(resumed.history, stored);
        assert.deepEqual(project(resumed.history), [
          ["assistant", "q1", "Question 1?"],
          ["user", "q1", "fragmented € answer"],
          ["assistant", "q2", "Question 2?"],
        ]);
        client.send({ type: "user_message", content: "normal" });
        await client.next("next_question");
        const errors = chat.logs.filter((line) => line.includes('"level":"error"'));
        assert.deepEqual(errors, []);
      },
    );
  });
});

/** v2: a connection that offers chat.v2, and waits for the session to be ready. */
async function v2Connection(fixture: ChatFixture, user: { token: string; templateId: string }) {
  const client = fixture.connect({ ...user, offer: ["chat.v2"] });
  assert.equal(await client.protocol, "chat.v2");
  return client;
}

/** Sends `frame` and expects one error of `code` (and `message`, when given) back. */
async function refused(
  client: TestClient,
  frame: string,
  code: string,
  message?: string | RegExp,
): Promise<void> {
  client.sendRaw(frame);
  const error = await client.next("error");
  const what = `${frame.slice(0, 100)}: got ${JSON.stringify(error).slice(0, 300)}`;
  assert.equal(error.code, code, what);
  if (typeof message === "string") assert.equal(error.message, message, what);
  else if (message) assert.match(error.message, message, what);
}

Deno.test("v2 fuzzing: hostile edit_answer and confirm frames get their errors, store nothing, keep the socket", async (t) => {
  const prng = createPrng(seedFromEnv("v2 frame fuzz"));
  await withChat(async (fixture) => {
    const user = await fixture.newUser(3);
    let client = await v2Connection(fixture, user);
    const first = await client.next("next_question");
    const sessionId: string = first.sessionId;
    client.send({ type: "user_message", content: "Alpha", clientMessageId: "a-1" });
    await client.next("next_question");
    const before = await fixture.history(sessionId);
    const tally: Tally = {};

    /** Eight hostile frames on one connection (under the invalid-frame and flood limits). */
    const volley = async (inReview: boolean) => {
      for (let i = 0; i < 8; i++) {
        const roll = prng.next();
        if (roll < 0.6) {
          const bad = badV2Frame(prng);
          count(tally, bad.category);
          await refused(client, bad.data as string, bad.expect, bad.message);
        } else if (roll < 0.8) {
          const questionId = unknownQuestionId(prng);
          count(tally, "unknown_question");
          await refused(
            client,
            JSON.stringify({
              type: "edit_answer",
              questionId,
              content: visibleHostileAnswer(prng),
            }),
            "unknown_question",
            `Question "${questionId}" was never asked in this interview`,
          );
        } else if (!inReview) {
          count(tally, "not_in_review");
          await refused(
            client,
            JSON.stringify({ type: "confirm", clientMessageId: `c-${prng.int(1e9)}` }),
            "not_in_review",
            "There is nothing to confirm yet: the interview is not in review",
          );
        } else {
          count(tally, "answer_in_review");
          await refused(
            client,
            JSON.stringify({ type: "user_message", content: visibleHostileAnswer(prng) }),
            "no_pending_question",
            "Every question is answered: confirm the document, or edit an answer",
          );
        }
      }
      client.send({ type: "ping", id: "still-open" });
      assert.deepEqual(await client.next("pong"), { type: "pong", id: "still-open" });
      assert.equal(client.socket.readyState, WebSocket.OPEN, "the socket stays open");
    };

    await t.step("while questions are asked", async () => {
      for (let round = 0; round < 6; round++) {
        await volley(false);
        await client.close();
        client = await v2Connection(fixture, user);
        await client.next("session_resumed");
        assert.equal((await client.next("next_question")).question.id, "q2");
      }
      assert.deepEqual(await fixture.history(sessionId), before, "nothing stored");
    });

    let review: Message;
    await t.step("in review", async () => {
      client.send({ type: "user_message", content: "Beta" });
      await client.next("next_question");
      client.send({ type: "user_message", content: "Gamma" });
      review = await client.next("review");
      const inReview = await fixture.history(sessionId);
      for (let round = 0; round < 3; round++) {
        await volley(true);
        await client.close();
        client = await v2Connection(fixture, user);
        await client.next("session_resumed");
        assert.deepEqual(seen(await client.next("review")), seen(review), "the review stands");
      }
      assert.deepEqual(await fixture.history(sessionId), inReview, "nothing stored");
    });

    await t.step(
      "a confirm storm completes once, with exactly the previewed document",
      async () => {
        for (let i = 0; i < 15; i++) {
          client.send({ type: "confirm", ...(i % 2 ? { clientMessageId: `storm-${i}` } : {}) });
        }
        const done = await client.next("session_complete");
        assert.deepEqual(await client.closed, { code: 1000, reason: "interview complete" });
        assert.equal(client.received.filter((m) => m.type === "session_complete").length, 1);
        const documents = await fixture.sql`select id, content from generated_documents
        where session_id = ${sessionId}`;
        assert.deepEqual(documents.map((d) => [d.id, d.content]), [
          [done.documentId, review.document.content],
        ]);
      },
    );

    const errors = fixture.chat.logs.filter((line) => line.includes('"level":"error"'));
    assert.deepEqual(errors, [], "no frame caused an internal error");
    console.log(JSON.stringify({ seed: prng.seed, ...tally }));
  });
});

Deno.test("v2: edits racing answers across two chat instances keep one writer, nothing lost or twice", async () => {
  await withChat(async (fixture) => {
    const other = await startFunction("chat", chatEnv(fixture.ai.url));
    const clients: TestClient[] = [];
    const outcomes: Tally = {};
    try {
      for (let round = 0; round < 8; round++) {
        const user = await fixture.newUser(3);
        const a = await v2Connection(fixture, user);
        const q1 = await a.next("next_question");
        a.send({ type: "user_message", content: "Alpha" });
        await a.next("next_question");
        // The edit on one instance and the newer connection on the other, at once.
        const editId = `edit-${round}`;
        a.send({
          type: "edit_answer",
          questionId: "q1",
          content: `Edited ${round}`,
          clientMessageId: editId,
        });
        const b = connect(other.baseUrl, { ...user, offer: ["chat.v2"] });
        clients.push(b);
        const resumed = await b.next("session_resumed");
        const pending = await b.next("next_question");
        b.send({ type: "user_message", content: `Answer ${round}`, clientMessageId: `b-${round}` });
        const after = await b.next("next_question");
        assert.equal((await a.closed).code, 4509, "the older connection is superseded");

        const stored = await fixture.history(q1.sessionId) as Record<string, unknown>[];
        // What B was told: the resumed history; the question it asked when that history ended
        // with A's edit (the question after it never stored); its answer; the next question.
        assert.deepEqual(stored.slice(0, resumed.history.length), resumed.history);
        const afterResume = stored.slice(resumed.history.length).map((turn) =>
          `${turn.role}:${turn.questionId}:${turn.role === "user" ? turn.content : ""}`
        );
        const askedByB = resumed.history.at(-1)?.role === "user";
        assert.deepEqual(
          afterResume,
          [
            ...(askedByB ? [`assistant:${pending.question.id}:`] : []),
            `user:${pending.question.id}:Answer ${round}`,
            `assistant:${after.question.id}:`,
          ],
          "only what B was told: nothing from A after B took over",
        );
        count(
          outcomes,
          askedByB ? "edit_stored_question_lost" : resumed.history.some(
              (turn: Message) => turn.clientMessageId === editId,
            )
            ? "edit_stored"
            : "edit_refused",
        );
        const edits = stored.filter((turn) => turn.clientMessageId === editId);
        assert.ok(edits.length <= 1, "the edit is stored at most once");
        const editSeenByB = resumed.history.some((turn: Message) =>
          turn.clientMessageId === editId
        );
        assert.equal(edits.length === 1, editSeenByB, "stored only if B resumed with it");
        await b.close();
      }
      console.log(JSON.stringify(outcomes));
    } finally {
      await Promise.all(clients.map((client) => client.close()));
      await other.stop();
    }
  });
});

Deno.test("v2: a confirm racing a newer connection on another instance stores at most one document", async () => {
  await withChat(async (fixture) => {
    const other = await startFunction("chat", chatEnv(fixture.ai.url));
    const clients: TestClient[] = [];
    const outcomes: Tally = {};
    try {
      for (let round = 0; round < 6; round++) {
        const user = await fixture.newUser(2);
        const a = await v2Connection(fixture, user);
        const q1 = await a.next("next_question");
        a.send({ type: "user_message", content: "Alpha" });
        await a.next("next_question");
        a.send({ type: "user_message", content: "Beta" });
        const review = await a.next("review");
        // The confirm on one instance and the same user's newer connection on the other: at once
        // on even rounds, the newer connection first on odd ones (the superseded one confirms).
        const b = connect(other.baseUrl, { ...user, offer: ["chat.v2"], sessionId: q1.sessionId });
        clients.push(b);
        let resumedB: Message | undefined;
        if (round % 2 === 1) {
          resumedB = await b.next("session_resumed");
          if (a.socket.readyState === WebSocket.OPEN) {
            a.send({ type: "confirm", clientMessageId: `confirm-${round}` });
          }
        } else {
          a.send({ type: "confirm", clientMessageId: `confirm-${round}` });
        }
        const closedA = await a.closed;
        const firstB = resumedB ?? await b.next();
        const documents = await fixture.sql`select id, content from generated_documents
          where session_id = ${q1.sessionId}`;
        const completedA = a.received.find((m) => m.type === "session_complete");
        if (completedA) {
          // A confirmed first: B is told so, nothing else is stored.
          count(outcomes, "confirmed_first");
          assert.deepEqual(closedA, { code: 1000, reason: "interview complete" });
          assert.deepEqual(documents.map((d) => [d.id, d.content]), [
            [completedA.documentId, review.document.content],
          ]);
          if (firstB.type === "session_complete") {
            assert.equal(firstB.documentId, completedA.documentId);
          } else {
            // B's handshake looked before the commit: it opens a new interview, not this one.
            assert.equal(firstB.type, "next_question");
            assert.notEqual(firstB.sessionId, q1.sessionId);
          }
        } else {
          // B took the session first: A is superseded and its confirm stores nothing.
          count(outcomes, "superseded_first");
          // 4509; rarely a cut (Deno reports 0) when A's confirm crosses the close frame on
          // the wire (RELIABILITY.md, "Observed"): either way nothing of A's is stored.
          assert.ok(
            [4509, 0, 1006].includes(closedA.code),
            `round ${round}: closed with ${JSON.stringify(closedA)}`,
          );
          if (closedA.code !== 4509) count(outcomes, "superseded_cut");
          assert.equal(documents.length, 0, "a superseded connection cannot confirm");
          assert.equal(firstB.type, "session_resumed");
          assert.deepEqual(seen(await b.next("review")), seen(review), "B is in the same review");
          b.send({ type: "confirm" });
          const done = await b.next("session_complete");
          const stored = await fixture.sql`select id, content from generated_documents
            where session_id = ${q1.sessionId}`;
          assert.deepEqual(stored.map((d) => [d.id, d.content]), [
            [done.documentId, review.document.content],
          ]);
        }
        await b.close();
      }
      console.log(JSON.stringify(outcomes));
    } finally {
      await Promise.all(clients.map((client) => client.close()));
      await other.stop();
    }
  });
});
