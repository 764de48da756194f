import assert from "node:assert/strict";
import { findReferences, isPath } from "./doc_references.ts";

const topFolders = ["supabase", "scripts", "client"];

Deno.test("a code span is a path when it is one word that ends like a file or a folder", async (t) => {
  await t.step("paths", () => {
    for (
      const span of [
        "supabase/functions/chat/interview/step.ts",
        "interview/step.ts",
        "scripts/stack.sh",
        "supabase/functions/chat",
        "e2e/",
        ".env.example",
        "deno.json",
        "../chat_client.ts",
      ]
    ) assert.equal(isPath(span, topFolders), true, span);
  });
  await t.step("not paths", () => {
    for (
      const span of [
        "application/json",
        "chat.v1",
        "word/document.xml",
        "/health",
        "GET /documents",
        "*_test.ts",
        "supabase/templates/<slug>.json",
        "http://127.0.0.1:8080",
        ".md",
        "3/4",
        "step(state, event)",
        "scripts/stack.sh up",
      ]
    ) assert.equal(isPath(span, topFolders), false, span);
  });
});

Deno.test("the references of a page, with their lines", () => {
  const page = [
    "# A page",
    "",
    "The runner (`interview/runner.ts`) calls `step(state, event)` and `Clock.now()`;",
    "the pool comes from (`database.ts`: `createDatabase`), the calls from",
    "`user_database.ts`: `createUserDatabase` and `asUser`. A bare `SessionStore` is no claim.",
    '`client/chat_client.ts` `answer("Acme Corp")` sends the frame.',
    "",
    "```sh",
    "bash scripts/not_checked.sh  # `scripts/inside_a_fence.sh`",
    "```",
    "See [the protocol](protocol.md#close-codes), [up here](#a-page) and [out](https://x.test/a).",
    "Not a link: `[a](b.md)`. Run `npm run -s token -- a@b.test`.",
  ].join("\n");
  assert.deepEqual(findReferences(page, topFolders), [
    { kind: "path", path: "interview/runner.ts", link: false, line: 3 },
    { kind: "name", name: "step", call: true, line: 3 },
    { kind: "name", name: "Clock.now", call: true, line: 3 },
    { kind: "path", path: "database.ts", link: false, line: 4 },
    { kind: "name", name: "createDatabase", file: "database.ts", call: false, line: 4 },
    { kind: "path", path: "user_database.ts", link: false, line: 5 },
    { kind: "name", name: "createUserDatabase", file: "user_database.ts", call: false, line: 5 },
    { kind: "name", name: "asUser", file: "user_database.ts", call: false, line: 5 },
    { kind: "path", path: "client/chat_client.ts", link: false, line: 6 },
    { kind: "name", name: "answer", file: "client/chat_client.ts", call: true, line: 6 },
    { kind: "path", path: "protocol.md", anchor: "close-codes", link: true, line: 11 },
    { kind: "path", path: "", anchor: "a-page", link: true, line: 11 },
    { kind: "script", script: "token", line: 12 },
  ]);
});

Deno.test("a list of files is not a pairing, and a table cell ends one", () => {
  const page = "`a.ts`, `b.ts` and `c.ts`\n| `d.ts` | `isUuid` |\n";
  const names = findReferences(page, topFolders).filter((r) => r.kind === "name");
  assert.deepEqual(names, []);
});
