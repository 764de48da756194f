// End-to-end: interview v2 (docs/protocol.md, "v2"), every rule of the contract over real sockets:
// the chat function and the reference interviewer each in its own process, on the seeded
// templates, with what is stored checked in the local Postgres. v1 stays as it was: the v1
// suite is unchanged, and the v1 cases here show a v1 connection never sees v2.
import assert from "node:assert/strict";
import { questionHint, questionText } from "../../_shared/template/interview_engine.ts";
import type { Question as TemplateQuestion } from "../../_shared/template/template.ts";
import { QUESTION_TYPES } from "../../_shared/wire/constants.ts";
import { ChatClient, type ChatClientEventMap } from "../../../../client/chat_client.ts";
import { withChat } from "../../../../test_support/chat_fixture.ts";
import {
  answerUntilReview,
  nda,
  nextOf,
  offer,
  storedSession,
  validAnswers,
  withInterviewerChat,
} from "../../../../test_support/v2_fixture.ts";
import type { Message } from "../../../../test_support/ws_client.ts";

const byId = (id: string) => nda.questions.find((question) => question.id === id)!;

/** The v2 question the template's question is sent as: the plain text and its details. */
function v2View(question: TemplateQuestion) {
  return {
    id: question.id,
    text: question.text,
    type: question.type,
    required: question.required,
    ...(question.type === "choice" ? { options: question.options } : {}),
    ...(question.type === "yes_no" ? { options: ["Yes", "No"] } : {}),
    ...(questionHint(question) !== undefined ? { hint: questionHint(question) } : {}),
    ...(question.min !== undefined ? { min: question.min } : {}),
    ...(question.max !== undefined ? { max: question.max } : {}),
    ...(question.currency !== undefined ? { currency: question.currency } : {}),
    maxLength: question.type === "short_text" ? 200 : 5_000,
  };
}

const ANSWERS = validAnswers(nda, {
  party_a_name: "Acme Robotics, Inc.",
  party_b_name: "Blue Harbor LLC",
  include_non_solicit: "nope",
  non_solicit_months: "17",
});
const userTurns = (history: Record<string, unknown>[]) =>
  history.filter((turn) => turn.role === "user");

Deno.test("v2 negotiation: chat.v2 when offered, chat.v1 otherwise, v1 without a subprotocol", async (t) => {
  await withInterviewerChat(async ({ connect, newUser, history }) => {
    const { token } = await newUser();

    await t.step("chat.v2 is echoed when offered, alone or next to chat.v1", async () => {
      for (const offer of [["chat.v2"], ["chat.v1", "chat.v2"]]) {
        const client = connect({ token, templateId: nda.id, offer });
        assert.equal(await client.protocol, "chat.v2");
        const first = await client.next("next_question");
        assert.deepEqual(first.question, v2View(byId("party_a_name")));
        assert.deepEqual(first.progress, { answered: 0, total: 10, current: 1 });
        await client.close();
      }
    });

    await t.step("chat.v1 when only it is offered: text-only questions, no v2 frames", async () => {
      const client = connect({ token, templateId: nda.id, offer: ["chat.v1"], restart: true });
      assert.equal(await client.protocol, "chat.v1");
      const first = await client.next("next_question");
      assert.deepEqual(Object.keys(first).sort(), ["question", "sessionId", "type"]);
      assert.deepEqual(first.question, {
        id: "party_a_name",
        text: questionText(byId("party_a_name")),
      });
      client.send({ type: "user_message", content: ANSWERS.party_a_name });
      await client.next("next_question");
      for (
        const frame of [
          { type: "edit_answer", questionId: "party_a_name", content: "Globex" },
          { type: "confirm" },
        ]
      ) {
        client.send(frame);
        const error = await client.next("error");
        assert.equal(error.code, "unknown_type");
        assert.equal(error.message, `Unknown message type "${frame.type}"`);
      }
      assert.equal(userTurns(await history(first.sessionId)).length, 1, "nothing stored");
      await client.close();
    });

    await t.step("no subprotocol (the token in the query) is v1", async () => {
      const client = connect({ token, templateId: nda.id, offer: [], tokenIn: "query" });
      assert.equal(await client.protocol, "");
      await client.next("session_resumed").then((resumed) => {
        assert.equal(resumed.answers, undefined, "v1 resumes without answers");
      });
      const pending = await client.next("next_question");
      assert.deepEqual(pending.question, {
        id: "party_a_email",
        text: questionText(byId("party_a_email")),
      });
      assert.equal(pending.progress, undefined);
      client.send({ type: "edit_answer", questionId: "party_a_name", content: "Globex" });
      assert.equal((await client.next("error")).code, "unknown_type");
      await client.close();
    });
  });
});

