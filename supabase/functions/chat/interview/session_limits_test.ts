import assert from "node:assert/strict";
import type { Turn } from "../../_shared/wire/protocol.ts";
import { answerFits, jsonbTextBytes, QUESTION_RESERVE_BYTES } from "./session_limits.ts";
import { createPrng, seedFromEnv } from "../../../../test_support/prng.ts";
import { randomText } from "../../../../test_support/hostile_frames.ts";

const at = "2026-12-01T10:00:00.000Z";
const user = (content: string): Turn => ({ role: "user", content, questionId: "q", at });

Deno.test("jsonbTextBytes counts as jsonb prints: ', ' between items, ': ' after keys", () => {
  assert.equal(jsonbTextBytes([]), 2);
  assert.equal(jsonbTextBytes({}), 2);
  assert.equal(jsonbTextBytes([1, "a"]), '[1, "a"]'.length);
  assert.equal(jsonbTextBytes({ a: { b: [true, null] } }), '{"a": {"b": [true, null]}}'.length);
  assert.equal(jsonbTextBytes({ a: undefined, b: 1 }), '{"b": 1}'.length, "undefined is left out");
  assert.equal(
    jsonbTextBytes(['"\n\u00e9']),
    '["\\"\\n'.length + 2 + '"]'.length,
    "escapes, UTF-8",
  );
});

Deno.test("an answer fits while it leaves room for the next question", async (t) => {
  await t.step("turns: at most 500, counting the question that follows", () => {
    const history = (count: number) => Array.from({ length: count }, () => user("a"));
    assert.equal(answerFits(history(498), user("a")), true);
    assert.equal(answerFits(history(499), user("a")), false);
  });

  await t.step("bytes: at most 1,000,000, with the question's reserve", () => {
    const answer = user("a");
    // One big earlier turn, sized so that the answer lands exactly on the cap.
    const room = (content: string) =>
      jsonbTextBytes([user(content), answer]) + 2 + QUESTION_RESERVE_BYTES;
    const base = room("");
    const exact = "x".repeat(1_000_000 - base);
    assert.equal(room(exact), 1_000_000);
    assert.equal(answerFits([user(exact)], answer), true);
    assert.equal(answerFits([user(exact + "x")], answer), false);
  });

  await t.step("bytes of a longer history: its turns measured once each, to the byte", () => {
    const answer = user('é\n"');
    const earlier = [
      user("first"),
      { role: "assistant", content: "Which date?", questionId: "q2", at } as Turn,
      user("ü".repeat(10)),
    ];
    const reserve = 2 + QUESTION_RESERVE_BYTES;
    const fill = "x".repeat(1_000_000 - jsonbTextBytes([...earlier, user(""), answer]) - reserve);
    const history = [...earlier, user(fill)];
    assert.equal(jsonbTextBytes([...history, answer]) + reserve, 1_000_000);
    assert.equal(answerFits(history, answer), true);
    // Asked again with the same turns (now measured) and one byte more: refused.
    assert.equal(answerFits(history, answer), true);
    assert.equal(answerFits([...earlier, user(fill + "x")], answer), false);
  });
});

Deno.test("jsonbTextBytes counts exactly the UTF-8 bytes of the printed text, on generated values", () => {
  // The reference prints, as jsonbTextBytes did before it counted without printing.
  const printed = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(printed).join(", ")}]`;
    if (value !== null && typeof value === "object") {
      const members = Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .map(([key, member]) => `${JSON.stringify(key)}: ${printed(member)}`);
      return `{${members.join(", ")}}`;
    }
    return JSON.stringify(value) ?? "null";
  };
  const seed = seedFromEnv("jsonbTextBytes");
  const prng = createPrng(seed);
  const edges = [
    "",
    '"',
    "\\",
    "\b\t\n\f\r",
    "\u0000\u001f",
    "\u007f",
    "\u07ff\u0800",
    "\ud83d",
    "\ude00",
    "\ud83d\ude00",
    "\ude00\ud83d",
    "\u2028\u2029",
    "\ufeff",
  ];
  const text = () =>
    prng.int(3) === 0 ? prng.pick(edges) + prng.pick(edges) : randomText(prng, prng.between(0, 40));
  const value = (depth: number): unknown => {
    switch (depth > 2 ? prng.int(4) : prng.int(7)) {
      case 0:
        return text();
      case 1:
        return prng.pick([0, -1.5, 1e21, 42, true, false, null]);
      case 2:
        return undefined;
      case 3:
        return prng.between(0, 100_000);
      case 4:
        return Array.from({ length: prng.int(4) }, () => value(depth + 1) ?? null);
      default:
        return Object.fromEntries(
          Array.from({ length: prng.int(4) }, () => [text(), value(depth + 1)]),
        );
    }
  };
  const encoder = new TextEncoder();
  for (let i = 0; i < 5_000; i++) {
    const sample = value(0) ?? null;
    assert.equal(
      jsonbTextBytes(sample),
      encoder.encode(printed(sample)).byteLength,
      `seed ${seed}, value ${i}: ${JSON.stringify(sample)}`,
    );
  }
});
