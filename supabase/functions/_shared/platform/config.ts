import { z } from "zod";

/** Thrown when the environment is missing a variable or holds a malformed one. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

// Field types the functions' environment schemas share.
export const port = z.coerce.number().int().min(1).max(65535);
/** A whole number from `min` to `max`, `fallback` when unset. */
export const wholeNumber = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
export const positiveInt = (fallback: number, max: number) => wholeNumber(fallback, 0, max);
export const httpUrl = z.url({ protocol: /^https?$/ });
export const postgresUrl = z.string().regex(
  /^postgres(ql)?:\/\/.+/,
  "a postgres:// or postgresql:// connection string",
);
export const booleanFlag = (fallback: boolean) =>
  z.enum(["true", "false"]).default(fallback ? "true" : "false").transform((v) => v === "true");
export const jwks = z.string().transform((text, ctx) => {
  try {
    const parsed = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) })
      .parse(JSON.parse(text));
    return parsed;
  } catch {
    ctx.addIssue({ code: "custom", message: 'a JSON Web Key Set: {"keys":[...]}' });
    return z.NEVER;
  }
});

/**
 * Validates an environment against a schema. Empty strings count as unset, so a blank line in
 * an env file falls back to the default instead of failing as malformed.
 */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  env: Readonly<Record<string, string | undefined>>,
): z.infer<T> {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "environment");
  const problem = cleaned[name] === undefined ? "is missing" : "is malformed";
  const shape = schema instanceof z.ZodObject ? schema.shape as Record<string, z.ZodType> : {};
  const expected = shape[name]?.description ?? issue.message;
  throw new ConfigError(`Environment variable ${name} ${problem}: expected ${expected}`);
}
