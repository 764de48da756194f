/**
 * Filters a placeholder may apply to its answer, so that a value reads right mid-sentence:
 * `{{id | lower}}`, `{{id | title}}`, `{{id | article}}`, `{{id | plural: "year"}}`. They
 * run left to right: `{{job_title | title | article}}` gives "a Senior Data Analyst".
 */

export const FILTER_NAMES = ["lower", "title", "article", "plural"] as const;
export type FilterName = typeof FILTER_NAMES[number];

/** One filter of a placeholder; `arg` is the quoted argument (`plural` needs one). */
export type Filter = { name: FilterName; arg?: string };

/** Words `title` leaves in lower case unless they come first. */
const MINOR_WORDS = new Set([
  "a",
  "an",
  "and",
  "as",
  "at",
  "but",
  "by",
  "for",
  "in",
  "nor",
  "of",
  "on",
  "or",
  "the",
  "to",
  "with",
]);

/** Words spelled with a vowel that begin with a consonant sound, and the reverse. */
const A_BEFORE = /^(?:uni|use|usu|uti|ure|eu|ewe|one|once|ubiq)/;
const AN_BEFORE = /^(?:hour|honest|honor|honour|heir)/;
/** Letters whose spoken name starts with a vowel sound, for acronyms ("an SEO", "a UX"). */
const AN_LETTERS = new Set([..."AEFHILMNORSX"]);

/** The value after every filter. An empty value (a skipped answer) stays empty. */
export function applyFilters(value: string, filters: readonly Filter[]): string {
  return filters.reduce((text, filter) => text === "" ? text : applyFilter(text, filter), value);
}

function applyFilter(text: string, filter: Filter): string {
  switch (filter.name) {
    case "lower":
      return text.replace(/\S+/g, (word) => isAcronym(word) ? word : word.toLowerCase());
    case "title":
      return titleCase(text);
    case "article":
      return `${article(text)} ${text}`;
    case "plural":
      return `${text} ${isOne(text) ? singular(filter.arg ?? "") : plural(filter.arg ?? "")}`;
  }
}

/** Two or more letters, all capitals: "US", "SEO", "VP". */
function isAcronym(word: string): boolean {
  const letters = word.replace(/[^\p{L}]/gu, "");
  return letters.length >= 2 && letters === letters.toUpperCase() &&
    letters !== letters.toLowerCase();
}

/**
 * Capitalises each word, leaving minor words ("of", "and") in lower case unless first and
 * keeping any word the user wrote with a capital as written ("VP", "McKinsey", "iOS").
 */
function titleCase(text: string): string {
  let index = 0;
  return text.replace(/[\p{L}\p{N}'’]+/gu, (word) => {
    const first = index++ === 0;
    if (word !== word.toLowerCase()) return word;
    if (!first && MINOR_WORDS.has(word)) return word;
    return word.charAt(0).toUpperCase() + word.slice(1);
  });
}

/** "a" or "an" for the first word of `text`, by how it is spoken. */
function article(text: string): "a" | "an" {
  const word = /[\p{L}\p{N}]+/u.exec(text)?.[0] ?? "";
  if (isAcronym(word)) return AN_LETTERS.has(word.charAt(0)) ? "an" : "a";
  const lower = word.toLowerCase();
  if (/^\d/.test(lower)) return /^(?:8|11|18)(?!\d)|^8\d/.test(lower) ? "an" : "a";
  if (AN_BEFORE.test(lower)) return "an";
  if (A_BEFORE.test(lower)) return "a";
  return /^[aeiou]/.test(lower) ? "an" : "a";
}

/** Whether a normalised number is one (or minus one): "1", "-1". */
function isOne(text: string): boolean {
  return /^[-\u2212]?1$/.test(text.trim());
}

/** `"person|people"` gives "person"; `"year"` gives "year". */
function singular(arg: string): string {
  return arg.split("|")[0] ?? arg;
}

/** `"person|people"` gives "people"; otherwise the regular English plural of the word. */
function plural(arg: string): string {
  const [word = "", explicit] = arg.split("|");
  if (explicit !== undefined) return explicit;
  if (/(?:s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}
