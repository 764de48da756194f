/** The outcome of validating one answer: its normalised value, or a hint for the user. */
export type AnswerResult = { ok: true; value: string } | { ok: false; hint: string };
