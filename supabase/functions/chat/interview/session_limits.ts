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

const utf8 = new TextEncoder();

/**
 * The size of a JSON value as Postgres measures a jsonb column, `octet_length(history::text)`:
 * jsonb prints ", " between items and ": " after keys, strings escaped as JSON.stringify does.
 */
export function jsonbTextBytes(value: unknown): number {
  return utf8.encode(jsonbText(value)).byteLength;
}

function jsonbText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => `${JSON.stringify(key)}: ${jsonbText(member)}`);
    return `{${members.join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

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
