// The functions supabase/config.toml declares, and whether the platform checks a JWT before each
// one runs (`verify_jwt`). Pure: reads the file's text. Only the `[functions.<name>]` tables and
// their `enabled` and `verify_jwt` keys matter to the gateway, so this reads that part of TOML
// (tables, `key = value`, comments) rather than pulling a TOML package into the tree.

export interface FunctionSettings {
  /** The Supabase CLI's default is true: the gateway checks the caller's JWT. */
  verifyJwt: boolean;
  enabled: boolean;
}

const TABLE = /^\[\s*([^\][]+?)\s*\]$/;
const FUNCTION_TABLE = /^functions\.(?:"([^"]+)"|([A-Za-z0-9_-]+))$/;
const KEY_VALUE = /^([A-Za-z0-9_-]+)\s*=\s*(.*)$/;

/** Each declared function by name; `source` names the file in error messages. */
export function readFunctionsConfig(
  text: string,
  source = "supabase/config.toml",
): Map<string, FunctionSettings> {
  const functions = new Map<string, FunctionSettings>();
  let current: FunctionSettings | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = withoutComment(raw).trim();
    if (line === "") return;
    const table = TABLE.exec(line);
    if (table || line.startsWith("[[")) {
      const name = table ? functionNameOf(table[1]!) : undefined;
      current = undefined;
      if (name !== undefined) {
        current = functions.get(name) ?? { verifyJwt: true, enabled: true };
        functions.set(name, current);
      }
      return;
    }
    const pair = KEY_VALUE.exec(line);
    if (!current || !pair) return;
    const [, key, value] = pair;
    if (key !== "verify_jwt" && key !== "enabled") return;
    if (value !== "true" && value !== "false") {
      throw new TypeError(
        `Cannot read ${source} line ${index + 1}: ${key} must be true or false, got ${value}`,
      );
    }
    if (key === "verify_jwt") current.verifyJwt = value === "true";
    else current.enabled = value === "true";
  });
  return functions;
}

/** `functions.chat` or `functions."my-fn"` names a function; sub-tables and others do not. */
function functionNameOf(tableName: string): string | undefined {
  const match = FUNCTION_TABLE.exec(tableName.replace(/\s*\.\s*/g, "."));
  return match ? match[1] ?? match[2] : undefined;
}

/** The line up to a `#` that is not inside a quoted string. */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === "\\" && quote === '"') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === "#") {
      return line.slice(0, i);
    }
  }
  return line;
}
