import assert from "node:assert/strict";
import { ConfigError } from "../_shared/platform/config.ts";
import { loadChatConfig } from "./config.ts";

const valid = {
  SUPABASE_URL: "http://127.0.0.1:54321",
  SUPABASE_DB_URL: "postgresql://postgres:postgres@127.0.0.1:54322/postgres",
  JWT_SECRET: "super-secret-jwt-token-with-at-least-32-characters-long",
  AI_SERVICE_URL: "http://127.0.0.1:8081",
  AI_SERVICE_API_KEY: "local-ai-key",
};

Deno.test("loadChatConfig", async (t) => {
  await t.step("applies defaults to a minimal valid environment", () => {
    const config = loadChatConfig(valid);
    assert.equal(config.WEBSOCKET_PORT, 8080);
    assert.equal(config.NODE_ENV, "production");
    assert.equal(config.AI_MAX_RETRIES, 2);
    assert.equal(config.AI_FALLBACK_TO_BUILTIN, false);
    assert.equal(config.JWT_AUDIENCE, "authenticated");
  });

  await t.step("takes CHAT_DB_URL, then DB_URL, then SUPABASE_DB_URL", () => {
    const role = "postgresql://chat_login:secret@db.example.test:5432/postgres";
    const pooler = "postgresql://postgres.ref:secret@pooler.example.test:6543/postgres";
    assert.equal(loadChatConfig(valid).databaseUrl, valid.SUPABASE_DB_URL);
    assert.equal(loadChatConfig({ ...valid, DB_URL: pooler }).databaseUrl, pooler);
    assert.equal(loadChatConfig({ ...valid, DB_URL: pooler, CHAT_DB_URL: role }).databaseUrl, role);
    const { SUPABASE_DB_URL: _, ...withoutPlatformUrl } = valid;
    assert.equal(loadChatConfig({ ...withoutPlatformUrl, DB_URL: pooler }).databaseUrl, pooler);
    assert.throws(
      () => loadChatConfig({ ...valid, CHAT_DB_URL: "mysql://x" }),
      new ConfigError(
        "Environment variable CHAT_DB_URL is malformed: expected a postgres:// connection string",
      ),
    );
    assert.throws(
      () => loadChatConfig({ ...valid, DB_URL: "mysql://x" }),
      new ConfigError(
        "Environment variable DB_URL is malformed: expected a postgres:// connection string",
      ),
    );
  });

  await t.step("keeps prepared statements off unless asked, and never on port 6543", () => {
    const pooler = "postgresql://postgres.ref:secret@pooler.example.test:6543/postgres";
    assert.equal(loadChatConfig(valid).DB_PREPARE, false);
    assert.equal(loadChatConfig({ ...valid, DB_PREPARE: "true" }).DB_PREPARE, true);
    assert.throws(
      () => loadChatConfig({ ...valid, DB_URL: pooler, DB_PREPARE: "true" }),
      new ConfigError(
        'Environment variable DB_PREPARE is "true", but DB_URL is on port 6543, the ' +
          "transaction pooler, which keeps no session state: set DB_PREPARE=false",
      ),
    );
  });

  await t.step("coerces numbers and flags", () => {
    const config = loadChatConfig({
      ...valid,
      WEBSOCKET_PORT: "9001",
      AI_FALLBACK_TO_BUILTIN: "true",
    });
    assert.equal(config.WEBSOCKET_PORT, 9001);
    assert.equal(config.AI_FALLBACK_TO_BUILTIN, true);
  });

  await t.step("names a missing variable and what it expects", () => {
    const { AI_SERVICE_URL: _, ...rest } = valid;
    assert.throws(
      () => loadChatConfig(rest),
      new ConfigError(
        "Environment variable AI_SERVICE_URL is missing: expected the AI service's http(s) base URL",
      ),
    );
  });

  await t.step("treats a blank value as missing", () => {
    assert.throws(
      () => loadChatConfig({ ...valid, SUPABASE_DB_URL: "  ", DB_URL: "" }),
      new ConfigError(
        "Environment variable CHAT_DB_URL is missing: expected a postgres:// connection string " +
          "in CHAT_DB_URL, DB_URL or SUPABASE_DB_URL",
      ),
    );
  });

  await t.step("names a malformed variable", () => {
    assert.throws(
      () => loadChatConfig({ ...valid, WEBSOCKET_PORT: "eighty" }),
      new ConfigError(
        "Environment variable WEBSOCKET_PORT is malformed: expected a port number from 1 to 65535",
      ),
    );
    assert.throws(
      () => loadChatConfig({ ...valid, SUPABASE_DB_URL: "mysql://x" }),
      /SUPABASE_DB_URL is malformed: expected a postgres:\/\/ connection string/,
    );
    assert.throws(
      () => loadChatConfig({ ...valid, SUPABASE_JWKS: "{not json" }),
      /SUPABASE_JWKS is malformed/,
    );
    assert.throws(
      () => loadChatConfig({ ...valid, JWT_SECRET: "short" }),
      /JWT_SECRET is malformed: expected an HS256 secret of 32 or more characters/,
    );
    assert.throws(
      () => loadChatConfig({ ...valid, NODE_ENV: "staging" }),
      /NODE_ENV is malformed/,
    );
  });

  await t.step("the isolate's budgets: unset by default, 0 for off, a share for the drain", () => {
    const defaults = loadChatConfig(valid);
    assert.equal(defaults.EDGE_CPU_LIMIT_MS, undefined);
    assert.equal(defaults.EDGE_MEMORY_LIMIT_MB, undefined);
    assert.equal(defaults.EDGE_WALL_CLOCK_SECONDS, undefined);
    assert.equal(defaults.EDGE_DRAIN_AT, 0.8);
    const set = loadChatConfig({
      ...valid,
      EDGE_CPU_LIMIT_MS: "0",
      EDGE_MEMORY_LIMIT_MB: "128",
      EDGE_WALL_CLOCK_SECONDS: "400",
      EDGE_DRAIN_AT: "0.75",
    });
    assert.equal(set.EDGE_CPU_LIMIT_MS, 0);
    assert.equal(set.EDGE_MEMORY_LIMIT_MB, 128);
    assert.equal(set.EDGE_WALL_CLOCK_SECONDS, 400);
    assert.equal(set.EDGE_DRAIN_AT, 0.75);
  });

  await t.step("names a bad budget in one line", () => {
    const refused: [string, string, string][] = [
      ["EDGE_CPU_LIMIT_MS", "two seconds", "milliseconds from 0 (off) to 3600000"],
      ["EDGE_CPU_LIMIT_MS", "-1", "milliseconds from 0 (off) to 3600000"],
      ["EDGE_CPU_LIMIT_MS", "1.5", "milliseconds from 0 (off) to 3600000"],
      ["EDGE_MEMORY_LIMIT_MB", "256MB", "megabytes from 0 (off) to 65536"],
      ["EDGE_WALL_CLOCK_SECONDS", "5", "seconds from 10 to 86400"],
      ["EDGE_DRAIN_AT", "0", "a share above 0 and at most 1, such as 0.8"],
      ["EDGE_DRAIN_AT", "80%", "a share above 0 and at most 1, such as 0.8"],
      ["EDGE_DRAIN_AT", "1.5", "a share above 0 and at most 1, such as 0.8"],
    ];
    for (const [name, value, expected] of refused) {
      assert.throws(
        () => loadChatConfig({ ...valid, [name]: value }),
        new ConfigError(`Environment variable ${name} is malformed: expected ${expected}`),
        `${name}=${value}`,
      );
    }
  });

  await t.step("parses a JWKS", () => {
    const config = loadChatConfig({
      ...valid,
      SUPABASE_JWKS: JSON.stringify({ keys: [{ kty: "EC", crv: "P-256", x: "a", y: "b" }] }),
    });
    assert.equal(config.SUPABASE_JWKS?.keys.length, 1);
  });
});
