import assert from "node:assert/strict";
import { createDatabase, reconnectBackoff } from "./database.ts";

Deno.test("the pool reconnects within a second however long the database was away", () => {
  for (const failures of [0, 1, 5, 10, 50, 1_000]) {
    const seconds = reconnectBackoff(failures);
    assert.ok(seconds > 0 && seconds <= 1, `${failures} failures: ${seconds} s`);
  }
  assert.ok(reconnectBackoff(0) <= 0.05, "the first reconnect is almost immediate");
  const sql = createDatabase("postgresql://postgres:postgres@127.0.0.1:1/postgres");
  assert.equal(sql.options.backoff, reconnectBackoff, "the pool uses it");
  sql.end();
});
