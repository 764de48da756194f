/**
 * LIMITS and the write path's SQL hold the same numbers: each limit is called at its boundary in
 * the real database (the maximum is stored, one more is refused with its SQLSTATE), and every
 * size bound written in a chat_internal function or a table's check is one of LIMITS. Needs the
 * local stack. docs/decisions.md, "One source for every limit".
 */
import assert from "node:assert/strict";
import type postgres from "postgres";
import { adminSql } from "../../../../../test_support/local_stack.ts";
import { QUESTION_RESERVE_BYTES } from "../../../chat/interview/session_limits.ts";
import { LIMITS } from "../constants.ts";

const AT = "2026-12-01T10:00:00.000Z";

/**
 * Bounds only the database has, with why no TypeScript holds them. A new one belongs in LIMITS
 * when TypeScript checks it too; otherwise here, with its reason.
 */
const DATABASE_ONLY: readonly { where: string; value: number; why: string }[] = [
  {
    where: "document_templates",
    value: 200,
    why: "a template's name: templates are written with SQL (seed.sql), and no TypeScript " +
      "checks or stores a name",
  },
];

/** The SQLSTATE and message a statement was refused with, or undefined when it ran. */
async function refusal(
  statement: Promise<unknown>,
): Promise<{ code: string; message: string } | undefined> {
  try {
    await statement;
    return undefined;
  } catch (error: unknown) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code !== "string" || code.length !== 5) throw error;
    return { code, message: String(message) };
  }
}

function turn(fields: Record<string, unknown>): Record<string, unknown> {
  return { role: "user", content: "yes", at: AT, ...fields };
}

