import assert from "node:assert/strict";
import { ConfigError } from "../_shared/platform/config.ts";
import { loadDocumentsConfig } from "./config.ts";

const valid = {
  SUPABASE_URL: "http://127.0.0.1:54321",
  SUPABASE_DB_URL: "postgresql://postgres:postgres@127.0.0.1:54322/postgres",
};

Deno.test("loadDocumentsConfig", async (t) => {
  await t.step("applies defaults", () => {
    const config = loadDocumentsConfig(valid);
    assert.equal(config.WEBSOCKET_PORT, 8084);
    assert.equal(config.JWT_AUDIENCE, "authenticated");
    assert.equal(config.DB_POOL_MAX, 4);
    assert.equal(config.DB_PREPARE, false);
    assert.equal(config.DOCUMENTS_ALLOWED_ORIGIN, "*");
    assert.equal(config.JWT_SECRET, undefined);
  });

  await t.step("parses a JWKS and one allowed origin", () => {
    const config = loadDocumentsConfig({
      ...valid,
      SUPABASE_JWKS: '{"keys":[{"kty":"EC"}]}',
      DOCUMENTS_ALLOWED_ORIGIN: "https://app.example.com",
    });
    assert.deepEqual(config.SUPABASE_JWKS, { keys: [{ kty: "EC" }] });
    assert.equal(config.DOCUMENTS_ALLOWED_ORIGIN, "https://app.example.com");
  });

  await t.step("takes DB_URL before SUPABASE_DB_URL, with prepared statements to match", () => {
    const pooler = "postgresql://postgres.ref:secret@pooler.example.test:6543/postgres";
    assert.equal(loadDocumentsConfig(valid).databaseUrl, valid.SUPABASE_DB_URL);
    const config = loadDocumentsConfig({ ...valid, DB_URL: pooler, DB_PREPARE: "false" });
    assert.equal(config.databaseUrl, pooler);
    assert.equal(config.DB_PREPARE, false);
    assert.equal(
      loadDocumentsConfig({ SUPABASE_URL: valid.SUPABASE_URL, DB_URL: pooler }).databaseUrl,
      pooler,
    );
    assert.throws(
      () => loadDocumentsConfig({ ...valid, DB_URL: pooler, DB_PREPARE: "true" }),
      /DB_PREPARE is "true", but DB_URL is on port 6543/,
    );
  });

  await t.step("names what is missing or malformed", () => {
    assert.throws(
      () => loadDocumentsConfig({ SUPABASE_URL: valid.SUPABASE_URL }),
      new ConfigError(
        `Environment variable DOCUMENTS_DB_URL is missing: expected a postgres:// connection ` +
          `string in DOCUMENTS_DB_URL, DB_URL or SUPABASE_DB_URL`,
      ),
    );
    assert.throws(
      () => loadDocumentsConfig({ ...valid, JWT_SECRET: "short" }),
      new ConfigError(
        "Environment variable JWT_SECRET is malformed: expected an HS256 secret of 32 or more characters",
      ),
    );
    assert.throws(
      () => loadDocumentsConfig({ ...valid, DOCUMENTS_ALLOWED_ORIGIN: "https://a.test/path" }),
      new ConfigError(
        'Environment variable DOCUMENTS_ALLOWED_ORIGIN is malformed: expected "*" or one origin such as https://app.example.com',
      ),
    );
  });
});
