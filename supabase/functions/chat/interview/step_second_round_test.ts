// v2, second round (issue 27), as data: the built-in engine answers, `step` turns its answers into
// frames. Time zone, understood, answers that no longer apply, skipped answers, edits that stay
// put, maxLength, the title and the connection's generation. No database, no socket, no clock.
import assert from "node:assert/strict";
import { loadTemplates } from "../../../../scripts/seed/seeded_templates.ts";
import type { ServerMessage, Turn } from "../../_shared/wire/protocol.ts";
import { createBuiltinNextQuestionSource } from "../adapters/builtin_next_question_source.ts";
import type { TemplateRecord } from "../ports/session_store.ts";
import type { Effect, InterviewEvent, InterviewFrame, InterviewState } from "./state.ts";
import { initialState, step as stepOnce } from "./step.ts";

const nda = (await loadTemplates()).find((t) => t.slug === "mutual-nda")!;
const record: TemplateRecord = {
  id: nda.id,
  slug: nda.slug,
  name: nda.name,
  description: nda.description ?? "",
  questions: nda.questions,
  body: nda.body,
  title: nda.title,
};
const engine = createBuiltinNextQuestionSource();
const textOf = (id: string) =>
  (nda.questions as { id: string; text: string }[]).find((q) => q.id === id)!.text;
const context = {
  userId: "u1",
  connectionId: "c1",
  template: record,
  version: "v2" as const,
};
const at = "2026-12-07T10:00:00.000Z";

/** Every event the runner would feed back, the engine answering; returns the sends and state. */
type Untimed<E> = E extends unknown ? Omit<E, "at"> : never;

async function drive(state: InterviewState, first: Untimed<InterviewEvent>) {
  const effects: Effect[] = [];
  let event: InterviewEvent | undefined = { ...first, at } as InterviewEvent;
  let turnCount = state.turnCount;
  while (event) {
    const result = stepOnce(state, event);
    state = result.state;
    effects.push(...result.effects);
    const next = result.next;
    if (!next) break;
    effects.push(next);
    if (next.kind === "ask_ai") {
      event = { type: "question_answered", result: await engine.next(next.request), at };
    } else if (next.kind === "append_turns") {
      turnCount += next.turns.length;
      event = { type: "turns_stored", turnCount, at };
    } else if (next.kind === "store_review") {
      event = { type: "review_stored", at };
    } else if (next.kind === "open_session") {
      event = undefined;
    } else {
      throw new Error(`Not driven here: ${next.kind}`);
    }
  }
  const sends = effects.flatMap((e) => e.kind === "send" ? [e.message] : []);
  return { state, effects, sends };
}

/** A v2 session on `history`, opened with generation 7, after its first frames. */
async function openOn(
  history: Turn[],
  extra: Partial<typeof context> & { timeZone?: string } = {},
) {
  const connected = stepOnce(initialState({ ...context, ...extra }), {
    type: "connected",
    restart: false,
    at,
  }).state;
  return await drive(connected, {
    type: "session_opened",
    session: {
      sessionId: "s1",
      history,
      turnCount: history.length,
      created: history.length === 0,
      generation: 7n,
    },
  });
}

/** The answers so far, each asked and answered, in order. */
function historyOf(...pairs: [string, string][]): Turn[] {
  return pairs.flatMap(([questionId, content]): Turn[] => [
    { role: "assistant", content: `${questionId}?`, questionId, at, source: "builtin" },
    { role: "user", content, questionId, at },
  ]);
}
const upToNonSolicit = historyOf(
  ["party_a_name", "Acme Ltd"],
  ["party_a_email", "legal@acme.test"],
  ["party_b_name", "Beta GmbH"],
  ["party_b_email", "legal@beta.test"],
  ["effective_date", "2026-12-14"],
  ["purpose", "To talk about a deal"],
  ["confidentiality_years", "3"],
  ["governing_law", "Delaware"],
  ["include_non_solicit", "Yes"],
  ["non_solicit_months", "12"],
);

const frame = (frame: InterviewFrame) => ({ type: "frame", frame }) as const;
const last = <T extends ServerMessage["type"]>(sends: ServerMessage[], type: T) =>
  sends.findLast((m) => m.type === type) as Extract<ServerMessage, { type: T }>;

