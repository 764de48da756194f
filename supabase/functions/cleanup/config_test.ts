import assert from "node:assert/strict";
import { ConfigError } from "../_shared/platform/config.ts";
import { loadCleanupConfig } from "./config.ts";

const valid = {
  SUPABASE_DB_URL: "postgresql://postgres:postgres@127.0.0.1:54322/postgres",
  SUPABASE_SERVICE_ROLE_KEY: "a-local-service-role-key-for-tests",
};

Deno.test("loadCleanupConfig", async (t) => {
  await t.step("applies defaults", () => {
    const config = loadCleanupConfig(valid);
    assert.equal(config.WEBSOCKET_PORT, 8082);
    assert.equal(config.CLEANUP_BATCH_SIZE, 5000);
    assert.equal(config.CLEANUP_TIME_BUDGET_MS, 60_000);
    assert.equal(config.JWT_SECRET, undefined);
    assert.equal(config.DB_PREPARE, false);
  });

  await t.step("takes DB_URL before SUPABASE_DB_URL, with prepared statements to match", () => {
    const pooler = "postgresql://postgres.ref:secret@pooler.example.test:6543/postgres";
    assert.equal(loadCleanupConfig(valid).databaseUrl, valid.SUPABASE_DB_URL);
    assert.equal(loadCleanupConfig({ ...valid, DB_URL: pooler }).databaseUrl, pooler);
    const { SUPABASE_DB_URL: _, ...withoutPlatformUrl } = valid;
    assert.equal(loadCleanupConfig({ ...withoutPlatformUrl, DB_URL: pooler }).databaseUrl, pooler);
    assert.equal(loadCleanupConfig({ ...valid, DB_PREPARE: "true" }).DB_PREPARE, true);
    assert.throws(
      () => loadCleanupConfig({ ...valid, DB_URL: pooler, DB_PREPARE: "true" }),
      /DB_PREPARE is "true", but DB_URL is on port 6543/,
    );
    assert.throws(
      () => loadCleanupConfig(withoutPlatformUrl),
      new ConfigError(
        `Environment variable CLEANUP_DB_URL is missing: expected a postgres:// connection ` +
          `string in CLEANUP_DB_URL, DB_URL or SUPABASE_DB_URL`,
      ),
    );
  });

  await t.step("takes port 0 and parses a JWKS", () => {
    const config = loadCleanupConfig({
      ...valid,
      WEBSOCKET_PORT: "0",
      SUPABASE_JWKS: '{"keys":[{"kty":"EC"}]}',
    });
    assert.equal(config.WEBSOCKET_PORT, 0);
    assert.deepEqual(config.SUPABASE_JWKS, { keys: [{ kty: "EC" }] });
  });

  await t.step("takes secret and publishable keys in place of the service role key", () => {
    const config = loadCleanupConfig({
      SUPABASE_DB_URL: valid.SUPABASE_DB_URL,
      SUPABASE_SECRET_KEYS: '{"default":"sb_secret_0123456789abcdefghij"}',
      SUPABASE_PUBLISHABLE_KEYS: '["sb_publishable_0123456789abcdefghij"]',
    });
    assert.deepEqual(config.SUPABASE_SECRET_KEYS, ["sb_secret_0123456789abcdefghij"]);
    assert.deepEqual(config.SUPABASE_PUBLISHABLE_KEYS, ["sb_publishable_0123456789abcdefghij"]);
    assert.equal(config.SUPABASE_SERVICE_ROLE_KEY, undefined);
    const verifierOnly = loadCleanupConfig({
      SUPABASE_DB_URL: valid.SUPABASE_DB_URL,
      SUPABASE_URL: "https://abc.supabase.co",
    });
    assert.equal(verifierOnly.SUPABASE_URL, "https://abc.supabase.co");
  });

  await t.step("names what is missing or malformed", () => {
    assert.throws(
      () => loadCleanupConfig({ SUPABASE_DB_URL: valid.SUPABASE_DB_URL }),
      new ConfigError(
        "Environment variable SUPABASE_SECRET_KEYS is missing: expected the secret keys, SUPABASE_SERVICE_ROLE_KEY, or JWT_SECRET, SUPABASE_JWKS or SUPABASE_URL to verify service_role tokens",
      ),
    );
    assert.throws(
      () => loadCleanupConfig({ ...valid, SUPABASE_SECRET_KEYS: '{"default":42}' }),
      new ConfigError(
        'Environment variable SUPABASE_SECRET_KEYS is malformed: expected the secret keys: {"name":"sb_secret_..."}, a JSON array of keys, or one key',
      ),
    );
    assert.throws(
      () => loadCleanupConfig({ ...valid, CLEANUP_BATCH_SIZE: "0" }),
      new ConfigError(
        "Environment variable CLEANUP_BATCH_SIZE is malformed: expected a whole number from 1 to 50000",
      ),
    );
    assert.throws(
      () => loadCleanupConfig({ ...valid, JWT_SECRET: "short" }),
      /JWT_SECRET is malformed: expected an HS256 secret of 32 or more characters/,
    );
  });
});
