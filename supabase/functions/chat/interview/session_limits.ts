/**
 * The database's bounds on one session (chat_internal.assert_history_fits: 500 turns, 1,000,000
 * bytes of history), checked before an answer is stored, so that a full interview gets
 * `session_full` instead of a refused write. Pure: no I/O.
 */
import { LIMITS, type Turn } from "../../_shared/wire/protocol.ts";

/**
 * Room kept for the question that follows an answer: the database's cap on one turn
 * (chat_internal.assert_turns), so an accepted answer always leaves room for its next question.
 */
export const QUESTION_RESERVE_BYTES = 32_768;

/**
 * The size of a JSON value as Postgres measures a jsonb column, `octet_length(history::text)`:
 * jsonb prints ", " between items and ": " after keys, strings escaped as JSON.stringify does.
 * Counted without printing: every answer is measured, and printing it (the strings, their UTF-8
 * bytes) was a twentieth of what a turn allocates (BENCHMARKS.md, "Chat CPU per turn").
 */
export function jsonbTextBytes(value: unknown): number {
  if (typeof value === "string") return jsonStringBytes(value);
  if (Array.isArray(value)) {
    let bytes = 2; // [ ]
    for (let i = 0; i < value.length; i++) bytes += (i > 0 ? 2 : 0) + jsonbTextBytes(value[i]);
    return bytes;
  }
  if (value !== null && typeof value === "object") {
    let bytes = 2; // { }
    let members = 0;
    for (const key of Object.keys(value)) {
      const member = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      bytes += (members++ > 0 ? 2 : 0) + jsonStringBytes(key) + 2 + jsonbTextBytes(member);
    }
    return bytes;
  }
  // Numbers, booleans and null print in ASCII.
  return (JSON.stringify(value) ?? "null").length;
}

/** The UTF-8 bytes of JSON.stringify(text): quotes, escapes, and each code point's encoding. */
function jsonStringBytes(text: string): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x22 || unit === 0x5c) bytes += 2; // \" \\
    else if (unit < 0x20) bytes += ESCAPED_CONTROL.has(unit) ? 2 : 6; // \n, or \u0001
    else if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 6; // a lone surrogate prints as \udxxx
    } else if (unit >= 0xdc00 && unit <= 0xdfff) bytes += 6;
    else bytes += 3;
  }
  return bytes;
}

/** \b \t \n \f \r: the controls JSON.stringify escapes in two characters. */
const ESCAPED_CONTROL = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);

// Each turn's size, measured once: a turn is never changed once made (the interview copies the
// history, never edits a turn), and measuring the whole history again on every answer made the
// check grow with the interview (BENCHMARKS.md, "Chat CPU per turn").
const turnBytes = new WeakMap<Turn, number>();

function sizeOfTurn(turn: Turn): number {
  let bytes = turnBytes.get(turn);
  if (bytes === undefined) {
    bytes = jsonbTextBytes(turn);
    turnBytes.set(turn, bytes);
  }
  return bytes;
}

/** jsonbTextBytes of `[...history, answer]`, from the turns' own sizes: "[", ", " between, "]". */
function historyBytesWith(history: readonly Turn[], answer: Turn): number {
  let bytes = 2 + sizeOfTurn(answer);
  for (const turn of history) bytes += sizeOfTurn(turn) + ", ".length;
  return bytes;
}

/** Whether `answer` fits in a session of `history`, with room left for the next question. */
export function answerFits(history: readonly Turn[], answer: Turn): boolean {
  if (history.length + 2 > LIMITS.maxSessionTurns) return false;
  const after = historyBytesWith(history, answer);
  return after + ", ".length + QUESTION_RESERVE_BYTES <= LIMITS.maxSessionHistoryBytes;
}