Deno.test("v2 structured questions: each type's fields, progress as conditions change, problem on a re-ask", async (t) => {
  await withInterviewerChat(async ({ connect, newUser }) => {
    const { token } = await newUser();
    const seenTypes = new Set<string>();

    for (const template of [nda, offer]) {
      await t.step(`${template.slug}: every question with its details`, async () => {
        const answers = validAnswers(template);
        const client = connect({ token, templateId: template.id });
        const { questions, review } = await answerUntilReview(client, answers);
        let answered = 0;
        for (const message of questions) {
          const question = template.questions.find((q) => q.id === message.question.id)!;
          assert.deepEqual(message.question, v2View(question), question.id);
          assert.equal(message.progress.answered, answered++, "answered counts up");
          assert.equal(message.problem, undefined);
          seenTypes.add(question.type);
        }
        if (template === nda) {
          const asked = new Map(questions.map((m) => [m.question.id, m.question]));
          assert.deepEqual(asked.get("governing_law").options, byId("governing_law").options);
          assert.equal(asked.get("purpose").hint, byId("purpose").hint);
          assert.equal(asked.get("additional_terms").required, false);
          assert.deepEqual(
            [asked.get("confidentiality_years").min, asked.get("confidentiality_years").max],
            [1, 10],
          );
        }
        assert.equal(review.type, "review");
        await client.close();
      });
    }

    await t.step("the seeded templates cover every question type", () => {
      assert.deepEqual([...seenTypes].sort(), [...QUESTION_TYPES].sort());
    });

    await t.step("explicitly: options, yes/no, hint, bounds, currency, optional", async () => {
      const { token } = await newUser();
      const client = connect({ token, templateId: offer.id });
      const { questions } = await answerUntilReview(client, validAnswers(offer));
      const asked = new Map(questions.map((m) => [m.question.id, m.question]));
      assert.deepEqual(asked.get("employment_type").options, ["Full-time", "Part-time"]);
      assert.deepEqual(asked.get("offers_equity").options, ["Yes", "No"]);
      assert.equal(asked.get("offers_equity").type, "yes_no");
      assert.equal(asked.get("base_salary").currency, "USD");
      assert.equal(asked.get("base_salary").type, "amount");
      assert.equal(asked.get("weekly_hours").min, 1);
      assert.equal(asked.get("weekly_hours").max, 39);
      assert.equal(asked.get("signing_bonus").required, false);
      assert.equal(asked.get("start_date").type, "date");
      await client.close();
    });

    await t.step(
      "progress.total counts the questions that apply as the answers change",
      async () => {
        const { token } = await newUser();
        const client = connect({ token, templateId: nda.id });
        const totals: [string, number][] = [];
        const { questions } = await answerUntilReview(
          client,
          { ...ANSWERS, include_non_solicit: "yes" },
        );
        for (const message of questions) totals.push([message.question.id, message.progress.total]);
        assert.deepEqual(totals.find(([id]) => id === "include_non_solicit"), [
          "include_non_solicit",
          10,
        ]);
        assert.deepEqual(totals.find(([id]) => id === "non_solicit_months"), [
          "non_solicit_months",
          11,
        ]);
        await client.close();
      },
    );

    await t.step("a refused answer is asked again: the plain text, problem says why", async () => {
      const { token } = await newUser();
      const client = connect({ token, templateId: nda.id });
      await client.next("next_question");
      client.send({ type: "user_message", content: ANSWERS.party_a_name });
      const email = await client.next("next_question");
      client.send({ type: "user_message", content: "jane at example" });
      const again = await client.next("next_question");
      assert.deepEqual(again.question, email.question, "the same question, the plain text");
      assert.equal(typeof again.problem, "string");
      assert.match(again.problem, /email/i);
      assert.deepEqual(again.progress, { answered: 1, total: 10, current: 2 });
      client.send({ type: "user_message", content: "jane@example.com" });
      const next = await client.next("next_question");
      assert.equal(next.question.id, "party_b_name");
      assert.equal(next.problem, undefined, "no problem once accepted");
      await client.close();
    });
  });
});

