import assert from "node:assert/strict";
import { withTimeout } from "./with_timeout.ts";

Deno.test("withTimeout", async (t) => {
  await t.step("gives the promise's value when it settles in time", async () => {
    assert.equal(await withTimeout(Promise.resolve(7), 1_000), 7);
  });

  await t.step("rejects with the wait when it does not", async () => {
    const never = new Promise<never>(() => {});
    await assert.rejects(withTimeout(never, 10), /No answer within 10 ms/);
  });

  await t.step("passes the promise's own rejection through", async () => {
    await assert.rejects(withTimeout(Promise.reject(new Error("refused")), 1_000), /refused/);
  });
});