Deno.test("a new v2 session's first question carries the title, generation and maxLength", async () => {
  const { sends } = await openOn([]);
  const question = last(sends, "next_question");
  assert.equal(question.title, "Mutual Non-Disclosure Agreement", "no party yet: the name");
  assert.equal(question.generation, "7");
  assert.equal(question.question.maxLength, 200, "a short text takes 200 characters");
  assert.deepEqual(question.progress, { answered: 0, total: 10, current: 1 });
});

Deno.test("an answer is stored with the title it makes, in the same append", async () => {
  const opened = await openOn(
    historyOf(["party_a_name", "Acme Ltd"]).concat(
      historyOf(["party_a_email", "a@acme.test"]),
      [{ role: "assistant", content: "b?", questionId: "party_b_name", at, source: "builtin" }],
    ),
  );
  const { effects, sends } = await drive(
    opened.state,
    frame({
      type: "user_message",
      content: "Beta GmbH",
    }),
  );
  const append = effects.find((e) => e.kind === "append_turns");
  assert.equal(append?.kind === "append_turns" && append.title, "NDA: Acme Ltd and Beta GmbH");
  assert.equal(last(sends, "next_question").title, "NDA: Acme Ltd and Beta GmbH");
});

Deno.test("long text says 5,000; the v1 question carries none of the second round", async () => {
  const purpose = historyOf(
    ["party_a_name", "A"],
    ["party_a_email", "a@a.test"],
    ["party_b_name", "B"],
    ["party_b_email", "b@b.test"],
    ["effective_date", "2026-12-14"],
  );
  const v2 = await openOn(purpose);
  assert.equal(last(v2.sends, "next_question").question.maxLength, 5_000);
  const v1 = await openOn(purpose, { version: "v1" as never });
  const asked = last(v1.sends, "next_question");
  assert.deepEqual(Object.keys(asked).sort(), ["question", "sessionId", "type"]);
  assert.deepEqual(Object.keys(asked.question).sort(), ["id", "text"]);
  assert.equal(v1.sends.find((m) => m.type === "session_resumed" && "title" in m), undefined);
});

Deno.test("the client's time zone reaches the engine's request", async (t) => {
  const history = historyOf(["party_a_name", "A"]);
  await t.step("from the connect URL", async () => {
    const { state, effects } = await openOn(history, { timeZone: "Pacific/Kiritimati" });
    assert.equal(state.timeZone, "Pacific/Kiritimati");
    // The history ends with an answer, so the open asks the engine what comes next.
    const request = effects.find((e) => e.kind === "ask_ai");
    assert.equal(request?.kind === "ask_ai" && request.request.tz, "Pacific/Kiritimati");
  });
  await t.step("an answer's tz replaces it; an unknown one is ignored", async () => {
    const { state } = await openOn(history, { timeZone: "Europe/Berlin" });
    const named = await drive(
      state,
      frame({
        type: "user_message",
        content: "a@a.test",
        tz: "America/New_York",
      }),
    );
    const request = named.effects.find((e) => e.kind === "ask_ai");
    assert.equal(request?.kind === "ask_ai" && request.request.tz, "America/New_York");
    const unknown = await drive(
      named.state,
      frame({
        type: "user_message",
        content: "B",
        tz: "Atlantis/Capital",
      }),
    );
    const again = unknown.effects.find((e) => e.kind === "ask_ai");
    assert.equal(again?.kind === "ask_ai" && again.request.tz, "America/New_York");
  });
});

Deno.test("an answer read differently from the typing is echoed as understood", async () => {
  const history = historyOf(
    ["party_a_name", "A"],
    ["party_a_email", "a@a.test"],
    ["party_b_name", "B"],
    ["party_b_email", "b@b.test"],
    ["effective_date", "2026-12-14"],
    ["purpose", "A deal"],
  );
  history.push({
    role: "assistant",
    content: "years?",
    questionId: "confidentiality_years",
    at,
    source: "builtin",
  });
  const { state } = await openOn(history);
  const { sends, effects } = await drive(
    state,
    frame({
      type: "user_message",
      content: "three years",
    }),
  );
  assert.deepEqual(last(sends, "next_question").understood, {
    questionId: "confidentiality_years",
    answer: "3",
  });
  const stored = effects.filter((e) => e.kind === "append_turns").at(-1);
  assert.equal(
    stored?.kind === "append_turns" && "understood" in stored.turns[0]!,
    false,
    "the echo is said once, not stored with the question",
  );
});

