/**
 * Typed SQL literals for the one statement that cannot carry parameters: a simple-protocol query
 * of several statements (see callAsUser in database.ts). Each builder checks its value and
 * returns text that Postgres reads back as exactly that value, whatever the server's
 * `standard_conforming_strings`: strings are escape-string literals (`E'...'`) with every
 * backslash and quote doubled, and cast to their type.
 */

declare const literal: unique symbol;

/** Text that is one SQL literal, built by the functions below only. */
export type SqlLiteral = string & { readonly [literal]: true };

/** A text literal. NUL cannot be stored in Postgres text, so it is refused here. */
export function text(value: string): SqlLiteral {
  if (value.includes("\0")) {
    throw new TypeError(`Cannot send text to the database: it contains a NUL character`);
  }
  return `E'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'` as SqlLiteral;
}

/** A uuid literal; Postgres checks the shape (22P02), as it would a parameter's. */
export function uuid(value: string | null): SqlLiteral {
  return (value === null ? "null::uuid" : `${text(value)}::uuid`) as SqlLiteral;
}

/** An integer literal: a safe integer only. */
export function integer(value: number): SqlLiteral {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`Cannot send "${value}" to the database as an integer`);
  }
  return `${value}::integer` as SqlLiteral;
}

export function boolean(value: boolean): SqlLiteral {
  return (value ? "true" : "false") as SqlLiteral;
}

/** A jsonb literal from JSON text (JSON.stringify's output), or SQL null. */
export function jsonb(json: string | null): SqlLiteral {
  return (json === null ? "null::jsonb" : `${text(json)}::jsonb`) as SqlLiteral;
}
