/**
 * The characters an answer, a document title and a document may not hold: those that make text
 * display differently from what is stored ("Trojan Source"), hide text, or are no text at all.
 * docs/template_format.md states the rule; the database enforces the same set
 * (chat_internal.invisible_character_position, SQLSTATE CH416), and a test holds the two equal.
 *
 * - C0 controls other than tab, line feed and carriage return (a line ending the engine
 *   normalises), DEL and the C1 controls (U+0080-U+009F);
 * - bidirectional controls: U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069;
 * - zero-width and invisible format characters: U+200B, U+2060-U+206F, U+FEFF;
 * - the noncharacters U+FFFE and U+FFFF, and lone surrogates (JavaScript strings only: UTF-8,
 *   and so Postgres, cannot hold them);
 * - ZWNJ (U+200C) and ZWJ (U+200D) unless both neighbours are joinable: an ASCII letter or any
 *   other non-ASCII character that is neither a space nor one of the above (Persian, Indic
 *   conjuncts and emoji sequences keep them; at an edge, beside a space, a digit, punctuation or
 *   another joiner they do nothing visible and are refused).
 *
 * Pure, and cheap on the chat's path: one precompiled regular expression per text.
 */

/** The characters refused wherever they stand (surrogates are added for JavaScript only). */
const ALWAYS =
  "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u061C\\u200B\\u200E\\u200F" +
  "\\u202A-\\u202E\\u2060-\\u206F\\uFEFF\\uFFFE\\uFFFF";
/** Spaces outside ASCII: a joiner beside one joins nothing. */
const SPACES = "\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
/** ASCII other than letters. */
const ASCII_NON_LETTERS = "\\u0000-\\u0040\\u005B-\\u0060\\u007B-\\u007F";
const JOINERS = "\\u200C\\u200D";
const NOT_JOINABLE = `${ASCII_NON_LETTERS}${SPACES}${ALWAYS}${JOINERS}\\uD800-\\uDFFF`;

/**
 * One match per refused character, the character alone: a joiner is refused when the two
 * characters behind it are not (joinable, joiner), i.e. it starts the text or follows something
 * not joinable, or when no joinable character follows it.
 */
const SOURCE = `[${ALWAYS}\\uD800-\\uDFFF]|[${JOINERS}]` +
  `(?:(?<![^${NOT_JOINABLE}][${JOINERS}])|(?![^${NOT_JOINABLE}]))`;

const TEST = new RegExp(SOURCE, "u");
const FIND = new RegExp(SOURCE, "u");
const STRIP = new RegExp(SOURCE, "gu");

/** What kind of trouble a refused character makes, for the message a person reads. */
export type InvisibleKind = "bidi" | "invisible" | "control";

export interface InvisibleCharacter {
  /** The code point (a lone surrogate's code unit). */
  codePoint: number;
  /** Its position in characters (code points), from 1, as Postgres counts. */
  position: number;
  kind: InvisibleKind;
}

/** Whether `text` holds a refused character. */
export function hasInvisibleCharacter(text: string): boolean {
  return TEST.test(text);
}

/** The first refused character of `text`, or undefined when it holds none. */
export function findInvisibleCharacter(text: string): InvisibleCharacter | undefined {
  const match = FIND.exec(text);
  if (match === null) return undefined;
  const codePoint = match[0].codePointAt(0)!;
  // Counting code points before the match: only on the refusal path.
  const position = [...text.slice(0, match.index)].length + 1;
  return { codePoint, position, kind: kindOf(codePoint) };
}

/** `text` without its refused characters (the download's file name). */
export function stripInvisibleCharacters(text: string): string {
  return text.replace(STRIP, "");
}

/** "U+202E". */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * The sentence a person reads when their answer holds a refused character, or undefined:
 * "Your answer holds an invisible character that changes how text displays (U+202E, position
 * 5): remove it".
 */
export function invisibleCharacterProblem(text: string, what = "Your answer"): string | undefined {
  const found = findInvisibleCharacter(text);
  if (found === undefined) return undefined;
  const description = {
    bidi: "an invisible character that changes how text displays",
    invisible: "an invisible character",
    control: "a control character",
  }[found.kind];
  return `${what} holds ${description} (${
    codePointLabel(found.codePoint)
  }, position ${found.position}): remove it`;
}

function kindOf(codePoint: number): InvisibleKind {
  if (
    codePoint === 0x061c || codePoint === 0x200e || codePoint === 0x200f ||
    (codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069)
  ) return "bidi";
  if (codePoint <= 0x9f) return "control";
  return "invisible";
}

/**
 * The Postgres form of the same pattern (an ARE): no NUL (text cannot hold it) and no
 * surrogates (UTF-8 cannot encode them). The migration spells it out; a test compares them.
 */
export const POSTGRES_PATTERN = SOURCE.replaceAll("\\uD800-\\uDFFF", "").replaceAll(
  "\\u0000-",
  "\\u0001-",
);