Deno.test("the database's limits are LIMITS, at each boundary", async (t) => {
  const sql = adminSql();
  const turns = (list: Record<string, unknown>[]) =>
    refusal(sql`select chat_internal.assert_turns(${JSON.stringify(list)}::text::jsonb)`);
  const document = (title: string, content: string) =>
    refusal(
      sql`select chat_internal.assert_document(${JSON.stringify({ title, content })}::text::jsonb)`,
    );
  const history = (turnCount: number, bytes: number) =>
    refusal(sql`select chat_internal.assert_history_fits(
      ${crypto.randomUUID()}::uuid, ${turnCount}::integer, ${bytes}::integer)`);
  try {
    await t.step("an answer of maxAnswerChars is stored, one character more is not", async () => {
      assert.equal(await turns([turn({ content: "a".repeat(LIMITS.maxAnswerChars) })]), undefined);
      const refused = await turns([turn({ content: "a".repeat(LIMITS.maxAnswerChars + 1) })]);
      assert.equal(refused?.code, "CH413");
      assert.match(refused!.message, new RegExp(`at most ${LIMITS.maxAnswerChars} characters`));
    });

    await t.step(
      "a question of maxQuestionChars is stored, one character more is not",
      async () => {
        const question = (length: number) =>
          turn({ role: "assistant", content: "q".repeat(length), questionId: "q1" });
        assert.equal(await turns([question(LIMITS.maxQuestionChars)]), undefined);
        const refused = await turns([question(LIMITS.maxQuestionChars + 1)]);
        assert.equal(refused?.code, "CH413");
        assert.match(refused!.message, new RegExp(`at most ${LIMITS.maxQuestionChars} characters`));
      },
    );

    for (const field of ["questionId", "clientMessageId"]) {
      await t.step(`a ${field} of maxIdChars is stored, one character more is not`, async () => {
        assert.equal(await turns([turn({ [field]: "i".repeat(LIMITS.maxIdChars) })]), undefined);
        const refused = await turns([turn({ [field]: "i".repeat(LIMITS.maxIdChars + 1) })]);
        assert.equal(refused?.code, "22023");
        assert.match(refused!.message, new RegExp(`of 1 to ${LIMITS.maxIdChars} characters`));
      });
    }

    await t.step("maxTurnsPerWrite turns are stored in one call, one more is not", async () => {
      const many = (count: number) => Array.from({ length: count }, () => turn({}));
      assert.equal(await turns(many(LIMITS.maxTurnsPerWrite)), undefined);
      const refused = await turns(many(LIMITS.maxTurnsPerWrite + 1));
      assert.equal(refused?.code, "CH413");
      assert.match(refused!.message, new RegExp(`At most ${LIMITS.maxTurnsPerWrite} turns`));
    });

    await t.step("a turn of maxTurnBytes is stored, one byte more is not", async () => {
      // Padded by a field the check does not know, measured as the database measures it.
      const [row] = await sql<{ bytes: number }[]>`
        select octet_length(${JSON.stringify(turn({ pad: "" }))}::text::jsonb::text) as bytes`;
      const padded = (bytes: number) => turn({ pad: "p".repeat(bytes - row!.bytes) });
      assert.equal(await turns([padded(LIMITS.maxTurnBytes)]), undefined);
      const refused = await turns([padded(LIMITS.maxTurnBytes + 1)]);
      assert.equal(refused?.code, "CH413");
      assert.match(refused!.message, new RegExp(`more than ${LIMITS.maxTurnBytes} bytes`));
      assert.equal(QUESTION_RESERVE_BYTES, LIMITS.maxTurnBytes, "the chat reserves one turn");
    });

    await t.step("a session holds maxSessionTurns and maxSessionHistoryBytes", async () => {
      const { maxSessionTurns: turnsMax, maxSessionHistoryBytes: bytesMax } = LIMITS;
      assert.equal(await history(turnsMax, bytesMax), undefined);
      const moreTurns = await history(turnsMax + 1, bytesMax);
      assert.equal(moreTurns?.code, "CH413");
      assert.match(moreTurns!.message, new RegExp(`at most ${turnsMax} fit`));
      const moreBytes = await history(turnsMax, bytesMax + 1);
      assert.equal(moreBytes?.code, "CH413");
      assert.match(moreBytes!.message, new RegExp(`at most ${bytesMax} fit`));
    });

    await t.step(
      "a document of maxDocumentChars is stored, one character more is not",
      async () => {
        const max = LIMITS.maxDocumentChars;
        assert.equal(await document("T", "🙂".repeat(max)), undefined, "code points, as LIMITS");
        const refused = await document("T", "x".repeat(max + 1));
        assert.equal(refused?.code, "CH414");
        assert.match(refused!.message, new RegExp(`at most ${max} characters`));
      },
    );

    await t.step(
      "a title of maxDocumentTitleChars is stored, one character more is not",
      async () => {
        const max = LIMITS.maxDocumentTitleChars;
        assert.equal(await document("t".repeat(max), "x"), undefined);
        const refused = await document("t".repeat(max + 1), "x");
        assert.equal(refused?.code, "CH414");
        assert.match(refused!.message, new RegExp(`at most ${max} characters`));
      },
    );

    await t.step("every size bound written in the write path's SQL is one of LIMITS", async () => {
      const bounds = await sizeBoundsInSql(sql);
      const limits = new Set<number>(Object.values(LIMITS));
      const databaseOnly = (bound: SizeBound) =>
        DATABASE_ONLY.some((only) => only.where === bound.where && only.value === bound.value);
      assert.deepEqual(
        bounds.filter((bound) => !limits.has(bound.value) && !databaseOnly(bound)),
        [],
        "a size bound in SQL that is not in LIMITS",
      );
      assert.ok(bounds.length >= 10, `found only ${JSON.stringify(bounds)}`);
      // The document's maximum stands where a stored document is checked again.
      const documentChecks = bounds.filter((bound) => bound.value === LIMITS.maxDocumentChars);
      assert.ok(
        documentChecks.some((bound) => bound.where === "chat_internal.complete_session"),
        JSON.stringify(documentChecks),
      );
      assert.ok(
        bounds.some((bound) =>
          bound.where === "generated_documents" &&
          bound.value === LIMITS.maxDocumentTitleChars
        ),
        JSON.stringify(bounds),
      );
    });
  } finally {
    await sql.end();
  }
});

interface SizeBound {
  /** The function or the table whose text holds it. */
  where: string;
  text: string;
  value: number;
}

/**
 * The literals that bound a size in the current definitions: `length(...) > N`,
 * `jsonb_array_length(...) > N`, `p_turn_count > N` and their kind in chat_internal's functions,
 * `between 1 and N` in both, and `length(...) <= N` in the checks of public's tables (as
 * pg_get_constraintdef prints `between`).
 */
async function sizeBoundsInSql(sql: postgres.Sql): Promise<SizeBound[]> {
  const rows = await sql<{ where: string; source: string }[]>`
    select p.oid::regproc::text as where, p.prosrc as source
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      join pg_language l on l.oid = p.prolang
    where n.nspname = 'chat_internal' and l.lanname in ('plpgsql', 'sql')
    union all
    select c.conrelid::regclass::text, pg_get_constraintdef(c.oid)
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where n.nspname = 'public' and c.contype = 'c'`;
  const pattern = new RegExp(
    String.raw`(?:\b\w*length\([^()]*(?:\([^()]*\)[^()]*)*\)|\bv_length|\bp_turn_count|` +
      String.raw`\bp_history_bytes)\s*(?:>|<=)\s*\(?([1-9]\d*)\)?|\bbetween 1 and (\d+)`,
    "g",
  );
  return rows.flatMap((row) =>
    [...row.source.matchAll(pattern)].map((match) => ({
      where: row.where,
      text: match[0],
      value: Number(match[1] ?? match[2]),
    }))
  );
}
