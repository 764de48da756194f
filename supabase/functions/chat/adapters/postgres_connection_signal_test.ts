import assert from "node:assert/strict";
import { parseClaim } from "./postgres_connection_signal.ts";

Deno.test("parseClaim reads a notification payload", () => {
  assert.deepEqual(
    parseClaim('{"userId":"u","connectionId":"c","generation":"9007199254740993"}'),
    { userId: "u", connectionId: "c", generation: 9007199254740993n },
  );
  assert.equal(parseClaim("not json"), null);
  assert.equal(parseClaim('{"userId":"u","connectionId":"c","generation":7}'), null);
  assert.equal(parseClaim('{"userId":"u","connectionId":"c","generation":"-1"}'), null);
  assert.equal(parseClaim('{"userId":"u","generation":"1"}'), null);
});
