// The interviewer's handler, called directly with Requests: no server; the sessionId mode reads
// the real local database.
import assert from "node:assert/strict";
import { createLogger } from "../_shared/platform/logger.ts";
import { createInterviewerHandler, type Handler } from "./handler.ts";
import { MAX_REQUEST_BYTES } from "./next_question_request.ts";
import { createDatabase } from "../_shared/platform/database.ts";
import { adminSql, createUser, DB_URL } from "../../../test_support/local_stack.ts";
import { createPostgresSessionReader, type SessionReader } from "./session_reader.ts";

const KEY = "unit-test-interviewer-key";
const at = "2026-03-01T00:00:00.000Z";
const SESSION = "8d0f5a52-3c1e-4f7a-9b6d-2e4c1a7f9b30";

const template = {
  id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
  slug: "test-agreement",
  name: "Test Agreement",
  description: "",
  questions: [
    { id: "party", text: "Who is the other party?", type: "short_text" },
    { id: "nonsolicit", text: "Include a non-solicitation clause?", type: "yes_no" },
    {
      id: "months",
      text: "For how many months?",
      type: "number",
      min: 1,
      max: 24,
      when: { question: "nonsolicit", equals: "Yes" },
    },
    { id: "fee", text: "What is the fee?", type: "amount" },
    { id: "notes", text: "Anything else?", type: "long_text", required: false },
  ],
  body: [
    "# Agreement with {{party}}",
    "",
    "Fee: {{fee}}. Non-solicitation: {{nonsolicit}}.",
    "",
    "{{#if nonsolicit}}",
    "Lasts {{months}} months.",
    "{{/if}}",
    "{{#if notes}}",
    "Notes: {{notes}}",
    "{{/if}}",
  ].join("\n"),
};

type Turn = { role: "assistant" | "user"; content: string; questionId?: string; at: string };

/** A history in which the user answers each [questionId, content] in order. */
function answers(...pairs: [string, string][]): Turn[] {
  return pairs.flatMap(([questionId, content]): Turn[] => [
    { role: "assistant", content: "?", questionId, at },
    { role: "user", content, questionId, at },
  ]);
}

function handler(sessions?: SessionReader): Handler {
  return createInterviewerHandler({
    apiKey: KEY,
    sessions,
    log: createLogger({ write: () => {} }),
    now: () => new Date(at),
  });
}

function post(
  body: unknown,
  options: { key?: string | null; path?: string; raw?: boolean } = {},
): Request {
  const key = options.key === undefined ? KEY : options.key;
  return new Request(`http://localhost${options.path ?? "/v1/chat/next-question"}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body: options.raw ? body as string : JSON.stringify(body),
  });
}

async function call(request: Request, sessions?: SessionReader) {
  const response = await handler(sessions)(request);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

Deno.test("interviewer routes", async (t) => {
  await t.step("GET /health answers without a key, locally and hosted", async () => {
    for (const path of ["/health", "/functions/v1/interviewer/health", "/interviewer/health/"]) {
      const { status, body } = await call(new Request(`http://localhost${path}`));
      assert.equal(status, 200, path);
      assert.deepEqual(body, { status: "healthy", sessionMode: false, timestamp: at });
    }
  });

  await t.step("the next-question route matches the end of the path", async () => {
    for (
      const path of ["/v1/chat/next-question", "/functions/v1/interviewer/v1/chat/next-question"]
    ) {
      const { status, body } = await call(
        post({ sessionId: "s", template, history: [] }, { path }),
      );
      assert.equal(status, 200, path);
      assert.equal(body.nextQuestion.id, "party");
    }
  });

  await t.step("other methods get 405 with Allow, other paths 404", async () => {
    const get = await call(new Request("http://localhost/v1/chat/next-question"));
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "POST");
    const postHealth = await call(post({}, { path: "/health" }));
    assert.equal(postHealth.status, 405);
    const missing = await call(post({}, { path: "/v1/chat/next" }));
    assert.deepEqual(missing, {
      status: 404,
      headers: missing.headers,
      body: { error: 'No route for "/v1/chat/next"', code: "not_found" },
    });
  });
});

