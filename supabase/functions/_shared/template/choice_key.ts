/**
 * The key under which choice options and answers are compared: Unicode-normalised,
 * lower-cased, every run of spaces and punctuation turned into one space, trimmed.
 * So `"Full-time"`, `"full time"` and `" FULL TIME. "` share the key `"full time"`.
 */
export function choiceKey(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}
