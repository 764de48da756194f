/**
 * Where a value sits in a template's JSON file, by its path (`["questions", 3, "when",
 * "question"]`), so a problem found in the parsed object is reported at its line. jsonc-parser
 * (Microsoft's, the one VS Code reads settings with) gives the syntax tree with offsets that
 * `JSON.parse` throws away.
 */
import {
  findNodeAtLocation,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";
import { LineIndex, type TemplateProblem } from "./source_position.ts";

export type JsonPath = readonly (string | number)[];

export class JsonLocations {
  readonly #lines: LineIndex;
  readonly #root: Node | undefined;
  readonly syntaxProblems: TemplateProblem[] = [];

  constructor(file: string, text: string) {
    this.#lines = new LineIndex(file, text);
    const errors: ParseError[] = [];
    this.#root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    for (const error of errors) {
      this.syntaxProblems.push(
        this.#lines.problem(
          error.offset,
          `JSON syntax: ${describe(printParseErrorCode(error.error))}`,
        ),
      );
    }
  }

  /**
   * A problem at the value `path` names, or at its nearest ancestor that exists (a missing key
   * is reported where it should have been).
   */
  problem(path: JsonPath, message: string, at: "value" | "key" = "value"): TemplateProblem {
    return this.#lines.problem(this.offsetOf(path, at), message);
  }

  offsetOf(path: JsonPath, at: "value" | "key" = "value"): number {
    if (this.#root === undefined) return 0;
    for (let length = path.length; length >= 0; length--) {
      const node = findNodeAtLocation(this.#root, [...path.slice(0, length)]);
      if (node === undefined) continue;
      const key = at === "key" && node.parent?.type === "property" ? node.parent : undefined;
      return (key ?? node).offset;
    }
    return 0;
  }
}

/** "CloseBraceExpected" -> "close brace expected". */
function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}