Deno.test("answers that no longer apply are marked with their kept value, and come back", async (t) => {
  const asked: Turn = {
    role: "assistant",
    content: "Anything else?",
    questionId: "additional_terms",
    at,
    source: "builtin",
  };
  const { state } = await openOn([...upToNonSolicit, asked]);

  await t.step("closed by an edit, listed as not applying; on resume too; back again", async () => {
    const edited = await drive(
      state,
      frame({
        type: "edit_answer",
        questionId: "include_non_solicit",
        content: "No",
      }),
    );
    const next = last(edited.sends, "next_question");
    assert.equal(next.question.id, "additional_terms");
    assert.equal(next.editing, undefined);
    assert.deepEqual(next.answers?.find((a) => a.questionId === "non_solicit_months"), {
      questionId: "non_solicit_months",
      question: textOf("non_solicit_months"),
      answer: "12",
      applies: false,
    });
    assert.equal(next.progress?.total, 10, "the months question no longer counts");

    const resumed = await openOn([...edited.state.history]);
    const answers = last(resumed.sends, "session_resumed").answers ?? [];
    assert.equal(answers.find((a) => a.questionId === "non_solicit_months")?.applies, false);
    assert.equal(answers.find((a) => a.questionId === "include_non_solicit")?.answer, "No");

    // Turned back, the kept value applies again.
    const back = await drive(
      edited.state,
      frame({
        type: "edit_answer",
        questionId: "include_non_solicit",
        content: "Yes",
      }),
    );
    const months = last(back.sends, "next_question").answers
      ?.find((a) => a.questionId === "non_solicit_months");
    assert.deepEqual(months?.answer, "12");
    assert.equal(months?.applies, undefined);
  });
});

Deno.test("a skipped optional answer is marked skipped in the review", async () => {
  const { state } = await openOn([...upToNonSolicit, {
    role: "assistant",
    content: "Anything else?",
    questionId: "additional_terms",
    at,
    source: "builtin",
  }]);
  const asked = last((await openOn([...upToNonSolicit])).sends, "next_question");
  assert.equal(asked.question.required, false, "the optional question says so");
  const { sends } = await drive(state, frame({ type: "user_message", content: "skip" }));
  const review = last(sends, "review");
  assert.deepEqual(review.answers.at(-1), {
    questionId: "additional_terms",
    question: textOf("additional_terms"),
    answer: "",
    skipped: true,
  });
  assert.equal(review.title, "NDA: Acme Ltd and Beta GmbH");
  assert.equal(review.generation, "7");
});

Deno.test("a refused edit stays on its question: editing, its position, the problem", async () => {
  const { state } = await openOn([...upToNonSolicit, {
    role: "assistant",
    content: "Anything else?",
    questionId: "additional_terms",
    at,
    source: "builtin",
  }]);
  const { sends, effects } = await drive(
    state,
    frame({
      type: "edit_answer",
      questionId: "party_a_email",
      content: "not an email",
    }),
  );
  assert.equal(effects.filter((e) => e.kind === "append_turns").length, 2, "edit and re-ask");
  const next = last(sends, "next_question");
  assert.equal(next.question.id, "party_a_email");
  assert.equal(next.editing, true);
  assert.match(next.problem ?? "", /email address/);
  assert.equal(next.progress?.current, 2, "the question being edited, not the last one");
  const stored = effects.filter((e) => e.kind === "append_turns").at(-1);
  assert.equal(
    stored?.kind === "append_turns" && stored.turns[0]?.editing,
    true,
    "stored, so a resumed client reopens the editor",
  );
  const edited = await drive(
    state,
    frame({
      type: "edit_answer",
      questionId: "party_a_email",
      content: "still not one",
    }),
  );
  const resumed = await openOn([...edited.state.history]);
  assert.equal(last(resumed.sends, "next_question").editing, true);
});
