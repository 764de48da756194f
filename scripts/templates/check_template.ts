/**
 * The template checker: every problem of a template's JSON (`<slug>.json`) and body
 * (`<slug>.md`), each with its file, line and column, instead of the first one a failed
 * migration or seed would name. Pure: the files' texts in, problems out.
 */
import {
  parseTemplate,
  templateSchema,
} from "../../supabase/functions/_shared/template/template.ts";
import { bodyProblems } from "./body_checks.ts";
import { JsonLocations, type JsonPath } from "./json_locations.ts";
import { questionProblems } from "./question_checks.ts";
import { isRecord, rawQuestions } from "./raw_template.ts";
import { sortProblems, type TemplateProblem } from "./source_position.ts";

export interface TemplateFiles {
  jsonFile: string;
  jsonText: string;
  bodyFile: string;
  /** Undefined when the `.md` beside the JSON is missing. */
  bodyText: string | undefined;
}

/** Keys the database row has that the files must not set (the body comes from the `.md`). */
const NOT_IN_JSON = new Set(["body", "is_active"]);

export function checkTemplate(files: TemplateFiles): TemplateProblem[] {
  const json = new JsonLocations(files.jsonFile, files.jsonText);
  if (json.syntaxProblems.length > 0) return json.syntaxProblems;
  const value: unknown = JSON.parse(files.jsonText);
  if (!isRecord(value)) return [json.problem([], "A template file holds one JSON object")];
  if (files.bodyText === undefined) {
    return [json.problem([], `The template has no body: ${files.bodyFile} is missing`)];
  }
  const problems: TemplateProblem[] = [];
  const slug = files.jsonFile.replace(/^.*\//, "").replace(/\.json$/, "");
  if (typeof value.slug === "string" && value.slug !== slug) {
    problems.push(
      json.problem(["slug"], `The slug "${value.slug}" differs from the file name "${slug}"`),
    );
  }
  const allowed = Object.keys(templateSchema.shape).filter((key) => !NOT_IN_JSON.has(key));
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      problems.push(json.problem(
        [key],
        `Unexpected key "${key}": a template file has ${allowed.map((k) => `"${k}"`).join(", ")}`,
        "key",
      ));
    }
  }
  const parsed = templateSchema.safeParse({ ...value, body: files.bodyText });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
      if (path[0] === "body") {
        problems.push({ file: files.bodyFile, line: 1, column: 1, message: issue.message });
      } else {
        problems.push(json.problem(path, `${describePath(path, value)}: ${issue.message}`));
      }
    }
  }
  const questions = rawQuestions(value);
  problems.push(...questionProblems(questions, json));
  problems.push(...bodyProblems({ file: files.bodyFile, text: files.bodyText }, questions, json));
  if (problems.length === 0) {
    // Whatever the loader refuses, the checker must too: the seed and the chat load with it.
    try {
      parseTemplate({ ...value, body: files.bodyText });
    } catch (error) {
      problems.push(json.problem([], error instanceof Error ? error.message : String(error)));
    }
  }
  return sortProblems(problems);
}

/** `questions[3].type` as `Question "years", type`, the way an author names it. */
function describePath(path: JsonPath, value: Record<string, unknown>): string {
  const [head, index, ...rest] = path;
  const questions = Array.isArray(value.questions) ? value.questions : [];
  const question: unknown = typeof index === "number" ? questions[index] : undefined;
  if (head === "questions" && isRecord(question) && typeof question.id === "string") {
    return `Question "${question.id}"${rest.length > 0 ? `, ${describePath(rest, {})}` : ""}`;
  }
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out ? "." : ""}${key}`;
  return out || "The template";
}
