// Junk in, never a 500 out: seeded random requests against the handler.
import assert from "node:assert/strict";
import { createLogger } from "../_shared/platform/logger.ts";
import { createInterviewerHandler } from "./handler.ts";
import type { SessionReader } from "./session_reader.ts";

const KEY = "fuzz-test-interviewer-key";
const seed = Number(Deno.env.get("FUZZ_SEED") ?? "20261126");

/** mulberry32: a small seeded generator, so a failure can be replayed with FUZZ_SEED. */
function random(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(seed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const STRINGS = [
  "",
  " ",
  "skip",
  "yes",
  "No!",
  "{{x}}",
  "{{#if a}}",
  "30",
  "-1e309",
  "1,00",
  "$1.5bn",
  "2026-02-30",
  "March 1st, 2026",
  "a@b.co",
  "__proto__",
  "constructor",
  "\u0000\ud800",
  "🙂".repeat(50),
  "9".repeat(400),
  "1,".repeat(2_000) + "1",
  "a".repeat(6_000),
  " ".repeat(3_000) + "x",
];

function junkString(): string {
  if (rand() < 0.6) return pick(STRINGS);
  const length = Math.floor(rand() * 40);
  return Array.from({ length }, () => String.fromCharCode(Math.floor(rand() * 0x3000))).join("");
}

/** Printable ASCII, which is what a header may carry. */
function junkHeader(): string {
  const length = Math.floor(rand() * 60);
  return Array.from({ length }, () => String.fromCharCode(32 + Math.floor(rand() * 95))).join("")
    .trim();
}

function junk(depth = 0): unknown {
  const kind = Math.floor(rand() * (depth > 3 ? 5 : 7));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return pick([0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER]);
    case 3:
    case 4:
      return junkString();
    case 5:
      return Array.from({ length: Math.floor(rand() * 4) }, () => junk(depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(rand() * 4) }, () => [junkString(), junk(depth + 1)]),
      );
  }
}

const template = {
  id: "0b7d3f4e-8a21-4c55-9f0e-3d2a1b6c7e90",
  slug: "fuzz",
  name: "Fuzz",
  questions: [
    { id: "a", text: "A?", type: "short_text" },
    { id: "b", text: "B?", type: "yes_no" },
    {
      id: "c",
      text: "C?",
      type: "date",
      notBefore: "today",
      when: { question: "b", equals: "Yes" },
    },
    { id: "c2", text: "C2?", type: "date", required: false, after: "c" },
    { id: "d", text: "D?", type: "number", min: 0, max: 10 },
    { id: "e", text: "E?", type: "amount", currency: "EUR", per: "month" },
    { id: "f", text: "F?", type: "email", required: false },
    {
      id: "g",
      text: "G?",
      type: "choice",
      options: ["One", "Two", "None"],
      aliases: { One: ["uno"] },
    },
    { id: "h", text: "H?", type: "long_text" },
  ],
  body:
    "{{a}} {{b}} {{#if b}}{{c}}{{/if}} {{#if c2}}{{c2}}{{/if}} {{d}} {{e}} {{#if f}}{{f}}{{/if}} {{g}} {{h}}",
};

/** A valid request, then a few random fields replaced with junk. */
function mutatedRequest(): unknown {
  const history = Array.from({ length: Math.floor(rand() * 12) }, () => ({
    role: pick(["user", "assistant"]),
    content: junkString(),
    at: "2026-03-01T00:00:00.000Z",
    ...(rand() < 0.8
      ? { questionId: pick(["a", "b", "c", "c2", "d", "e", "f", "g", "h", "zz"]) }
      : {}),
  }));
  const copy: Record<string, unknown> & { questions: Record<string, unknown>[] } = structuredClone(
    template,
  );
  const questions = copy.questions;
  const request: Record<string, unknown> = {
    sessionId: crypto.randomUUID(),
    template: copy,
    history,
    ...(rand() < 0.5 ? { protocol: pick(["v1", "v2"]) } : {}),
  };
  const targets: (() => void)[] = [
    () => (request[
      pick(["sessionId", "template", "history", "templateId", "answers", "protocol"])
    ] = junk()),
    () => (copy[pick(["body", "questions", "id"])] = junk()),
    () => {
      const question = pick(questions);
      question[
        pick([
          "type",
          "options",
          "when",
          "min",
          "max",
          "required",
          "currency",
          "aliases",
          "per",
          "label",
          "after",
          "notBefore",
        ])
      ] = junk();
    },
    () => history.push(junk() as never),
    () => {},
  ];
  for (let i = Math.floor(rand() * 3); i > 0; i--) pick(targets)();
  return request;
}

Deno.test(`interviewer never answers 500 to junk (FUZZ_SEED=${seed})`, async (t) => {
  const sessions: SessionReader = {
    read: (id) => Promise.resolve(id.startsWith("0") ? null : { template, history: [] }),
  };
  const handle = createInterviewerHandler({
    apiKey: KEY,
    sessions,
    log: createLogger({ write: () => {} }),
  });
  const send = async (body: BodyInit, path = "/v1/chat/next-question") => {
    const started = performance.now();
    const response = await handle(
      new Request(`http://localhost${path}`, {
        method: pick(["POST", "POST", "POST", "PUT", "DELETE"]),
        headers: { authorization: rand() < 0.95 ? `Bearer ${KEY}` : junkHeader() },
        body,
      }),
    ).catch((error) => assert.fail(`the handler threw: ${error}`));
    const text = await response.text();
    assert.ok(response.status < 500, `${response.status} for ${String(body).slice(0, 300)}`);
    assert.doesNotThrow(() => JSON.parse(text), "the answer is JSON");
    assert.ok(performance.now() - started < 2_000, `slow for ${String(body).slice(0, 300)}`);
    return response.status;
  };

  await t.step("random JSON values", async () => {
    for (let i = 0; i < 300; i++) await send(JSON.stringify(junk()));
  });

  await t.step("valid requests with random parts replaced", async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 600; i++) statuses.add(await send(JSON.stringify(mutatedRequest())));
    assert.ok(statuses.has(200) && statuses.has(400) && statuses.has(422), [...statuses].join());
  });

  await t.step("random bytes and truncated JSON", async () => {
    const valid = JSON.stringify(mutatedRequest());
    for (let i = 0; i < 100; i++) {
      const bytes = crypto.getRandomValues(new Uint8Array(Math.floor(rand() * 200)));
      await send(rand() < 0.5 ? bytes : valid.slice(0, Math.floor(rand() * valid.length)));
    }
  });

  await t.step("random paths", async () => {
    for (let i = 0; i < 50; i++) {
      const path = `/${encodeURIComponent(junkHeader())}${
        pick(["", "/health", "/v1/chat/next-question"])
      }`;
      await send("{}", path);
    }
  });
});
