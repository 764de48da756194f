/** The outcome of validating one answer: its normalised value, or why it was not accepted. */
export type AnswerResult = { ok: true; value: string } | { ok: false; problem: string };
