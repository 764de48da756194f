import assert from "node:assert/strict";
import { ConfigError } from "./config.ts";
import {
  chooseDatabaseUrl,
  DATABASE_URL_NAMES,
  portOf,
  requireDatabaseUrl,
} from "./database_url.ts";

const direct = "postgresql://postgres:secret@db.example.test:5432/postgres";
const pooler = "postgresql://postgres.ref:secret@pooler.example.test:6543/postgres";

Deno.test("chooseDatabaseUrl", async (t) => {
  await t.step("takes DB_URL before SUPABASE_DB_URL", () => {
    assert.deepEqual(
      chooseDatabaseUrl(
        { DB_URL: pooler, SUPABASE_DB_URL: direct, DB_PREPARE: false },
        DATABASE_URL_NAMES,
      ),
      { from: "DB_URL", url: pooler },
    );
  });

  await t.step("falls back to SUPABASE_DB_URL, then to nothing", () => {
    assert.deepEqual(
      chooseDatabaseUrl({ SUPABASE_DB_URL: direct, DB_PREPARE: true }, DATABASE_URL_NAMES),
      { from: "SUPABASE_DB_URL", url: direct },
    );
    assert.equal(chooseDatabaseUrl({ DB_PREPARE: false }, DATABASE_URL_NAMES), undefined);
  });

  await t.step("refuses prepared statements on the transaction pooler's port", () => {
    assert.throws(
      () =>
        chooseDatabaseUrl(
          { DB_URL: pooler, SUPABASE_DB_URL: direct, DB_PREPARE: true },
          DATABASE_URL_NAMES,
        ),
      new ConfigError(
        'Environment variable DB_PREPARE is "true", but DB_URL is on port 6543, the ' +
          "transaction pooler, which keeps no session state: set DB_PREPARE=false",
      ),
    );
  });

  await t.step("checks only the URL it chose", () => {
    assert.deepEqual(
      chooseDatabaseUrl(
        { CHAT_DB_URL: direct, DB_URL: pooler, DB_PREPARE: true },
        ["CHAT_DB_URL", ...DATABASE_URL_NAMES],
      ),
      { from: "CHAT_DB_URL", url: direct },
    );
  });
});

Deno.test("requireDatabaseUrl names every variable it looked at", () => {
  assert.throws(
    () => requireDatabaseUrl({ DB_PREPARE: false }, ["CHAT_DB_URL", ...DATABASE_URL_NAMES]),
    new ConfigError(
      "Environment variable CHAT_DB_URL is missing: expected a postgres:// connection string in " +
        "CHAT_DB_URL, DB_URL or SUPABASE_DB_URL",
    ),
  );
  assert.throws(
    () => requireDatabaseUrl({ DB_PREPARE: false }, DATABASE_URL_NAMES),
    new ConfigError(
      "Environment variable DB_URL is missing: expected a postgres:// connection string in " +
        "DB_URL or SUPABASE_DB_URL",
    ),
  );
});

Deno.test("portOf reads the port as written", () => {
  assert.equal(portOf(pooler), "6543");
  assert.equal(portOf("postgres://u:p@host/db"), "");
  assert.equal(portOf("postgresql://u:p%20w@[::1]:6543/db?sslmode=require"), "6543");
  // characters URL refuses unescaped in a password
  assert.equal(portOf("postgresql://u:p^w|x@host:6543/db"), "6543");
});