Deno.test("interviewer authentication", async (t) => {
  const request = { sessionId: "s", template, history: [] };
  const refused = async (headers: HeadersInit) => {
    const response = await handler()(
      new Request("http://localhost/v1/chat/next-question", {
        method: "POST",
        headers,
        body: JSON.stringify(request),
      }),
    );
    assert.equal(response.status, 401);
    assert.equal(response.headers.get("www-authenticate"), 'Bearer realm="interviewer"');
    assert.deepEqual(await response.json(), { error: "Unauthorized", code: "unauthorized" });
  };

  await t.step("no Authorization header", () => refused({}));
  await t.step("a wrong key of the same length", async () => {
    const wrong = KEY.slice(0, -1) + (KEY.endsWith("y") ? "z" : "y");
    assert.equal(wrong.length, KEY.length);
    await refused({ authorization: `Bearer ${wrong}` });
  });
  await t.step("the key with a suffix, a prefix or cut short", async () => {
    await refused({ authorization: `Bearer ${KEY}x` });
    await refused({ authorization: `Bearer x${KEY}` });
    await refused({ authorization: `Bearer ${KEY.slice(0, 8)}` });
  });
  await t.step("another scheme, no scheme, an empty key", async () => {
    await refused({ authorization: `Basic ${KEY}` });
    await refused({ authorization: KEY });
    await refused({ authorization: "Bearer " });
    await refused({ authorization: `Bearer ${KEY} ${KEY}` });
  });
  await t.step("the scheme is case-insensitive", async () => {
    const ok = await handler()(
      new Request("http://localhost/v1/chat/next-question", {
        method: "POST",
        headers: { authorization: `bearer ${KEY}` },
        body: JSON.stringify(request),
      }),
    );
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  });
  await t.step("the key is checked before the body is read", async () => {
    const { status } = await call(post("{not json", { key: "wrong-key", raw: true }));
    assert.equal(status, 401);
  });
});

Deno.test("interviewer refuses malformed requests with 400 and a message", async (t) => {
  const cases: [string, unknown, RegExp][] = [
    ["JSON null", null, /^Malformed request: \(root\): Invalid input: expected object/],
    ["a JSON array", [], /^Malformed request: \(root\): Invalid input: expected object/],
    ["a JSON string", "hello", /expected object, received string/],
    ["neither template nor sessionId", {}, /send "template" and "history", or a "sessionId"/],
    ["history not an array", { template, history: "x" }, /^Malformed request: history: /],
    [
      "a turn with an unknown role",
      { template, history: [{ role: "system", content: "x", at }] },
      /^Malformed request: history\[0\]\.role: /,
    ],
    [
      "a turn without content",
      { template, history: [{ role: "user", at }] },
      /history\[0\]\.content: Invalid input: expected string/,
    ],
    [
      "a turn longer than the limit",
      { template, history: [{ role: "user", content: "x".repeat(10_001), at }] },
      /history\[0\]\.content: Too big: expected string to have <=10000 characters/,
    ],
    ["template not an object", { template: [1, 2], history: [] }, /^Malformed request: template/],
    ["a sessionId that is not a UUID", { sessionId: "abc" }, /sessionId "abc" is not a UUID/],
    [
      "templateId naming another template",
      { templateId: SESSION, template, history: [] },
      /templateId "8d0f5a52-[^"]+" is not template\.id/,
    ],
  ];
  for (const [name, body, message] of cases) {
    await t.step(name, async () => {
      const { status, body: answer } = await call(post(body));
      assert.equal(status, 400, JSON.stringify(answer));
      assert.equal(answer.code, "invalid_request");
      assert.match(answer.error, message);
    });
  }

  await t.step("malformed JSON and invalid UTF-8", async () => {
    for (const raw of ["{not json", "", new Uint8Array([0x7b, 0xff, 0x7d])]) {
      const request = new Request("http://localhost/v1/chat/next-question", {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}` },
        body: raw,
      });
      assert.deepEqual((await call(request)).body, {
        error: "The request body is not valid UTF-8 JSON",
        code: "malformed_json",
      });
    }
  });

  await t.step("a body over the limit gets 413", async () => {
    const big = JSON.stringify({ template, history: [], pad: "x".repeat(MAX_REQUEST_BYTES) });
    const { status, body } = await call(post(big, { raw: true }));
    assert.equal(status, 413);
    assert.equal(body.code, "too_large");
    const streamed = new Request("http://localhost/v1/chat/next-question", {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}` },
      body: new Blob([big]).stream(), // no content-length: counted while reading
    });
    assert.equal((await call(streamed)).status, 413);
  });

  await t.step("sessionId alone without a database", async () => {
    const { status, body } = await call(post({ sessionId: SESSION }));
    assert.equal(status, 400);
    assert.deepEqual(body, {
      error: 'This interviewer has no database: send "template" and "history"',
      code: "stateless_only",
    });
  });
});

