/**
 * Whole numbers written in words, from "zero" to "nine hundred and ninety-nine": "three",
 * "twenty-one", "ninety nine", "one hundred and twenty", "a" (one, as in "a year").
 */

const SMALL: ReadonlyMap<string, number> = new Map([
  ["zero", 0],
  ["one", 1],
  ["two", 2],
  ["three", 3],
  ["four", 4],
  ["five", 5],
  ["six", 6],
  ["seven", 7],
  ["eight", 8],
  ["nine", 9],
  ["ten", 10],
  ["eleven", 11],
  ["twelve", 12],
  ["thirteen", 13],
  ["fourteen", 14],
  ["fifteen", 15],
  ["sixteen", 16],
  ["seventeen", 17],
  ["eighteen", 18],
  ["nineteen", 19],
]);

const TENS: ReadonlyMap<string, number> = new Map([
  ["twenty", 20],
  ["thirty", 30],
  ["forty", 40],
  ["fifty", 50],
  ["sixty", 60],
  ["seventy", 70],
  ["eighty", 80],
  ["ninety", 90],
]);

/** Words and hyphens split the same way: "twenty-one" and "twenty one" are two words. */
const WORD_BREAK = /[\s-]+/;

/** A number read from the start of some words, and how many words it took. */
export interface NumberWords {
  value: number;
  words: number;
}

/**
 * The number the first words of `words` (lower case, already split) spell, or `undefined`
 * when they spell none. "a" and "an" count as one only when `article` is set, and never
 * before "hundred": "a hundred" is 100.
 */
export function readNumberWords(
  words: readonly string[],
  options: { article?: boolean } = {},
): NumberWords | undefined {
  let i = 0;
  let value: number | undefined;
  const first = words[0];
  if ((first === "a" || first === "an") && words[1] === "hundred") {
    value = 100;
    i = 2;
  } else {
    const below = belowHundred(words, 0);
    if (below !== undefined) {
      [value, i] = [below.value, below.words];
      if (words[i] === "hundred" && value >= 1 && value <= 9) {
        value *= 100;
        i += 1;
      } else {
        return { value, words: i };
      }
    } else if ((first === "a" || first === "an") && options.article) {
      return { value: 1, words: 1 };
    } else {
      return undefined;
    }
  }
  // After "hundred": an optional "and" and the rest below a hundred.
  const hasAnd = words[i] === "and";
  const rest = belowHundred(words, hasAnd ? i + 1 : i);
  if (rest === undefined || rest.value === 0) return { value, words: i };
  return { value: value + rest.value, words: rest.words };
}

/** `text` as a whole number in words ("twenty-one"), or `undefined` when it is anything else. */
export function numberFromWords(text: string): number | undefined {
  const words = splitWords(text);
  const read = readNumberWords(words);
  return read !== undefined && read.words === words.length ? read.value : undefined;
}

/** Lower case words, split at spaces and hyphens. */
export function splitWords(text: string): string[] {
  const trimmed = text.trim().toLowerCase();
  return trimmed === "" ? [] : trimmed.split(WORD_BREAK);
}

function belowHundred(words: readonly string[], at: number): NumberWords | undefined {
  const word = words[at];
  if (word === undefined) return undefined;
  const small = SMALL.get(word);
  if (small !== undefined) return { value: small, words: at + 1 };
  const tens = TENS.get(word);
  if (tens === undefined) return undefined;
  const unit = SMALL.get(words[at + 1] ?? "");
  return unit !== undefined && unit >= 1 && unit <= 9
    ? { value: tens + unit, words: at + 2 }
    : { value: tens, words: at + 1 };
}

const SMALL_NAMES = [...SMALL.keys()];
const TENS_NAMES = [...TENS.keys()];

/** `21` as "twenty-one", `120` as "one hundred twenty"; whole numbers from 0 to 999. */
export function numberInWords(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 999) return String(value);
  const hundreds = Math.floor(value / 100);
  const rest = value % 100;
  const below = rest < 20
    ? SMALL_NAMES[rest] ?? ""
    : `${TENS_NAMES[Math.floor(rest / 10) - 2]}${
      rest % 10 === 0 ? "" : `-${SMALL_NAMES[rest % 10]}`
    }`;
  if (hundreds === 0) return below;
  return `${SMALL_NAMES[hundreds]} hundred${rest === 0 ? "" : ` ${below}`}`;
}
