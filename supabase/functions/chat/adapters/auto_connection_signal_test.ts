import assert from "node:assert/strict";
import { listenIsAvailable } from "./auto_connection_signal.ts";

Deno.test("listenIsAvailable trusts LISTEN only when nothing sits between", async (t) => {
  await t.step("a direct connection: the URL's port is the server's", () => {
    assert.equal(listenIsAvailable("postgresql://u:p@127.0.0.1:54322/postgres", 54322), true);
    assert.equal(listenIsAvailable("postgresql://u:p@db.example.co/postgres", 5432), true);
  });
  await t.step("a transaction pooler on a port of its own", () => {
    assert.equal(listenIsAvailable("postgresql://u:p@127.0.0.1:6543/postgres", 54322), false);
    assert.equal(
      listenIsAvailable("postgresql://u:p@pooler.example.co:6543/postgres", 5432),
      false,
    );
  });
  await t.step("a Unix socket has no server port", () => {
    assert.equal(listenIsAvailable("postgresql://u:p@localhost/postgres", null), true);
  });
});