Deno.test("interviewer refuses a template it cannot interpret with 422 and the reason", async (t) => {
  const cases: [string, unknown, string][] = [
    [
      "a placeholder naming no question",
      { ...template, body: `${template.body}\n{{nobody}}` },
      'Template "test-agreement": placeholder "{{nobody}}" names no question',
    ],
    [
      "a question of an unknown type",
      { ...template, questions: [{ id: "x", text: "X?", type: "colour" }], body: "{{x}}" },
      'Template "test-agreement": questions[0].type: Invalid option',
    ],
    ["no questions at all", { ...template, questions: [] }, 'Template "test-agreement": questions'],
    ["an empty object", {}, 'Template "(no slug)": id: '],
  ];
  for (const [name, broken, message] of cases) {
    await t.step(name, async () => {
      const { status, body } = await call(post({ template: broken, history: [] }));
      assert.equal(status, 422);
      assert.equal(body.code, "invalid_template");
      assert.ok(body.error.startsWith(message), body.error);
    });
  }
});

Deno.test("interviewer walks a template", async (t) => {
  const next = async (history: Turn[]) => {
    const { status, body } = await call(post({ sessionId: "s", template, history }));
    assert.equal(status, 200, JSON.stringify(body));
    return body;
  };

  await t.step("asks the first question when history is empty or absent", async () => {
    const expected = {
      status: "in_progress",
      nextQuestion: {
        id: "party",
        text: "Who is the other party?",
        type: "short_text",
        required: true,
      },
      progress: { answered: 0, total: 4 },
    };
    assert.deepEqual(await next([]), expected);
    assert.deepEqual((await call(post({ template }))).body, expected);
  });

  await t.step("skips answered questions and asks a conditional one when it applies", async () => {
    const body = await next(answers(["party", "Acme"], ["nonsolicit", "yep"]));
    assert.deepEqual(body.nextQuestion, {
      id: "months",
      text: "For how many months?",
      type: "number",
      required: true,
      min: 1,
      max: 24,
      hint: "A number from 1 to 24, such as 24 or twenty-four.",
    });
    assert.deepEqual(body.progress, { answered: 2, total: 5 });
    const without = await next(answers(["party", "Acme"], ["nonsolicit", "nope"]));
    assert.equal(without.nextQuestion.id, "fee");
  });

  await t.step("re-asks an invalid answer's question with a specific hint", async () => {
    const body = await next(answers(["party", "Acme"], ["nonsolicit", "maybe"]));
    assert.equal(body.nextQuestion.id, "nonsolicit");
    assert.equal(
      body.nextQuestion.text,
      "Please answer yes or no. Include a non-solicitation clause?",
    );
    const amount = await next(answers(["party", "Acme"], ["nonsolicit", "no"], ["fee", "lots"]));
    assert.equal(amount.nextQuestion.id, "fee");
    assert.match(amount.nextQuestion.text, /^Please give .+ What is the fee\?$/);
  });

  await t.step("marks optional questions", async () => {
    const body = await next(answers(["party", "Acme"], ["nonsolicit", "no"], ["fee", "$1,500"]));
    assert.deepEqual(body.nextQuestion, {
      id: "notes",
      text: 'Anything else? (optional — answer "skip" to leave it out)',
      type: "long_text",
      required: false,
    });
  });

  await t.step("completes with the Markdown document of normalised answers", async () => {
    const body = await next(answers(
      ["party", "  Acme   Corp "],
      ["nonsolicit", "Y"],
      ["months", "12"],
      ["fee", "120k"],
      ["notes", "Paid\r\nquarterly."],
    ));
    assert.deepEqual(body, {
      status: "complete",
      document: {
        title: "Agreement with Acme Corp",
        content: [
          "# Agreement with Acme Corp",
          "",
          "Fee: $120,000. Non-solicitation: Yes.",
          "",
          "Lasts 12 months.",
          // A long answer inside a sentence is one line (answerInline).
          "Notes: Paid quarterly.",
          "",
        ].join("\n"),
        format: "markdown",
      },
      progress: { answered: 5, total: 5 },
    });
  });

  await t.step("leaves a skipped optional answer and a dropped condition out cleanly", async () => {
    const body = await next(answers(
      ["party", "Acme"],
      ["nonsolicit", "no"],
      ["fee", "1500"],
      ["notes", "skip"],
    ));
    assert.equal(
      body.document.content,
      "# Agreement with Acme\n\nFee: $1,500. Non-solicitation: No.\n",
    );
  });
});

