// The batched purge against the real database: the procedure that commits between batches
// (which pgTAP cannot run inside its transaction), and a live interview answering while the
// purge runs.
import assert from "node:assert/strict";
import {
  connect,
  createFixture,
  existingIds,
  insertSession,
  staleIds,
} from "../../../test_support/cleanup_fixture.ts";

Deno.test("batched purge on the local stack", async (t) => {
  const sql = connect();
  const fixture = await createFixture(sql);
  try {
    await t.step("the procedure drains a backlog in batches in one call", async () => {
      const mine: string[] = [];
      for (let i = 0; i < 25; i++) {
        mine.push(
          await insertSession(sql, {
            userId: fixture.owner,
            templateId: fixture.templateId,
            ageHours: 48 + i,
            abandoned: true,
          }),
        );
      }
      const fresh = await insertSession(sql, {
        userId: fixture.owner,
        templateId: fixture.templateId,
        ageHours: 1,
      });
      const stale = await staleIds(sql);
      const [result] = await sql<{ deleted: string }[]>`
        call public.purge_stale_chat_sessions_in_batches(interval '24 hours', 10)`;
      assert.equal(Number(result!.deleted), stale.size);
      assert.deepEqual(await existingIds(sql, [...mine, fresh]), new Set([fresh]));
    });

    await t.step(
      "the procedure pins its search path: a caller's hostile one changes nothing",
      async () => {
        // A procedure with `set search_path` could not commit, so it pins the path in its body. A
        // caller whose path puts a schema of its own before pg_catalog, with an operator that
        // shadows bigint + integer (the procedure adds its batches up with it), must not reach it.
        const schema = `purge_probe_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
        const caller = connect(1); // one connection, so the session's search_path holds
        await sql.unsafe(`create schema ${schema}`);
        try {
          await sql.unsafe(`create function ${schema}.hijack(bigint, integer) returns bigint
          language plpgsql as $$ begin raise exception 'hijacked'; end $$`);
          await sql.unsafe(`create operator ${schema}.+ (leftarg = bigint, rightarg = integer,
          function = ${schema}.hijack)`);
          await caller.unsafe(`set search_path = ${schema}, pg_catalog`);
          await assert.rejects(
            caller`select 1::bigint + 1::integer`,
            /hijacked/,
            "the trap is set",
          );
          await insertSession(sql, {
            userId: fixture.owner,
            templateId: fixture.templateId,
            ageHours: 48,
            abandoned: true,
          });
          const [result] = await caller<{ deleted: string }[]>`
          call public.purge_stale_chat_sessions_in_batches(interval '24 hours', 10)`;
          assert.ok(Number(result!.deleted) >= 1);
          const [path] = await caller<{ search_path: string }[]>`show search_path`;
          assert.equal(path!.search_path, `${schema}, pg_catalog`, "the caller's path is back");
        } finally {
          await caller.end();
          await sql.unsafe(`drop schema ${schema} cascade`);
        }
      },
    );

    await t.step(
      "a session being answered while the purge runs is skipped, not deleted",
      async () => {
        const connectionId = crypto.randomUUID();
        const answered = await insertSession(sql, {
          userId: fixture.otherUser,
          templateId: fixture.templateId,
          ageHours: 72,
          connectionId,
        });
        const other = await insertSession(sql, {
          userId: fixture.owner,
          templateId: fixture.templateId,
          ageHours: 72,
          abandoned: true,
        });

        // The user's answer: the chat function's write path, as the user, not yet committed.
        let commitAnswer!: () => void;
        const answerMayCommit = new Promise<void>((resolve) => commitAnswer = resolve);
        let answerWritten!: () => void;
        const answerIsWritten = new Promise<void>((resolve) => answerWritten = resolve);
        const answer = sql.begin(async (tx) => {
          await tx`select set_config('role', 'authenticated', true),
          set_config('request.jwt.claims', ${
            JSON.stringify({ sub: fixture.otherUser, role: "authenticated" })
          }, true)`;
          await tx`select chat_internal.append_turns(${answered}, ${connectionId}, 0,
          '[{"role":"user","content":"ACME Ltd","at":"2026-11-26T12:00:00Z"}]'::jsonb)`;
          answerWritten();
          await answerMayCommit;
        });
        await answerIsWritten;
        const staleBefore = await staleIds(sql);
        assert.ok(staleBefore.has(answered) && staleBefore.has(other));

        const started = performance.now();
        const [result] = await sql<{ deleted: number }[]>`
        select public.purge_stale_chat_sessions(interval '24 hours', 1000) as deleted`;
        const tookMs = performance.now() - started;
        commitAnswer();
        await answer;

        assert.equal(result!.deleted, staleBefore.size - 1, "all but the answered one deleted");
        assert.ok(tookMs < 2000, `the purge did not wait for the answer's lock (${tookMs} ms)`);
        assert.deepEqual(await existingIds(sql, [answered, other]), new Set([answered]));
        const [row] = await sql<{ turn_count: number; fresh: boolean }[]>`
        select turn_count, updated_at > now() - interval '1 minute' as fresh
        from public.chat_sessions where id = ${answered}`;
        assert.deepEqual({ ...row }, { turn_count: 1, fresh: true });
        assert.equal((await staleIds(sql)).has(answered), false, "and it is no longer stale");
      },
    );
  } finally {
    await fixture.remove();
    await sql.end();
  }
});
