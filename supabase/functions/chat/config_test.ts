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

  await t.step("parses a JWKS", () => {
    const config = loadChatConfig({
      ...valid,
      SUPABASE_JWKS: JSON.stringify({ keys: [{ kty: "EC", crv: "P-256", x: "a", y: "b" }] }),
    });
    assert.equal(config.SUPABASE_JWKS?.keys.length, 1);
  });
});
