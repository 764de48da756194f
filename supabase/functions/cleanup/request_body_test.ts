import assert from "node:assert/strict";
import { BodyError, parseCleanupRequest } from "./request_body.ts";

Deno.test("parseCleanupRequest", async (t) => {
  await t.step("an empty body means the defaults", () => {
    assert.deepEqual(parseCleanupRequest(""), { dryRun: false, maxAgeHours: 24 });
    assert.deepEqual(parseCleanupRequest(" {} "), { dryRun: false, maxAgeHours: 24 });
  });

  await t.step("takes every option", () => {
    assert.deepEqual(
      parseCleanupRequest('{"dryRun":true,"maxAgeHours":1.5,"batchSize":100}'),
      { dryRun: true, maxAgeHours: 1.5, batchSize: 100 },
    );
  });

  await t.step("refuses each bad body with a message naming the problem", () => {
    const cases: [string, string][] = [
      ["{bad", "Body is not valid JSON"],
      ["[]", "Body must be a JSON object"],
      ["null", "Body must be a JSON object"],
      [
        '{"maxAgeHours":0}',
        'Body field "maxAgeHours" is invalid: must be a number of hours from 1 to 8760',
      ],
      [
        '{"maxAgeHours":8761}',
        'Body field "maxAgeHours" is invalid: must be a number of hours from 1 to 8760',
      ],
      [
        '{"maxAgeHours":"24"}',
        'Body field "maxAgeHours" is invalid: must be a number of hours from 1 to 8760',
      ],
      ['{"dryRun":"yes"}', 'Body field "dryRun" is invalid: must be true or false'],
      [
        '{"batchSize":2.5}',
        'Body field "batchSize" is invalid: must be a whole number from 1 to 50000',
      ],
      [
        '{"batchSize":0}',
        'Body field "batchSize" is invalid: must be a whole number from 1 to 50000',
      ],
      ['{"maxAge":3}', 'Body field "maxAge" is not allowed: use dryRun, maxAgeHours or batchSize'],
      [
        '{"a":1,"b":2}',
        'Body fields "a", "b" are not allowed: use dryRun, maxAgeHours or batchSize',
      ],
    ];
    for (const [body, message] of cases) {
      assert.throws(() => parseCleanupRequest(body), new BodyError(message), body);
    }
  });
});
