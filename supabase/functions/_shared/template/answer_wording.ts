/**
 * How a normalised answer reads in a document's prose, where it differs from how the interview
 * stores and shows it. Pure functions of the value.
 */
import { MONTH_NAMES } from "./date_answer.ts";

/**
 * An amount without its cents when they are zero: "$120,000.00" reads "$120,000" and
 * "EUR 1,500.00" "EUR 1,500", as a contract writes a round sum; "$85,000.50" keeps its cents.
 * The stored answer (and the review) keep the exact form.
 */
export function documentAmount(value: string): string {
  return value.replace(/(\d)\.0+(?!\d)/g, "$1");
}

/** `YYYY-MM-DD` as a document writes dates, the form date answers take: "December 7, 2026". */
export function documentDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const month = match ? MONTH_NAMES[Number(match[2]) - 1] : undefined;
  if (!match || month === undefined) {
    throw new RangeError(`Cannot write date "${iso}": not YYYY-MM-DD`);
  }
  return `${month} ${Number(match[3])}, ${match[1]}`;
}
