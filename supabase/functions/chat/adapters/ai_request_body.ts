/**
 * The AI request's JSON, as `JSON.stringify(request)` makes it but for the order of its keys
 * (history and template last), without serialising again what was serialised on an earlier call:
 * the template is the same object for a whole connection and every turn is never changed once
 * made, so each is turned into JSON once (BENCHMARKS.md, "Chat CPU per turn"). A template's body
 * is a whole legal document; an interview's history grows with every answer.
 */
import type { Turn } from "../../_shared/wire/protocol.ts";
import type { NextQuestionRequest } from "../ports/next_question_source.ts";

const cache = new WeakMap<object, string>();

function cachedJson(value: object): string {
  let json = cache.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    cache.set(value, json);
  }
  return json;
}

/** The request body for `request`: equal, as JSON, to `JSON.stringify(request)`. */
export function aiRequestBody(request: NextQuestionRequest): string {
  const { history, template, ...rest } = request;
  const head = JSON.stringify(rest);
  const turns = history.map((turn: Turn) => cachedJson(turn)).join(",");
  const tail = `"history":[${turns}],"template":${cachedJson(template)}}`;
  return head === "{}" ? `{${tail}` : `${head.slice(0, -1)},${tail}`;
}
