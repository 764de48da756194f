/**
 * One template record shared by every connection that loaded the same template, instead of a
 * copy per connection: an idle session held its own questions, texts and body (a few KB for the
 * bench's ten short questions, a whole legal document for a real template), and the AI request's
 * cached JSON of it once more (BENCHMARKS.md, "Chat CPU per turn", idle memory). Records are
 * keyed by their exact content, so a template edited or versioned in the database is a new
 * record, and frozen, so no session can change what another one reads.
 */
import type { TemplateRecord } from "../ports/session_store.ts";

/** Distinct templates kept; past this the oldest is forgotten (its sessions keep their copy). */
const MAX_SHARED = 256;

const shared = new Map<string, TemplateRecord>();

/** The shared record with `record`'s content, `record` itself (frozen) when it is the first. */
export function sharedTemplate(record: TemplateRecord): TemplateRecord {
  const key = JSON.stringify(record);
  const known = shared.get(key);
  if (known) return known;
  if (shared.size >= MAX_SHARED) shared.delete(shared.keys().next().value!);
  shared.set(key, deepFreeze(record));
  return record;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
