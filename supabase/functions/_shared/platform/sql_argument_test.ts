// The arguments of the chat's calls, read back by the real Postgres both ways, as the literals of a
// simple-protocol query and as the parameters of a prepared statement: every value comes back
// exactly as sent, whatever quotes, backslashes or escapes it holds.
import assert from "node:assert/strict";
import postgres from "postgres";
import { adminSql, DB_URL } from "../../../../test_support/local_stack.ts";
import { boolean, integer, jsonb, text, uuid } from "./sql_argument.ts";

const HOSTILE = [
  "",
  "plain",
  "it's",
  "''",
  "\\",
  "\\'; select pg_sleep(10); --",
  "E'\\x41'",
  "$$ $tag$ \\n \\t",
  "line\nbreak\r\ttab",
  "\u00e9\u4e2d\u{1F600} \u2028",
  "\\\\'\\\\''",
];

Deno.test("literals read back as exactly the value they were built from", async (t) => {
  const sql = adminSql();
  try {
    for (const conforming of ["on", "off"]) {
      await t.step(`with standard_conforming_strings ${conforming}`, async () => {
        // Set when the connection starts: the lexer reads a whole query string before it runs.
        const session = postgres(DB_URL, {
          max: 1,
          onnotice: () => {},
          connection: { standard_conforming_strings: conforming },
        });
        try {
          const [setting] = await session`select current_setting('standard_conforming_strings')`;
          assert.equal(setting!.current_setting, conforming);
          for (const value of HOSTILE) {
            const [row] = await session.unsafe(`select ${text(value).literal} as value`);
            assert.equal(row!.value, value, JSON.stringify(value));
          }
        } finally {
          await session.end();
        }
      });
    }

    await t.step("jsonb keeps every string of a turn as it was", async () => {
      const turns = HOSTILE.map((content, n) => ({
        role: "user",
        content,
        n,
        nested: { content },
      }));
      const [row] = await sql.unsafe(`select ${jsonb(JSON.stringify(turns)).literal} as value`);
      assert.deepEqual(row!.value, turns);
    });

    await t.step("uuids, integers, booleans and nulls", async () => {
      const id = crypto.randomUUID();
      const [row] = await sql.unsafe(
        `select ${uuid(id).literal} as id, ${uuid(null).literal} as none,
          ${integer(-42).literal} as n, ${boolean(true).literal} as yes,
          ${boolean(false).literal} as no, ${jsonb(null).literal} as nothing`,
      );
      assert.deepEqual({ ...row }, { id, none: null, n: -42, yes: true, no: false, nothing: null });
      await assert.rejects(sql.unsafe(`select ${uuid("not-a-uuid").literal}`), { code: "22P02" });
    });

    await t.step("as parameters of a prepared statement, cast to their types", async () => {
      const id = crypto.randomUUID();
      const turns = HOSTILE.map((content) => ({ role: "user", content }));
      const args = [
        uuid(id),
        uuid(null),
        integer(-42),
        boolean(true),
        jsonb(JSON.stringify(turns)),
        jsonb(null),
        ...HOSTILE.map(text),
      ];
      const columns = args.map((arg, n) => `$${n + 1}::text::${arg.type} as c${n}`).join(", ");
      const [row] = await sql.unsafe(`select ${columns}`, args.map((arg) => arg.value), {
        prepare: true,
      });
      assert.deepEqual(
        Object.values({ ...row }),
        [id, null, -42, true, turns, null, ...HOSTILE],
      );
    });
  } finally {
    await sql.end();
  }
});

Deno.test("values Postgres could not read back are refused before they are sent", () => {
  assert.throws(() => text("a\0b"), {
    name: "TypeError",
    message: "Cannot send text to the database: it contains a NUL character",
  });
  for (const value of [1.5, Number.NaN, Infinity, 2 ** 53]) {
    assert.throws(() => integer(value), { name: "RangeError" }, String(value));
  }
});
