/**
 * A template as its author wrote it, before zod: the checker reads the questions from the JSON
 * even when some of them are malformed, so one mistake does not hide the others.
 */
export interface RawQuestion {
  /** The question's index in `questions`, for its JSON path. */
  index: number;
  id: string;
  type: string;
  required: boolean;
  options: string[];
  when?: { question: string; equals: string };
  [field: string]: unknown;
}

export function rawQuestions(json: unknown): RawQuestion[] {
  const questions = isRecord(json) && Array.isArray(json.questions) ? json.questions : [];
  const out: RawQuestion[] = [];
  questions.forEach((value: unknown, index: number) => {
    if (!isRecord(value) || typeof value.id !== "string") return;
    const when = isRecord(value.when) && typeof value.when.question === "string" &&
        typeof value.when.equals === "string"
      ? { question: value.when.question, equals: value.when.equals }
      : undefined;
    const options = Array.isArray(value.options)
      ? value.options.filter((o): o is string => typeof o === "string")
      : value.type === "yes_no"
      ? ["Yes", "No"]
      : [];
    out.push({
      ...value,
      index,
      id: value.id,
      type: typeof value.type === "string" ? value.type : "",
      required: value.required !== false,
      options,
      ...(when === undefined ? {} : { when }),
    });
  });
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a condition or `==` block value is one the question's answer can take. */
export function canEqual(question: RawQuestion, value: string): boolean {
  if (question.type !== "choice" && question.type !== "yes_no") return true;
  const wanted = value.trim().toLowerCase();
  return question.options.some((option) => option.toLowerCase() === wanted);
}
