/**
 * The document template format: a row of `public.document_templates`, its question set and
 * its Markdown body. See docs/template_format.md.
 */
import { z } from "zod";
import { AMOUNT_PERIODS } from "./rate_period.ts";
import { choiceKey } from "./choice_key.ts";
import { DATE_RULES } from "./date_rules.ts";
import { NUMBER_UNITS } from "./number_unit.ts";
import { checkTemplateReferences } from "./template_references.ts";
import { checkTitleRule } from "./draft_title.ts";
import { invisibleCharacterProblem } from "../wire/invisible_characters.ts";
import { QUESTION_TYPES } from "../wire/constants.ts";

/** One question of a template, as stored in `document_templates.questions`. */
export const questionSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, "Must match /^[a-z][a-z0-9_]*$/"),
  text: z.string().trim().min(1),
  type: z.enum(QUESTION_TYPES),
  label: z.string().trim().min(1).max(100).optional(),
  required: z.boolean().default(true),
  options: z.array(z.string().trim().min(1)).min(2).optional(),
  aliases: z.record(z.string(), z.array(z.string().trim().min(1)).min(1)).optional(),
  hint: z.string().trim().min(1).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, "Must be an ISO 4217 code such as USD").optional(),
  per: z.enum(AMOUNT_PERIODS).optional(),
  unit: z.enum(NUMBER_UNITS).optional(),
  after: z.string().optional(),
  notBefore: z.string().optional(),
  before: z.string().optional(),
  notAfter: z.string().optional(),
  when: z.strictObject({ question: z.string(), equals: z.string().trim().min(1) }).optional(),
}).superRefine((q, ctx) => {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: "custom", path: [path], message });
  if (q.type === "choice" && q.options === undefined) {
    issue("options", "Required for a choice question");
  }
  if (q.type !== "choice" && q.options !== undefined) {
    issue("options", `Not allowed for a ${q.type} question`);
  }
  const keys = new Set((q.options ?? []).map(choiceKey));
  if (q.options !== undefined && keys.size !== q.options.length) {
    issue("options", "Options must differ by more than case, spaces or punctuation");
  }
  if (keys.has("")) issue("options", "Each option needs a letter or a digit");
  if (q.aliases !== undefined && q.type !== "choice") {
    issue("aliases", `Not allowed for a ${q.type} question`);
  }
  for (const [option, aliases] of Object.entries(q.aliases ?? {})) {
    if (!(q.options ?? []).includes(option)) {
      issue("aliases", `"${option}" is not one of the options`);
    }
    for (const alias of aliases) {
      const key = choiceKey(alias);
      if (key === "" || keys.has(key)) {
        issue("aliases", `Alias "${alias}" is empty or names another option or alias`);
      }
      keys.add(key);
    }
  }
  for (const bound of ["min", "max"] as const) {
    if (q[bound] !== undefined && q.type !== "number" && q.type !== "amount") {
      issue(bound, `Not allowed for a ${q.type} question`);
    }
  }
  if (q.min !== undefined && q.max !== undefined && q.min > q.max) {
    issue("max", "Must not be less than min");
  }
  if (q.type === "amount" && q.min !== undefined && q.min < 0) {
    issue("min", "Amounts are never negative");
  }
  if (q.currency !== undefined && q.type !== "amount") {
    issue("currency", `Not allowed for a ${q.type} question`);
  }
  if (q.per !== undefined && q.type !== "amount" && q.type !== "number") {
    issue("per", `Not allowed for a ${q.type} question`);
  }
  if (q.per !== undefined && q.type === "number" && q.unit === undefined) {
    issue("per", "A number asked per a period needs its unit");
  }
  if (q.unit !== undefined && q.type !== "number") {
    issue("unit", `Not allowed for a ${q.type} question`);
  }
  for (const rule of DATE_RULES) {
    if (q[rule] !== undefined && q.type !== "date") {
      issue(rule, `Not allowed for a ${q.type} question`);
    }
  }
}).transform((q) => q.type === "amount" ? { ...q, currency: q.currency ?? "USD" } : q);

/** A question after parsing: `required` always set, `currency` set for amounts. */
export type Question = z.output<typeof questionSchema>;

/** A `document_templates` row; unknown columns (timestamps, ...) are dropped. */
export const templateSchema = z.object({
  id: z.guid(),
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Must be kebab-case"),
  name: z.string().trim().min(1).superRefine(refuseInvisibleCharacters),
  description: z.string().nullish().transform((d) => d ?? ""),
  /** The title rule of its interviews and documents (draft_title.ts); the name without it. */
  title: z.string().trim().min(1).max(200).superRefine(refuseInvisibleCharacters).nullish()
    .transform((t) => t ?? undefined),
  questions: z.array(questionSchema).min(1),
  body: z.string().trim().min(1).superRefine(refuseInvisibleCharacters),
  is_active: z.boolean().default(true),
});

export type Template = z.output<typeof templateSchema>;

/** What `parseTemplate` accepts when given a well-formed object. */
export type TemplateInput = z.input<typeof templateSchema>;

/**
 * Validates a template and the references between its questions and body.
 *
 * @throws {TypeError} naming the template and the first problem, e.g.
 * `Template "nda": placeholder "{{foo}}" names no question`.
 */
export function parseTemplate(raw: unknown): Template {
  const slug = typeof raw === "object" && raw !== null && "slug" in raw &&
      typeof raw.slug === "string"
    ? raw.slug
    : "(no slug)";
  const parsed = templateSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new TypeError(`Template "${slug}": ${detail.join("; ")}`);
  }
  try {
    checkTemplateReferences(parsed.data);
    if (parsed.data.title !== undefined) {
      checkTitleRule(parsed.data.title, new Set(parsed.data.questions.map((q) => q.id)));
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new TypeError(`Template "${slug}": ${message}`);
  }
  return parsed.data;
}

/**
 * The name and body become a document's title and text, which may not hold what answers may not
 * (invisible_characters.ts): the database would refuse the document of every interview.
 */
function refuseInvisibleCharacters(value: string, context: z.RefinementCtx): void {
  const problem = invisibleCharacterProblem(value, "The text");
  if (problem !== undefined) context.addIssue({ code: "custom", message: problem });
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    out += typeof key === "number" ? `[${key}]` : `${out === "" ? "" : "."}${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}
