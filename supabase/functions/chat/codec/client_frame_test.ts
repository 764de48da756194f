import assert from "node:assert/strict";
import { LIMITS, parseClientFrame } from "./client_frame.ts";

Deno.test("parseClientFrame", async (t) => {
  await t.step("accepts each message type", () => {
    assert.deepEqual(
      parseClientFrame(
        '{"type":"user_message","content":"Acme","clientMessageId":"c1","questionId":"q1"}',
      ),
      {
        ok: true,
        frame: { type: "user_message", content: "Acme", clientMessageId: "c1", questionId: "q1" },
      },
    );
    assert.deepEqual(parseClientFrame('{"type":"retry"}'), { ok: true, frame: { type: "retry" } });
    assert.deepEqual(parseClientFrame('{"type":"ping","id":"p"}'), {
      ok: true,
      frame: { type: "ping", id: "p" },
    });
    assert.deepEqual(parseClientFrame('{"type":"refresh_token","token":"t"}'), {
      ok: true,
      frame: { type: "refresh_token", token: "t" },
    });
  });

  await t.step("drops unknown fields, including __proto__", () => {
    const parsed = parseClientFrame('{"type":"retry","__proto__":{"admin":true},"extra":1}');
    assert.deepEqual(parsed, { ok: true, frame: { type: "retry" } });
    assert.equal(({} as Record<string, unknown>).admin, undefined);
  });

  await t.step("gives each kind of bad frame its own code", () => {
    const code = (data: unknown) => {
      const parsed = parseClientFrame(data);
      return parsed.ok ? "ok" : parsed.code;
    };
    assert.equal(code(new Uint8Array([1])), "binary_not_supported");
    assert.equal(code("x".repeat(LIMITS.maxFrameBytes + 1)), "frame_too_large");
    assert.equal(code("{"), "invalid_json");
    assert.equal(code("null"), "invalid_message");
    assert.equal(code("[]"), "invalid_message");
    assert.equal(code('{"type":7}'), "invalid_message");
    assert.equal(code('{"type":"constructor"}'), "unknown_type");
    assert.equal(code('{"type":"user_message"}'), "invalid_field");
    assert.equal(code('{"type":"user_message","content":""}'), "invalid_field");
    assert.equal(code('{"type":"user_message","content":"a","questionId":""}'), "invalid_field");
    assert.equal(
      code('{"type":"user_message","content":"a","clientMessageId":5}'),
      "invalid_field",
    );
    assert.equal(code('{"type":"ping","id":{}}'), "invalid_field");
  });

  await t.step("names the field and the problem", () => {
    const parsed = parseClientFrame(
      JSON.stringify({ type: "user_message", content: "x".repeat(5_001) }),
    );
    assert.deepEqual(parsed, {
      ok: false,
      code: "invalid_field",
      message: 'Field "content" is longer than 5000 characters',
    });
    const wrongType = parseClientFrame('{"type":"user_message","content":3}');
    assert.deepEqual(wrongType, {
      ok: false,
      code: "invalid_field",
      message: 'Field "content" must be a string',
    });
  });

  await t.step("refuses text Postgres cannot store", () => {
    assert.equal(
      parseClientFrame(JSON.stringify({ type: "user_message", content: "a\u0000" })).ok,
      false,
    );
    assert.equal(parseClientFrame('{"type":"user_message","content":"\\ud800"}').ok, false);
    assert.equal(
      parseClientFrame(JSON.stringify({ type: "user_message", content: "😀 ok" })).ok,
      true,
    );
  });

  await t.step("refuses an answer that would display differently from its text", () => {
    const frame = (type: string, content: string) =>
      JSON.stringify({ type, content, questionId: "party_a_name" });
    assert.deepEqual(parseClientFrame(frame("user_message", "Acme\u202E Corp"), "v2"), {
      ok: false,
      code: "invalid_character",
      message: "Your answer holds an invisible character that changes how text displays " +
        "(U+202E, position 5): remove it",
    });
    assert.deepEqual(parseClientFrame(frame("edit_answer", "Ac\u200Bme"), "v2"), {
      ok: false,
      code: "invalid_character",
      message: "Your answer holds an invisible character (U+200B, position 3): remove it",
    });
    // v1's error codes stay as they were: the same words under invalid_field.
    assert.deepEqual(parseClientFrame(frame("user_message", "\x01Acme")), {
      ok: false,
      code: "invalid_field",
      message: "Your answer holds a control character (U+0001, position 1): remove it",
    });
    assert.equal(parseClientFrame(frame("user_message", "پیمان\u200Cنامه"), "v2").ok, true);
  });

  await t.step("counts an answer that is too long as the limit does, an emoji as one", () => {
    // 4,000 letters and 1,001 emoji: 5,001 characters, though 6,002 UTF-16 units.
    const content = "a".repeat(4_000) + "\u{1F600}".repeat(1_001);
    assert.deepEqual(parseClientFrame(JSON.stringify({ type: "user_message", content }), "v2"), {
      ok: false,
      code: "invalid_field",
      message: "Your answer is 5,001 characters long; please keep it under 5,000 characters",
    });
    const atTheLimit = "a".repeat(4_000) + "\u{1F600}".repeat(1_000);
    assert.equal(
      parseClientFrame(JSON.stringify({ type: "user_message", content: atTheLimit }), "v2").ok,
      true,
    );
  });

  await t.step("measures the limit in UTF-8 bytes", () => {
    const content = "é".repeat(4_200); // 8,400 bytes of content, under 5,000 characters
    assert.equal(parseClientFrame(JSON.stringify({ type: "user_message", content })).ok, true);
    const tooWide = "é".repeat(9_000);
    const parsed = parseClientFrame(JSON.stringify({ type: "ping", id: tooWide }));
    assert.equal(parsed.ok ? "ok" : parsed.code, "frame_too_large");
  });
});