Deno.test("interviewer speaks the v2 additions", async (t) => {
  const next = async (request: Record<string, unknown>) => {
    const { status, body } = await call(post({ sessionId: "s", template, ...request }));
    assert.equal(status, 200, JSON.stringify(body));
    return body;
  };
  const refused = answers(["party", "Acme"], ["nonsolicit", "maybe"]);

  await t.step("v2: the plain question, the problem apart", async () => {
    assert.deepEqual(await next({ history: refused, protocol: "v2" }), {
      status: "in_progress",
      nextQuestion: {
        id: "nonsolicit",
        text: "Include a non-solicitation clause?",
        type: "yes_no",
        required: true,
        options: ["Yes", "No"],
        problem: "Please answer yes or no.",
      },
      progress: { answered: 1, total: 4 },
    });
  });

  await t.step("v1, named or not: the problem in the text as well", async () => {
    for (const protocol of ["v1", undefined]) {
      const body = await next({ history: refused, protocol });
      assert.equal(
        body.nextQuestion.text,
        "Please answer yes or no. Include a non-solicitation clause?",
      );
      assert.equal(body.nextQuestion.problem, "Please answer yes or no.");
    }
  });

  await t.step("an edit replaces the answer; answers are accepted alongside", async () => {
    const history = [
      ...answers(["party", "Acme"], ["nonsolicit", "no"], ["fee", "1k"], ["notes", "skip"]),
      { role: "user", content: "Globex", questionId: "party", at, edit: true },
    ];
    const body = await next({
      history,
      protocol: "v2",
      answers: { party: "Globex", nonsolicit: "no", fee: "1k", notes: "skip" },
    });
    assert.equal(body.status, "complete");
    assert.match(body.document.content, /^# Agreement with Globex\n/);
  });

  await t.step("today is the request's time", async () => {
    const dated = {
      ...template,
      questions: [{ id: "start", text: "Start?", type: "date", notBefore: "today" }],
      body: "{{start}}",
    };
    // The handler's clock says 2026-03-01T00:00Z: in the earliest time zone, February 28.
    const early = await next({ template: dated, history: answers(["start", "2026-02-27"]) });
    assert.equal(
      early.nextQuestion.problem,
      "Please give a date that is today (February 28, 2026) or later.",
    );
    const ok = await next({ template: dated, history: answers(["start", "2026-02-28"]) });
    assert.equal(ok.status, "complete");
  });

  await t.step("with tz, today and relative dates are where the person is", async () => {
    const dated = {
      ...template,
      questions: [{ id: "start", text: "Start?", type: "date", notBefore: "today" }],
      body: "{{start}}",
    };
    // 2026-03-01T00:00Z is still February 28 in Los Angeles and already March 1 in Kiritimati.
    const la = await next({
      template: dated,
      history: answers(["start", "tomorrow"]),
      protocol: "v2",
      tz: "America/Los_Angeles",
    });
    assert.equal(la.status, "complete");
    assert.deepEqual(la.understood, { questionId: "start", answer: "March 1, 2026" });
    assert.equal(la.document.content.trim(), "March 1, 2026");
    const kiritimati = await next({
      template: dated,
      history: answers(["start", "2026-02-28"]),
      protocol: "v2",
      tz: "Pacific/Kiritimati",
    });
    assert.equal(
      kiritimati.nextQuestion.problem,
      "Please give a date that is today (March 1, 2026) or later.",
    );
    const unknown = await next({
      template: dated,
      history: answers(["start", "tomorrow"]),
      protocol: "v2",
      tz: "Atlantis/Capital",
    });
    assert.deepEqual(unknown.understood, { questionId: "start", answer: "March 2, 2026" }, "UTC");
  });

  await t.step("a tz that is not a short string is a malformed request", async () => {
    for (const tz of ["", 7, "x".repeat(65)]) {
      const response = await handler()(post({ template, history: [], tz }));
      assert.equal(response.status, 400, String(tz));
      assert.match((await response.json()).error, /^Malformed request: tz: /);
    }
  });

  await t.step("an unknown protocol or malformed answers get 400", async () => {
    for (
      const [extra, message] of [
        [{ protocol: "v3" }, /^Malformed request: protocol: /],
        [{ answers: { party: 1 } }, /^Malformed request: answers\.party: /],
        [{ answers: ["Acme"] }, /^Malformed request: answers: /],
      ] as const
    ) {
      const { status, body } = await call(post({ template, history: [], ...extra }));
      assert.equal(status, 400, JSON.stringify(body));
      assert.match(body.error, message);
    }
  });
});

Deno.test("interviewer reads stored sessions when the request has only sessionId", async (t) => {
  // The real reader against the local database; the failure case points it at a closed port.
  const admin = adminSql();
  const sql = createDatabase(DB_URL, { max: 2 });
  const sessions = createPostgresSessionReader(sql, { statementTimeoutMs: 5_000 });
  try {
    const userId = await createUser(admin, "interviewer-reader");
    const templateId = crypto.randomUUID();
    await admin`insert into document_templates (id, slug, name, questions, body)
      values (${templateId}, ${`test-${templateId.slice(0, 8)}`}, ${template.name},
        ${admin.json(template.questions)}, ${template.body})`;
    const store = async (history: unknown[]) => {
      const [row] = await admin`insert into chat_sessions
          (user_id, template_id, history, turn_count, abandoned_at)
        values (${userId}, ${templateId}, ${admin.json(history as never)}, ${history.length}, now())
        returning id`;
      return row!.id as string;
    };
    const stored = await store(answers(["party", "Acme"]));

    await t.step("answers from the stored history and template", async () => {
      const { status, body } = await call(post({ sessionId: stored }), sessions);
      assert.equal(status, 200);
      assert.equal(body.nextQuestion.id, "nonsolicit");
    });

    await t.step("404 for a session that does not exist", async () => {
      const other = crypto.randomUUID();
      const { status, body } = await call(post({ sessionId: other }), sessions);
      assert.equal(status, 404);
      assert.deepEqual(body, { error: `Session "${other}" not found`, code: "session_not_found" });
    });

    await t.step("503 when the database does not answer", async () => {
      const dead = createDatabase("postgresql://postgres:postgres@127.0.0.1:1/postgres", {
        max: 1,
      });
      try {
        const failing = createPostgresSessionReader(dead, { statementTimeoutMs: 1_000 });
        const { status, body } = await call(post({ sessionId: stored }), failing);
        assert.equal(status, 503);
        assert.equal(body.code, "database_unavailable");
      } finally {
        await dead.end();
      }
    });

    await t.step("422 when the stored history is malformed", async () => {
      const odd = await store([{ role: 1 }]);
      const { status, body } = await call(post({ sessionId: odd }), sessions);
      assert.equal(status, 422);
      assert.equal(body.code, "invalid_history");
    });

    await t.step("health says session mode is on", async () => {
      const { body } = await call(new Request("http://localhost/health"), sessions);
      assert.equal(body.sessionMode, true);
    });
  } finally {
    await sql.end();
    await admin.end();
  }
});
