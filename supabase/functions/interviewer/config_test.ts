import assert from "node:assert/strict";
import { ConfigError } from "../_shared/platform/config.ts";
import { loadInterviewerConfig } from "./config.ts";

const valid = { AI_SERVICE_API_KEY: "local-interviewer-key" };
const direct = "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
const pooler = "postgresql://postgres.ref:secret@pooler.example.test:6543/postgres";

Deno.test("loadInterviewerConfig", async (t) => {
  await t.step("runs stateless without a database URL", () => {
    const config = loadInterviewerConfig(valid);
    assert.equal(config.WEBSOCKET_PORT, 8081);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.DB_PREPARE, false);
  });

  await t.step("takes DB_URL before SUPABASE_DB_URL", () => {
    assert.equal(loadInterviewerConfig({ ...valid, SUPABASE_DB_URL: direct }).databaseUrl, direct);
    assert.equal(
      loadInterviewerConfig({ ...valid, SUPABASE_DB_URL: direct, DB_URL: pooler }).databaseUrl,
      pooler,
    );
    assert.equal(
      loadInterviewerConfig({ ...valid, SUPABASE_DB_URL: direct, DB_PREPARE: "true" }).DB_PREPARE,
      true,
    );
  });

  await t.step("names what is malformed", () => {
    assert.throws(
      () => loadInterviewerConfig({ ...valid, DB_URL: pooler, DB_PREPARE: "true" }),
      new ConfigError(
        'Environment variable DB_PREPARE is "true", but DB_URL is on port 6543, the ' +
          "transaction pooler, which keeps no session state: set DB_PREPARE=false",
      ),
    );
    assert.throws(
      () => loadInterviewerConfig({ ...valid, DB_URL: "mysql://x" }),
      new ConfigError(
        "Environment variable DB_URL is malformed: expected a postgres:// connection string",
      ),
    );
    assert.throws(
      () => loadInterviewerConfig({ ...valid, DB_PREPARE: "yes" }),
      new ConfigError('Environment variable DB_PREPARE is malformed: expected "true" or "false"'),
    );
  });
});
