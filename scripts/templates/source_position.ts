/** Where a problem is: a file and a 1-based line and column, as editors and compilers print. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** One thing wrong with a template, in a sentence, where it is. */
export interface TemplateProblem extends SourcePosition {
  message: string;
}

/**
 * Maps character offsets of one text to lines and columns. The line starts are found once, so
 * locating every tag of a long body stays linear.
 */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(readonly file: string, text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
      this.#starts.push(i + 1);
    }
  }

  at(offset: number): SourcePosition {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.#starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { file: this.file, line: low + 1, column: offset - (this.#starts[low] ?? 0) + 1 };
  }

  problem(offset: number, message: string): TemplateProblem {
    return { ...this.at(offset), message };
  }
}

/** `file:line:column: message`, the form editors turn into links. */
export function formatProblem(problem: TemplateProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}

/** Problems in reading order: by file, then line, then column. */
export function sortProblems(problems: readonly TemplateProblem[]): TemplateProblem[] {
  return [...problems].sort((a, b) =>
    a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column
  );
}
