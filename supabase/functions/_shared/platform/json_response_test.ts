import assert from "node:assert/strict";
import { jsonResponse } from "./json_response.ts";

Deno.test("jsonResponse", async (t) => {
  await t.step("sends the body as JSON with the status", async () => {
    const response = jsonResponse(418, { error: "Short and stout", code: "teapot" });
    assert.equal(response.status, 418);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.deepEqual(await response.json(), { error: "Short and stout", code: "teapot" });
  });

  await t.step("keeps the caller's headers, and a content type of its own", () => {
    const response = jsonResponse(401, {}, {
      "www-authenticate": 'Bearer realm="x"',
      "content-type": "application/json; charset=utf-8",
    });
    assert.equal(response.headers.get("www-authenticate"), 'Bearer realm="x"');
    assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
  });

  await t.step("takes headers as a Headers object too", () => {
    const response = jsonResponse(405, null, new Headers({ allow: "POST" }));
    assert.equal(response.headers.get("allow"), "POST");
    assert.equal(response.headers.get("content-type"), "application/json");
  });

  await t.step("writes text outside ASCII as it is", async () => {
    const response = jsonResponse(200, { title: "保密 🙂" });
    assert.equal(await response.text(), '{"title":"保密 🙂"}');
  });
});
