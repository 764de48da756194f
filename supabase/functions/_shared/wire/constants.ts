/**
 * The wire contract's constants, apart from its zod schemas so that a browser bundle can import
 * them (and the types of protocol.ts) without zod.
 */

/** The close codes live with what a client does after each (close_codes.ts). */
export { CloseCode } from "./close_codes.ts";

/** The subprotocols the server speaks, and the prefix of the one that carries the token. */
export const SUBPROTOCOL = "chat.v1";
export const SUBPROTOCOL_V2 = "chat.v2";
export const TOKEN_SUBPROTOCOL_PREFIX = "jwt-";

/** The protocol version of a connection: v2 when the client offered `chat.v2`. */
export type ProtocolVersion = "v1" | "v2";

/** The kinds of question a v2 client can render with a control of its own. */
export const QUESTION_TYPES = [
  "short_text",
  "long_text",
  "date",
  "number",
  "amount",
  "email",
  "choice",
  "yes_no",
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/**
 * Limits on what a client (or the AI service) may send, and on what the database stores:
 * documented in docs/protocol.md. The one table of them in TypeScript; the write path's SQL
 * (chat_internal's assert_turns, assert_history_fits, assert_document, complete_session) checks the
 * same numbers, and limits_sql_e2e_test.ts fails when the two differ.
 */
export const LIMITS = {
  /** Largest text frame accepted, in bytes (UTF-8). */
  maxFrameBytes: 16_384,
  /** Longest answer, in characters. */
  maxAnswerChars: 5_000,
  /** Longest answer to a short-text question, in characters (the template engine's bound). */
  maxShortAnswerChars: 200,
  /** Longest clientMessageId or questionId. */
  maxIdChars: 128,
  /** Longest question text the chat takes from the AI service, in characters. */
  maxQuestionChars: 4_000,
  /** Largest stored turn, its fields included, as jsonb text in bytes (UTF-8). */
  maxTurnBytes: 32_768,
  /** Turns one write of the database stores at most (an answer, a question, and their edits). */
  maxTurnsPerWrite: 4,
  /** Invalid frames tolerated on one connection before it is closed with 1008. */
  maxInvalidFrames: 10,
  /** Token bucket: frames a client may send in a burst, and frames refilled per second. */
  burstFrames: 20,
  refillFramesPerSecond: 5,
  /** Turns one session holds (questions and answers), and its history's size as JSON text. */
  maxSessionTurns: 500,
  maxSessionHistoryBytes: 1_000_000,
  /**
   * A stored document: its content in characters (Unicode code points, as Postgres's length()
   * counts them) and its title. The database refuses more with CH414 (docs/database.md).
   */
  maxDocumentChars: 200_000,
  maxDocumentTitleChars: 500,
} as const;
