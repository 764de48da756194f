/**
 * The calendar day it is at an instant in a person's IANA time zone, so that "today" and
 * "tomorrow" mean what they mean where the person is. An absent or unknown zone is UTC.
 */

/** How many zones keep a formatter; more are formatted without one being kept. */
const MAX_CACHED_ZONES = 64;
const formatters = new Map<string, Intl.DateTimeFormat | null>();
const UTC = "UTC";
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Building a DateTimeFormat costs far more than using one: one per zone, reused. */
function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(timeZone);
  if (cached !== undefined) return cached;
  let formatter: Intl.DateTimeFormat | null = null;
  try {
    // en-CA writes the day as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
  } catch {
    formatter = null; // a RangeError: not a time zone this runtime knows
  }
  if (formatters.size < MAX_CACHED_ZONES) formatters.set(timeZone, formatter);
  return formatter;
}

/** `timeZone` when it is an IANA name this runtime knows, otherwise "UTC". */
export function resolveTimeZone(timeZone: string | undefined): string {
  if (timeZone === undefined || timeZone === "" || timeZone.length > 64) return UTC;
  return formatterFor(timeZone) === null ? UTC : timeZone;
}

/**
 * The day, `YYYY-MM-DD`, that it is at `instant` (an ISO timestamp or milliseconds) in
 * `timeZone` (UTC when absent or unknown), or `undefined` when the instant is not a time.
 */
export function calendarDayIn(
  instant: string | number,
  timeZone?: string,
): string | undefined {
  const time = typeof instant === "number" ? instant : Date.parse(instant);
  if (!Number.isFinite(time) || Math.abs(time) > 8.64e15) return undefined;
  const zone = resolveTimeZone(timeZone);
  const formatted = zone === UTC
    ? new Date(time).toISOString().slice(0, 10)
    : formatterFor(zone)?.format(time);
  // A year beyond 9999 or before 1000 is not a day the engine writes.
  return formatted !== undefined && ISO_DAY.test(formatted) ? formatted : undefined;
}