Deno.test("v2 edits, review and confirm over one interview of the seeded NDA", async (t) => {
  await withInterviewerChat(async ({ sql, connect, newUser, history }) => {
    const { userId, token } = await newUser();
    let client = connect({ token, templateId: nda.id });
    const first = await client.next("next_question");
    const sessionId: string = first.sessionId;
    client.send({ type: "user_message", content: ANSWERS.party_a_name });
    await client.next("next_question");
    client.send({ type: "user_message", content: ANSWERS.party_a_email });
    const partyB = await client.next("next_question");
    assert.equal(partyB.question.id, "party_b_name");
    let pending: Message = partyB;

    await t.step(
      "edit while questions are asked: stored as a turn, the pending question next",
      async () => {
        const before = await history(sessionId);
        client.send({
          type: "edit_answer",
          questionId: "party_a_name",
          content: "Acme Edited Corp.",
          clientMessageId: "edit-1",
        });
        const next = await nextOf(client, ["next_question"]);
        assert.deepEqual(next.question, partyB.question, "the pending question again");
        assert.equal(next.problem, undefined);
        const after = await history(sessionId);
        assert.deepEqual(after.slice(0, before.length), before, "the history stays append-only");
        const edits = after.slice(before.length).filter((turn) => turn.role === "user");
        assert.equal(edits.length, 1);
        assert.equal(edits[0]!.edit, true);
        assert.equal(edits[0]!.questionId, "party_a_name");
        assert.equal(edits[0]!.content, "Acme Edited Corp.");
      },
    );

    await t.step(
      "an edit resent with its clientMessageId is stored once, answered the same",
      async () => {
        const before = await history(sessionId);
        client.send({
          type: "edit_answer",
          questionId: "party_a_name",
          content: "Acme Edited Corp.",
          clientMessageId: "edit-1",
        });
        const next = await nextOf(client, ["next_question"]);
        assert.deepEqual(next.question, partyB.question);
        assert.deepEqual(await history(sessionId), before, "nothing stored");
      },
    );

    await t.step("user_message keeps its stale-question check in v2", async () => {
      const before = await history(sessionId);
      client.send({ type: "user_message", content: "late", questionId: "party_a_email" });
      const error = await client.next("error");
      assert.equal(error.code, "stale_question");
      assert.equal(
        error.message,
        'Question "party_a_email" is no longer pending; "party_b_name" is',
      );
      assert.deepEqual(await history(sessionId), before);
    });

    await t.step(
      "unknown_question: an edit of a question never asked in this session",
      async () => {
        const before = await history(sessionId);
        for (const questionId of ["governing_law", "no_such_question"]) {
          client.send({ type: "edit_answer", questionId, content: "Delaware" });
          const error = await client.next("error");
          assert.equal(error.code, "unknown_question");
          assert.equal(error.message, `Question "${questionId}" was never asked in this interview`);
          assert.equal(error.retryable, false);
        }
        assert.deepEqual(await history(sessionId), before, "nothing stored");
      },
    );

    await t.step("not_in_review: confirm while questions are asked", async () => {
      client.send({ type: "confirm", clientMessageId: "early" });
      const error = await client.next("error");
      assert.equal(error.code, "not_in_review");
      assert.equal(await storedSession(sql, sessionId).then((s) => s.documents), 0);
      assert.equal(client.socket.readyState, WebSocket.OPEN);
    });

    await t.step(
      "session_resumed carries the current answers, the latest one counting",
      async () => {
        await client.close();
        client = connect({ token, templateId: nda.id });
        const resumed = await client.next("session_resumed");
        assert.deepEqual(resumed.history, await history(sessionId));
        assert.deepEqual(resumed.answers, [
          {
            questionId: "party_a_name",
            question: byId("party_a_name").text,
            answer: "Acme Edited Corp.",
          },
          {
            questionId: "party_a_email",
            question: byId("party_a_email").text,
            answer: "Jane.party_a_email@example.com",
          },
        ]);
        pending = await client.next("next_question");
        assert.deepEqual(pending.question, partyB.question);
      },
    );

    let review: Message;
    await t.step(
      "every question that applies answered: review, nothing stored as a document",
      async () => {
        ({ review } = await answerUntilReview(client, ANSWERS, pending));
        assert.equal(review.sessionId, sessionId);
        assert.deepEqual(review.answers.map((a: Message) => a.questionId), [
          "party_a_name",
          "party_a_email",
          "party_b_name",
          "party_b_email",
          "effective_date",
          "purpose",
          "confidentiality_years",
          "governing_law",
          "include_non_solicit",
          "additional_terms",
        ]);
        assert.equal(review.document.format, "markdown");
        assert.match(review.document.content, /Acme Edited Corp\./);
        const stored = await storedSession(sql, sessionId);
        assert.equal(stored.documents, 0, "a preview only");
        assert.equal(stored.is_complete, false);
        assert.deepEqual(stored.review, review.document, "the preview is stored with the session");
      },
    );

    await t.step("an edit in review: back to review with the new document", async () => {
      client.send({
        type: "edit_answer",
        questionId: "party_b_name",
        content: "Globex Edited LLC",
      });
      review = await nextOf(client, ["review"]);
      assert.match(review.document.content, /Globex Edited LLC/);
      assert.doesNotMatch(review.document.content, /Blue Harbor LLC/);
      assert.equal(
        review.answers.find((a: Message) => a.questionId === "party_b_name").answer,
        "Globex Edited LLC",
      );
    });

    await t.step("an edit that makes a question apply: it is asked, then review", async () => {
      client.send({ type: "edit_answer", questionId: "include_non_solicit", content: "yes" });
      const asked = await nextOf(client, ["next_question"]);
      assert.deepEqual(asked.question, v2View(byId("non_solicit_months")));
      assert.deepEqual(asked.progress, { answered: 10, total: 11, current: 10 });
      client.send({ type: "confirm" });
      assert.equal((await client.next("error")).code, "not_in_review", "a question is pending");
      client.send({ type: "user_message", content: "17", questionId: "non_solicit_months" });
      review = await nextOf(client, ["review"]);
      assert.ok(review.answers.some((a: Message) => a.questionId === "non_solicit_months"));
      assert.match(review.document.content, /## \d+\. Non-Solicitation/);
      assert.match(review.document.content, /17 months/);
    });

    await t.step(
      "an edit that makes a question no longer apply: it leaves answers and document",
      async () => {
        client.send({ type: "edit_answer", questionId: "include_non_solicit", content: "no" });
        review = await nextOf(client, ["review"]);
        // Listed as no longer applying, with the value kept for it; the document leaves it out.
        assert.deepEqual(
          review.answers.find((a: Message) => a.questionId === "non_solicit_months"),
          {
            questionId: "non_solicit_months",
            question: byId("non_solicit_months").text,
            answer: "17",
            applies: false,
          },
        );
        assert.doesNotMatch(review.document.content, /## \d+\. Non-Solicitation/);
        assert.doesNotMatch(review.document.content, /17 months/);
        const before = await history(sessionId);
        client.send({ type: "edit_answer", questionId: "non_solicit_months", content: "12" });
        const error = await client.next("error");
        assert.equal(error.code, "question_not_applicable");
        assert.equal(
          error.message,
          'Question "non_solicit_months" does not apply given your other answers; ' +
            "change the answer it depends on first",
        );
        assert.deepEqual(await history(sessionId), before, "an edit that would count for nothing");
      },
    );

    await t.step("a refused edit is asked again as that question, with problem", async () => {
      const before = await storedSession(sql, sessionId);
      client.send({ type: "edit_answer", questionId: "party_a_email", content: "not an email" });
      const again = await nextOf(client, ["next_question"]);
      assert.deepEqual(again.question, v2View(byId("party_a_email")));
      assert.match(again.problem, /email/i);
      assert.equal(again.editing, true, "the editor stays open on the edited question");
      client.send({ type: "confirm" });
      assert.equal((await client.next("error")).code, "not_in_review", "the review is gone");
      client.send({
        type: "user_message",
        content: "legal@acme.example",
        questionId: "party_a_email",
      });
      review = await nextOf(client, ["review"]);
      assert.equal(
        review.answers.find((a: Message) => a.questionId === "party_a_email").answer,
        "legal@acme.example",
      );
      assert.ok((await storedSession(sql, sessionId)).turn_count > before.turn_count);
    });

    await t.step(
      "a resumed session in review: session_resumed, then the same review again",
      async () => {
        await client.close();
        client = connect({ token, templateId: nda.id });
        const resumed = await client.next("session_resumed");
        assert.deepEqual(resumed.answers, review.answers);
        const again = await nextOf(client, ["review"]);
        assert.ok(BigInt(again.generation) > BigInt(review.generation), "a new connection's claim");
        assert.deepEqual({ ...again, generation: review.generation }, review);
      },
    );

    let done: Message;
    await t.step(
      "confirm stores exactly the previewed document; a storm completes once",
      async () => {
        for (let i = 0; i < 5; i++) client.send({ type: "confirm", clientMessageId: "confirm-1" });
        done = await client.next("session_complete");
        assert.equal(done.sessionId, sessionId);
        assert.deepEqual(await client.closed, { code: 1000, reason: "interview complete" });
        assert.equal(client.received.filter((m) => m.type === "session_complete").length, 1);
        const stored = await storedSession(sql, sessionId);
        assert.equal(stored.is_complete, true);
        assert.equal(stored.documents, 1);
        const [document] = stored.stored;
        assert.equal(document.id, done.documentId);
        assert.equal(document.content, review.document.content, "exactly the previewed bytes");
        assert.equal(document.title, review.document.title);
        assert.equal(document.format, review.document.format);
      },
    );

    await t.step("a resent confirm is answered the same way", async () => {
      const resent = connect({ token, templateId: nda.id, sessionId });
      assert.deepEqual(await resent.next("session_complete"), done);
      assert.deepEqual(await resent.closed, { code: 1000, reason: "interview complete" });
      const [{ count }] = await sql`select count(*)::int from generated_documents
        where user_id = ${userId}` as unknown as [{ count: number }];
      assert.equal(count, 1, "still one document");
    });
  });
});

Deno.test("v2 with an AI service that knows only the original contract: text-only questions, its document reviewed", async (t) => {
  await withChat(async ({ sql, ai, newUser, connect, history }) => {
    const { token, templateId } = await newUser(2);

    await t.step("v1: completes after the last answer, as before", async () => {
      const client = connect({ token, templateId });
      assert.equal(await client.protocol, "chat.v1");
      for (const [index, content] of ["One", "Two"].entries()) {
        const asked = await client.next("next_question");
        assert.deepEqual(asked.question, { id: `q${index + 1}`, text: `Question ${index + 1}?` });
        client.send({ type: "user_message", content });
      }
      const done = await client.next("session_complete");
      assert.equal((await client.closed).code, 1000);
      const stored = await storedSession(sql, done.sessionId);
      assert.equal(stored.stored[0].content, "q1: One\nq2: Two");
    });

    await t.step(
      "v2: text-only questions, edits, the review of its document, confirm",
      async () => {
        const client = connect({ token, templateId, offer: ["chat.v2"] });
        assert.equal(await client.protocol, "chat.v2");
        const first = await client.next("next_question");
        assert.deepEqual(first, {
          type: "next_question",
          sessionId: first.sessionId,
          question: { id: "q1", text: "Question 1?", maxLength: 5_000 },
          title: "Test template",
          generation: first.generation,
        });
        client.send({ type: "user_message", content: "One" });
        await client.next("next_question");
        client.send({ type: "user_message", content: "Two" });
        let review = await nextOf(client, ["review"]);
        assert.deepEqual(review.document, {
          title: "Test template",
          content: "q1: One\nq2: Two",
          format: "markdown",
        });
        assert.deepEqual(review.answers, [
          { questionId: "q1", question: "Question 1?", answer: "One" },
          { questionId: "q2", question: "Question 2?", answer: "Two" },
        ]);
        client.send({ type: "edit_answer", questionId: "q1", content: "Uno" });
        review = await nextOf(client, ["review"]);
        assert.equal(review.document.content, "q1: Uno\nq2: Two");
        assert.equal(ai.requests.at(-1)!.history.at(-1)!.content, "Uno");
        client.send({ type: "confirm" });
        const done = await client.next("session_complete");
        const stored = await storedSession(sql, done.sessionId);
        assert.equal(stored.stored[0].content, review.document.content);
        assert.equal(userTurns(await history(done.sessionId)).length, 3);
      },
    );
  });
});

Deno.test("the client SDK speaks v2 to the real chat: details, review, edit, confirm", async () => {
  await withInterviewerChat(async ({ sql, chatUrl, newUser }) => {
    const { token } = await newUser("sdk");
    const chat = new ChatClient({
      url: chatUrl,
      templateId: nda.id,
      getToken: () => token,
      heartbeatIntervalMs: 0,
    });
    const questions: ChatClientEventMap["question"][] = [];
    const reviews: ChatClientEventMap["review"][] = [];
    const completed = Promise.withResolvers<ChatClientEventMap["complete"]>();
    const closed = Promise.withResolvers<number | undefined>();
    const answers: Record<string, string> = { ...ANSWERS, include_non_solicit: "yes" };
    chat.on("question", (detail) => {
      questions.push(detail);
      chat.answer(answers[detail.question.id]!);
    });
    chat.on("review", (detail) => {
      reviews.push(detail);
      if (reviews.length === 1) chat.edit("party_b_name", "Globex SDK LLC");
      else chat.confirm();
    });
    chat.on("complete", (detail) => completed.resolve(detail));
    chat.on("state", ({ state, code }) => state === "closed" && closed.resolve(code));
    chat.on("error", (detail) => completed.reject(new Error(JSON.stringify(detail))));
    try {
      chat.connect();
      const done = await completed.promise;
      assert.equal(await closed.promise, 1000);
      assert.equal(chat.protocol, "v2");
      assert.deepEqual(questions[0], {
        sessionId: done.sessionId,
        question: v2View(byId("party_a_name")),
        repeated: false,
        progress: { answered: 0, total: 10, current: 1 },
        // The template's name until the title rule's answers are given.
        title: nda.name,
      });
      const months = questions.find((q) => q.question.id === "non_solicit_months")!;
      assert.deepEqual(months.progress, { answered: 9, total: 11, current: 10 });
      assert.equal(reviews.length, 2);
      assert.match(reviews[1]!.document.content, /Globex SDK LLC/);
      const [stored] = await sql`select content from generated_documents
        where id = ${done.documentId}`;
      assert.equal(stored!.content, reviews[1]!.document.content);
    } finally {
      chat.close();
    }
  });
});
