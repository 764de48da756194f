/**
 * The tags of a template body with where each starts, for the checker's line numbers. The
 * grammar is the body parser's (`_shared/template/template_body.ts`, which the documents use);
 * this reads the same tags without building the tree, keeping each tag's offset.
 */
import {
  FILTER_NAMES,
  type FilterName,
} from "../../supabase/functions/_shared/template/body_filters.ts";

export type BodyTag =
  | { kind: "placeholder"; offset: number; raw: string; id: string; filters: FilterName[] }
  | { kind: "section_number"; offset: number; raw: string }
  /** `{{@today}}`: the day the document is assembled. */
  | { kind: "today"; offset: number; raw: string }
  | { kind: "open"; offset: number; raw: string; negate: boolean; id: string; equals?: string }
  | { kind: "close"; offset: number; raw: string; negate: boolean }
  | { kind: "unknown"; offset: number; raw: string }
  /** A "{{" with no "}}" before the next "{{". */
  | { kind: "unclosed"; offset: number; raw: string };

const TAG = /\{\{([\s\S]*?)\}\}/g;
const PLACEHOLDER = /^\s*(\w+)\s*((?:\|[^|]*)*)$/;
const FILTER_NAME = /^\s*(\w+)/;
const SECTION_NUMBER = /^\s*#\s*$/;
const TODAY = /^\s*@today\s*$/;
const OPEN = /^\s*#(if|unless)\s+(\w+)\s*(?:==\s*"([^"]*)"\s*)?$/;
const CLOSE = /^\s*\/(if|unless)\s*$/;

export function bodyTags(body: string): BodyTag[] {
  const tags: BodyTag[] = [];
  const pattern = new RegExp(TAG);
  for (let match = pattern.exec(body); match !== null; match = pattern.exec(body)) {
    const raw = match[0];
    const inner = match[1] ?? "";
    const offset = match.index;
    const nested = inner.indexOf("{{");
    if (nested !== -1) {
      tags.push({ kind: "unclosed", offset, raw: "{{" });
      pattern.lastIndex = offset + 2 + nested;
      continue;
    }
    let m = PLACEHOLDER.exec(inner);
    if (m) {
      const filters = (m[2] ?? "").split("|").slice(1)
        .map((text) => FILTER_NAME.exec(text)?.[1] as FilterName | undefined)
        .filter((name): name is FilterName => name !== undefined && FILTER_NAMES.includes(name));
      tags.push({ kind: "placeholder", offset, raw, id: m[1] ?? "", filters });
    } else if (TODAY.test(inner)) {
      tags.push({ kind: "today", offset, raw });
    } else if (SECTION_NUMBER.test(inner)) {
      tags.push({ kind: "section_number", offset, raw });
    } else if ((m = OPEN.exec(inner))) {
      const tag: BodyTag = { kind: "open", offset, raw, negate: m[1] === "unless", id: m[2] ?? "" };
      if (m[3] !== undefined) tag.equals = m[3];
      tags.push(tag);
    } else if ((m = CLOSE.exec(inner))) {
      tags.push({ kind: "close", offset, raw, negate: m[1] === "unless" });
    } else {
      tags.push({ kind: "unknown", offset, raw });
    }
  }
  return tags;
}
