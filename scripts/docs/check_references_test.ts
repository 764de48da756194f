import assert from "node:assert/strict";
import { checkReferences, type Repository } from "./check_references.ts";
import { findReferences } from "./doc_references.ts";
import { headingAnchors } from "./heading_anchors.ts";

// A repository of six files, enough for every rule.
const fixture: Record<string, string> = {
  "docs/guide.md": "# Guide\n\n## Close codes\n\n## Close codes\n",
  "docs/protocol.md": "# Protocol\n\n## The `review` frame (v2)\n",
  "supabase/functions/chat/interview/step.ts": [
    "export function step(state: State, event: Event): Result {",
    "  return draft(state, event);",
    "}",
    "function draft(state: State, event: Event): Result {}",
    "export type State = { phase: string };",
  ].join("\n"),
  "supabase/functions/chat/ports/session_store.ts": [
    "export interface SessionStore {",
    "  appendTurns(sessionId: string): Promise<number>;",
    "  readonly name?: string;",
    "}",
  ].join("\n"),
  "package.json": JSON.stringify({ scripts: { test: "bash scripts/test.sh", "bench:purge": "x" } }),
  "supabase/migrations/20260101_write_path.sql": [
    "create or replace function chat_internal.append_turns(p_session uuid) returns integer",
    "grant authenticated to chat_login;",
  ].join("\n"),
};
const repository: Repository = {
  files: Object.keys(fixture),
  read: (file) => fixture[file] ?? "",
};

function problemsOf(markdown: string): string[] {
  const references = findReferences(markdown, ["supabase", "docs"]);
  return checkReferences("docs/guide.md", references, repository).map((p) => p.message);
}

Deno.test("paths: from the root, as a trailing part, as folders, and what runs make", () => {
  assert.deepEqual(
    problemsOf(
      "`supabase/functions/chat/interview/step.ts`, `interview/step.ts`, `ports/`, " +
        "`supabase/functions/chat`, `.stack/` and `test-artifacts/demo.png`.",
    ),
    [],
  );
  assert.deepEqual(problemsOf("`interview/stepper.ts` and `view/step.ts` and `step.ts/`"), [
    `"interview/stepper.ts" names no file or folder of the repository`,
    `"view/step.ts" names no file or folder of the repository`,
    `"step.ts/" names no file or folder of the repository`,
  ]);
});

Deno.test("links: relative to the page, with their anchors", () => {
  assert.deepEqual(
    problemsOf(
      "[a](protocol.md#the-review-frame-v2) [b](#close-codes-1) [c](../supabase/migrations/) " +
        "[d](https://example.test/nowhere.md)",
    ),
    [],
  );
  assert.deepEqual(problemsOf("[a](protocols.md) [b](protocol.md#review) [c](#closing)"), [
    `The link "protocols.md" names no file or folder`,
    `The link "protocol.md#review": no heading of docs/protocol.md has that anchor`,
    `The link "#closing": no heading of docs/guide.md has that anchor`,
  ]);
});

Deno.test("functions named with (): declared somewhere, a member of the owner, or in SQL", () => {
  assert.deepEqual(
    problemsOf(
      "`step(state, event)`, `draft()`, `SessionStore.appendTurns()`, " +
        "`chat_internal.append_turns(...)`, `append_turns()` and `Deno.upgradeWebSocket(req)`.",
    ),
    [],
  );
  assert.deepEqual(
    problemsOf(
      "`stepInterview(state)`, `SessionStore.appendTurn()`, `chat_internal.open_session()`",
    ),
    [
      `"stepInterview()" is declared nowhere in the repository`,
      `"SessionStore.appendTurn()" is declared nowhere in the repository`,
      `"chat_internal.open_session()" is no SQL function of the migrations`,
    ],
  );
});

Deno.test("names paired with a file: declared in that very file", () => {
  assert.deepEqual(
    problemsOf(
      "(`interview/step.ts`: `step`, `draft` and `State`) and `ports/session_store.ts` " +
        "`SessionStore.appendTurns()`; `supabase/migrations/20260101_write_path.sql`: " +
        "`append_turns()` and `chat_login`.",
    ),
    [],
  );
  assert.deepEqual(
    problemsOf(
      "(`interview/step.ts`: `step` and `SessionStore`) and `ports/session_store.ts` " +
        "`appendTurn()`; `supabase/migrations/20260101_write_path.sql`: `open_session()`, `x_login`.",
    ),
    [
      `"SessionStore" is not declared in interview/step.ts`,
      `"appendTurn" is not declared in ports/session_store.ts`,
      `"open_session" is not declared in supabase/migrations/20260101_write_path.sql`,
      `"x_login" is not declared in supabase/migrations/20260101_write_path.sql`,
    ],
  );
});

Deno.test("headings make GitHub's anchors, repeats numbered", () => {
  assert.deepEqual(
    [...headingAnchors("# One answer, frame to SQL and back\n## `_shared/`\n## Ports\n## Ports\n")],
    ["one-answer-frame-to-sql-and-back", "_shared", "ports", "ports-1"],
  );
});

Deno.test("npm scripts: each one the page runs is in package.json", () => {
  assert.deepEqual(problemsOf("`npm run test -- --filter x`, `npm run -s bench:purge`"), []);
  assert.deepEqual(problemsOf("`npm run bench:purges` and `npm run -s seed`"), [
    `"npm run bench:purges" is no script of package.json`,
    `"npm run seed" is no script of package.json`,
  ]);
});
