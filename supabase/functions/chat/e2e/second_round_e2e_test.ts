// End-to-end: v2, second round (issue 27), over real sockets with the reference interviewer as the
// AI service. The client's tz reaches the AI request ("tomorrow" where the person is), natural
// answers are echoed as understood, every question says its maxLength, the title follows the
// parties and is stored with the session, a skipped answer is marked, an answer that no longer
// applies is marked with its kept value, and a refused edit stays on its question.
import assert from "node:assert/strict";
import {
  answerUntilReview,
  nda,
  nextOf,
  validAnswers,
  withInterviewerChat,
} from "../../../../test_support/v2_fixture.ts";
import type { Message } from "../../../../test_support/ws_client.ts";

/** The calendar day after now in `timeZone`, as the engine writes a date ("December 8, 2026"). */
function tomorrowIn(timeZone: string): string {
  const [year, month, day] = new Intl.DateTimeFormat("en-CA", { timeZone })
    .format(Date.now()).split("-").map(Number) as [number, number, number];
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(next);
}

Deno.test("v2, second round: tz, understood, maxLength, title, skipped, applies, editing", async () => {
  await withInterviewerChat(async (stack) => {
    const { token } = await stack.newUser("second-round");
    // Kiritimati is UTC+14: for most of the day its tomorrow is not UTC's.
    const tz = "Pacific/Kiritimati";
    const client = stack.connect({ token, templateId: nda.id, tz });
    const answers = validAnswers(nda, {
      party_a_name: "Acme Ltd",
      party_b_name: "Beta GmbH",
      effective_date: "tomorrow",
      confidentiality_years: "three years",
      include_non_solicit: "Yes",
      non_solicit_months: "12",
      additional_terms: "skip",
    });
    const { sessionId, questions, review } = await answerUntilReview(client, answers);

    const byId = (id: string) => questions.find((m) => m.question.id === id)!;
    const after = (id: string) => questions[questions.indexOf(byId(id)) + 1]!;

    // Every question says how long its answer may be, and where it stands.
    assert.equal(byId("party_a_name").question.maxLength, 200);
    assert.equal(byId("purpose").question.maxLength, 5_000);
    assert.deepEqual(byId("party_a_name").progress, { answered: 0, total: 10, current: 1 });
    assert.equal(byId("additional_terms").question.required, false, "optional, so skippable");

    // The title follows the parties; the generation is the connection's.
    assert.equal(byId("party_a_name").title, "Mutual Non-Disclosure Agreement");
    assert.equal(after("party_b_name").title, "NDA: Acme Ltd and Beta GmbH");
    assert.ok(questions.every((m: Message) => m.generation === questions[0]!.generation));
    const [stored] = await stack.sql`select title from chat_sessions where id = ${sessionId}`;
    assert.equal(stored!.title, "NDA: Acme Ltd and Beta GmbH", "stored with the answers");

    // What the engine read differently from the typing is echoed once, after the answer.
    assert.deepEqual(after("effective_date").understood, {
      questionId: "effective_date",
      answer: tomorrowIn(tz),
    });
    assert.deepEqual(after("confidentiality_years").understood, {
      questionId: "confidentiality_years",
      answer: "3",
    });
    assert.equal(after("party_a_name").understood, undefined, "text is stored as typed");

    // The review: the skipped answer marked, the title, nothing that does not apply yet.
    assert.deepEqual(review.answers.at(-1), {
      questionId: "additional_terms",
      question: byId("additional_terms").question.text,
      answer: "",
      skipped: true,
    });
    assert.equal(review.title, "NDA: Acme Ltd and Beta GmbH");
    assert.equal(review.answers.some((a: Message) => a.applies === false), false);

    // An edit that closes a condition: the dependent answer is marked, with its kept value.
    client.send({ type: "edit_answer", questionId: "include_non_solicit", content: "No" });
    const closed = await nextOf(client, ["review"]);
    assert.deepEqual(
      closed.answers.find((a: Message) => a.questionId === "non_solicit_months"),
      {
        questionId: "non_solicit_months",
        question: byId("non_solicit_months").question.text,
        answer: "12",
        applies: false,
      },
    );
    assert.doesNotMatch(closed.document.content, /12 months/);

    // A refused edit stays on its question, in the review's editor.
    client.send({ type: "edit_answer", questionId: "party_a_email", content: "not an email" });
    const refused = await nextOf(client, ["next_question"]);
    assert.equal(refused.question.id, "party_a_email");
    assert.equal(refused.editing, true);
    assert.match(refused.problem, /email/);
    assert.equal(refused.progress.current, 2, "progress shows the question being edited");

    // Fixed, it is the review again, the condition turned back brings the kept value back.
    client.send({ type: "edit_answer", questionId: "party_a_email", content: "a@acme.test" });
    const fixed = await nextOf(client, ["review"]);
    assert.equal(
      fixed.answers.find((a: Message) => a.questionId === "party_a_email").answer,
      "a@acme.test",
    );
    client.send({ type: "edit_answer", questionId: "include_non_solicit", content: "Yes" });
    const back = await nextOf(client, ["review"]);
    const months = back.answers.find((a: Message) => a.questionId === "non_solicit_months");
    assert.deepEqual([months.answer, months.applies], ["12", undefined]);

    // Resumed elsewhere: the same marks.
    await client.close();
    const again = stack.connect({ token, templateId: nda.id, tz });
    const resumed = await nextOf(again, ["session_resumed"]);
    assert.equal(resumed.title, "NDA: Acme Ltd and Beta GmbH");
    assert.equal(
      resumed.answers.find((a: Message) => a.questionId === "additional_terms").skipped,
      true,
    );
  });
});

Deno.test("v1 hears none of the second round; its title is stored all the same", async () => {
  await withInterviewerChat(async (stack) => {
    const { token } = await stack.newUser("second-round-v1");
    const client = stack.connect({
      token,
      templateId: nda.id,
      tz: "Europe/Berlin",
      offer: [],
      tokenIn: "query",
    });
    const first = await nextOf(client, ["next_question"]);
    assert.deepEqual(Object.keys(first).sort(), ["question", "sessionId", "type"]);
    assert.deepEqual(Object.keys(first.question).sort(), ["id", "text"]);
    client.send({ type: "user_message", content: "Acme Ltd" });
    const second = await nextOf(client, ["next_question"]);
    assert.deepEqual(Object.keys(second).sort(), ["question", "sessionId", "type"]);
    const [stored] = await stack
      .sql`select title from chat_sessions where id = ${second.sessionId}`;
    assert.equal(stored!.title, "Mutual Non-Disclosure Agreement", "stored, though never sent");
  });
});
