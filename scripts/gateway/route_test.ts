import assert from "node:assert/strict";
import { JWKS_PATH, routeOf } from "./route.ts";

Deno.test("routeOf", async (t) => {
  await t.step("strips /functions/v1 and keeps the function's name in the path", () => {
    assert.deepEqual(routeOf("/functions/v1/chat"), {
      kind: "function",
      name: "chat",
      path: "/chat",
    });
    assert.deepEqual(routeOf("/functions/v1/documents/6f68/x"), {
      kind: "function",
      name: "documents",
      path: "/documents/6f68/x",
    });
    assert.deepEqual(routeOf("/functions/v1/interviewer/v1/chat/next-question"), {
      kind: "function",
      name: "interviewer",
      path: "/interviewer/v1/chat/next-question",
    });
  });

  await t.step("keeps a trailing slash for the function to judge", () => {
    assert.deepEqual(routeOf("/functions/v1/documents/"), {
      kind: "function",
      name: "documents",
      path: "/documents/",
    });
  });

  await t.step("names the JWKS path", () => {
    assert.deepEqual(routeOf(JWKS_PATH), { kind: "jwks" });
    assert.equal(JWKS_PATH, "/auth/v1/.well-known/jwks.json");
  });

  await t.step("the rest of /auth/v1 is the Auth stand-in's, the path kept whole", () => {
    assert.deepEqual(routeOf("/auth/v1/user"), { kind: "auth", path: "/auth/v1/user" });
    assert.deepEqual(routeOf("/auth/v1/token"), { kind: "auth", path: "/auth/v1/token" });
    assert.deepEqual(routeOf("/auth/v1"), { kind: "unknown" });
  });

  await t.step("a path under /functions/v1 without a usable name is no_function", () => {
    for (const path of ["/functions/v1", "/functions/v1/", "/functions/v1//chat"]) {
      assert.deepEqual(routeOf(path), { kind: "no_function" }, path);
    }
    assert.deepEqual(routeOf("/functions/v1/%2e%2e/x"), { kind: "no_function" });
  });

  await t.step("anything else is unknown", () => {
    for (const path of ["/", "/chat", "/functions/v10/chat", "/functions/v1chat", "/rest/v1/x"]) {
      assert.deepEqual(routeOf(path), { kind: "unknown" }, path);
    }
  });
});
