import assert from "node:assert/strict";
import { formatProblem, LineIndex, sortProblems } from "./source_position.ts";

Deno.test("offsets become 1-based lines and columns", () => {
  const lines = new LineIndex("a.md", "ab\ncd\n\nef");
  assert.deepEqual(lines.at(0), { file: "a.md", line: 1, column: 1 });
  assert.deepEqual(lines.at(4), { file: "a.md", line: 2, column: 2 });
  assert.deepEqual(lines.at(6), { file: "a.md", line: 3, column: 1 });
  assert.deepEqual(lines.at(8), { file: "a.md", line: 4, column: 2 });
  assert.equal(formatProblem(lines.problem(4, "bad")), "a.md:2:2: bad");
});

Deno.test("problems sort by file, line and column", () => {
  const p = (file: string, line: number, column: number) => ({ file, line, column, message: "" });
  assert.deepEqual(sortProblems([p("b", 1, 1), p("a", 2, 1), p("a", 1, 5), p("a", 1, 2)]), [
    p("a", 1, 2),
    p("a", 1, 5),
    p("a", 2, 1),
    p("b", 1, 1),
  ]);
});
