/**
 * Whether a text is a UUID as Postgres writes one: 32 hex digits in groups of 8-4-4-4-12, either
 * case. Checked before an id reaches SQL, so a malformed one gets its own answer rather than a
 * database error (22P02). Any version and variant: Postgres's uuid type takes them all.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): boolean {
  return typeof value === "string" && UUID.test(value);
}
