import assert from "node:assert/strict";
import { ConfigError } from "../supabase/functions/_shared/platform/config.ts";
import { parseBenchOptions, PHASES } from "./options.ts";

const place = {
  root: "/repo/",
  dbUrl: "postgresql://postgres:postgres@127.0.0.1:5432/postgres",
  poolerUrl: "postgresql://postgres:postgres@127.0.0.1:6432/postgres",
};

Deno.test("bench options", async (t) => {
  await t.step("an empty environment gives the documented defaults", () => {
    const options = parseBenchOptions({}, place);
    assert.equal(options.dbVia, "direct");
    assert.equal(options.dbUrl, place.dbUrl);
    assert.equal(options.concurrency, 200);
    assert.equal(options.thinkMs, 500);
    assert.equal(options.durationMs, 20_000);
    assert.equal(options.warmupMs, 5_000);
    assert.equal(options.questions, 10);
    assert.equal(options.idleTarget, 10_000);
    assert.equal(options.idleHoldS, 0);
    assert.equal(options.poolMax, 10);
    assert.equal(options.prepare, true);
    assert.equal(options.chatProcesses, 1);
    assert.equal(options.history, 20_000);
    assert.deepEqual([...options.phases], [...PHASES]);
    assert.equal(options.out, "/repo/.stack/bench/results.json");
    assert.deepEqual(options.chatFlags, ["--v8-flags=--max-old-space-size=256"]);
    assert.equal(options.protocol, "v1");
  });

  await t.step("blank values count as unset, as in an env file", () => {
    const options = parseBenchOptions({ BENCH_CONCURRENCY: " ", BENCH_PHASES: "" }, place);
    assert.equal(options.concurrency, 200);
    assert.equal(options.phases.size, PHASES.length);
  });

  await t.step("values given are used, seconds become milliseconds", () => {
    const options = parseBenchOptions({
      BENCH_CONCURRENCY: "40",
      BENCH_DURATION_S: "3",
      BENCH_WARMUP_S: "0",
      BENCH_PHASES: " instant, db ,",
      BENCH_CHAT_FLAGS: "--inspect=127.0.0.1:9333  --v8-flags=--max-old-space-size=512",
      BENCH_PROTOCOL: "v2",
      BENCH_OUT: "/tmp/out.json",
    }, place);
    assert.equal(options.concurrency, 40);
    assert.equal(options.durationMs, 3000);
    assert.equal(options.warmupMs, 0);
    assert.deepEqual([...options.phases], ["instant", "db"]);
    assert.deepEqual(options.chatFlags, [
      "--inspect=127.0.0.1:9333",
      "--v8-flags=--max-old-space-size=512",
    ]);
    assert.equal(options.protocol, "v2");
    assert.equal(options.out, "/tmp/out.json");
  });

  await t.step("through the pooler: its URL, and unnamed statements by default", () => {
    const options = parseBenchOptions({ BENCH_DB_VIA: "pooler" }, place);
    assert.equal(options.dbUrl, place.poolerUrl);
    assert.equal(options.prepare, false);
  });

  await t.step("each malformed option is named with what it expects", () => {
    const cases: [Record<string, string>, string][] = [
      [
        { BENCH_CONCURRENCY: "many" },
        "Environment variable BENCH_CONCURRENCY is malformed: expected a whole number from 0",
      ],
      [
        { BENCH_THINK_MS: "1.5" },
        "Environment variable BENCH_THINK_MS is malformed: expected a whole number from 0",
      ],
      [
        { BENCH_CHAT_PROCESSES: "0" },
        "Environment variable BENCH_CHAT_PROCESSES is malformed: expected a whole number from 1",
      ],
      [
        { BENCH_DB_VIA: "bouncer" },
        'Environment variable BENCH_DB_VIA is malformed: expected "direct" or "pooler"',
      ],
      [
        { BENCH_DB_PREPARE: "yes" },
        'Environment variable BENCH_DB_PREPARE is malformed: expected "true" or "false"',
      ],
      [
        { BENCH_PROTOCOL: "v3" },
        'Environment variable BENCH_PROTOCOL is malformed: expected "v1" or "v2"',
      ],
      [
        { BENCH_PHASES: "instant,warp" },
        `Environment variable BENCH_PHASES is malformed: expected a comma-separated list of ${
          PHASES.join(", ")
        }`,
      ],
      [
        { BENCH_DB_VIA: "pooler", BENCH_DB_PREPARE: "true" },
        "Environment variable BENCH_DB_PREPARE is malformed: expected false with BENCH_DB_VIA=pooler",
      ],
    ];
    for (const [env, message] of cases) {
      assert.throws(() => parseBenchOptions(env, place), { name: "ConfigError", message });
      assert.throws(() => parseBenchOptions(env, place), ConfigError);
    }
  });
});
