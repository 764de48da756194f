/**
 * Typed arguments of the chat's calls (createUserDatabase in database.ts), each usable two ways:
 * as a parameter of a prepared statement (`value`, sent as text and cast to `type` by the
 * statement, `$1::text::jsonb`) and as a literal of a simple-protocol query of several
 * statements, which cannot carry parameters (`literal`). Literals read back as exactly the value,
 * whatever the server's `standard_conforming_strings`: strings are escape-string literals
 * (`E'...'`) with every backslash and quote doubled, and cast to their type.
 */

export type SqlType = "text" | "uuid" | "integer" | "bigint" | "boolean" | "jsonb";

export interface SqlArgument {
  readonly type: SqlType;
  /** The value as a parameter's text; null for SQL null. */
  readonly value: string | null;
  /** The same value as one SQL literal of its type. */
  readonly literal: string;
}

function quoted(value: string): string {
  if (value.includes("\0")) {
    throw new TypeError(`Cannot send text to the database: it contains a NUL character`);
  }
  return `E'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

/**
 * The literal is made when asked for: only the simple-protocol path (the transaction pooler) asks,
 * and quoting a turn's JSON on every prepared call was work thrown away. A NUL in text is still
 * refused at once, whichever path the argument takes.
 */
class Argument implements SqlArgument {
  readonly type: SqlType;
  readonly value: string | null;

  constructor(type: SqlType, value: string | null) {
    if (value?.includes("\0")) {
      throw new TypeError(`Cannot send text to the database: it contains a NUL character`);
    }
    this.type = type;
    this.value = value;
  }

  get literal(): string {
    return this.value === null ? `null::${this.type}` : `${quoted(this.value)}::${this.type}`;
  }
}

function argument(type: SqlType, value: string | null): SqlArgument {
  return new Argument(type, value);
}

/** A text argument. NUL cannot be stored in Postgres text, so it is refused here. */
export function text(value: string): SqlArgument {
  return argument("text", value);
}

/** A uuid argument; Postgres checks the shape (22P02). */
export function uuid(value: string | null): SqlArgument {
  return argument("uuid", value);
}

/** An integer argument: a safe integer only. */
export function integer(value: number): SqlArgument {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`Cannot send "${value}" to the database as an integer`);
  }
  return argument("integer", String(value));
}

/** A bigint argument (a connection's generation), or SQL null. */
export function bigint(value: bigint | null): SqlArgument {
  return argument("bigint", value === null ? null : value.toString());
}

export function boolean(value: boolean): SqlArgument {
  return argument("boolean", value ? "true" : "false");
}

/** A jsonb argument from JSON text (JSON.stringify's output), or SQL null. */
export function jsonb(json: string | null): SqlArgument {
  return argument("jsonb", json);
}
