import assert from "node:assert/strict";
import { isConnectionError } from "./connection_error.ts";

Deno.test("isConnectionError", async (t) => {
  await t.step("says yes to what means the database is not reachable now", () => {
    for (
      const code of [
        "08006",
        "08P01",
        "57P01",
        "57P03",
        "53300",
        "CONNECTION_CLOSED",
        "CONNECTION_ENDED",
        "CONNECTION_DESTROYED",
        "CONNECT_TIMEOUT",
        "ECONNREFUSED",
        "ECONNRESET",
      ]
    ) {
      assert.equal(isConnectionError(Object.assign(new Error("x"), { code })), true, code);
    }
  });

  await t.step("says no to what the statement itself caused", () => {
    for (const code of ["42501", "23505", "CH413", "57014", "22P02"]) {
      assert.equal(isConnectionError(Object.assign(new Error("x"), { code })), false, code);
    }
  });

  await t.step("says no to what carries no code", () => {
    for (const error of [new Error("x"), "08006", null, undefined, { code: 8006 }]) {
      assert.equal(isConnectionError(error), false, String(error));
    }
  });
});
