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
/**
 * The address a local process listens on: loopback unless BIND_ADDRESS says otherwise, so a
 * development machine on a shared network exposes nothing (the Edge Runtime picks its own).
 */
export const bindAddress = z.union([z.ipv4(), z.ipv6(), z.literal("localhost")])
  .default("127.0.0.1")
  .describe('an IP address such as 127.0.0.1 or 0.0.0.0, or "localhost"');
export const postgresUrl = z.string().regex(
  /^postgres(ql)?:\/\/.+/,
  "a postgres:// or postgresql:// connection string",
);
export const booleanFlag = (fallback: boolean) =>
  z.enum(["true", "false"]).default(fallback ? "true" : "false").transform((v) => v === "true");
/** How SUPABASE_JWKS may be written, for the settings' descriptions. */
export const JWKS_FORMS =
  'a JSON Web Key Set of public keys (and "oct" keys): {"keys":[...]} or [...]';
// An `oct` key must hold its secret (`k`); any other key must be public (no `d`).
const jsonWebKey = z.record(z.string(), z.unknown()).refine((jwk) =>
  typeof jwk.kty === "string" &&
  (jwk.kty === "oct" ? typeof jwk.k === "string" && jwk.k !== "" : jwk.d === undefined)
);
/**
 * A JSON Web Key Set, as `{"keys":[...]}` or as a bare array of keys; always `{ keys }` once
 * parsed. Every key names its `kty`, and only `oct` keys (HS256) may carry secret material.
 */
export const jwks = z.string().transform((text, ctx) => {
  try {
    const parsed: unknown = JSON.parse(text);
    const listed = Array.isArray(parsed)
      ? parsed
      : z.object({ keys: z.unknown() }).parse(parsed).keys;
    return { keys: z.array(jsonWebKey).min(1).parse(listed) };
  } catch {
    ctx.addIssue({ code: "custom", message: JWKS_FORMS });
    return z.NEVER;
  }
});

/** JWT_ISSUER: the `iss` tokens must carry, when it is not `<SUPABASE_URL>/auth/v1`. */
export const JWT_ISSUER_FORM = "a token issuer such as https://<ref>.supabase.co/auth/v1";
export const jwtIssuer = z.string().regex(/^\S+$/);

/**
 * The settings every function that verifies Supabase tokens reads, spread into its schema: the
 * JWKS given inline, the HS256 secret and the issuer (docs/configuration.md).
 */
export const tokenEnvFields = {
  SUPABASE_JWKS: jwks.optional().describe(JWKS_FORMS),
  JWT_SECRET: z.string().min(32).optional().describe("an HS256 secret of 32 or more characters"),
  JWT_ISSUER: jwtIssuer.optional().describe(JWT_ISSUER_FORM),
};

/**
 * API keys handed to a function as hosted Supabase does (SUPABASE_SECRET_KEYS,
 * SUPABASE_PUBLISHABLE_KEYS): a JSON object of names to keys, a JSON array of keys, or one bare
 * key. Always the list of keys once parsed.
 */
export function apiKeys(prefix: string) {
  const key = z.string().trim().min(20);
  return z.string().transform((text, ctx) => {
    const trimmed = text.trim();
    try {
      // A bare key is not JSON; anything that starts like JSON must parse as JSON.
      const parsed: unknown = /^[[{"]/.test(trimmed) ? JSON.parse(trimmed) : trimmed;
      const values = typeof parsed === "string"
        ? [parsed]
        : Array.isArray(parsed)
        ? parsed
        : Object.values(z.record(z.string(), z.unknown()).parse(parsed));
      return z.array(key).min(1).parse(values);
    } catch {
      ctx.addIssue({
        code: "custom",
        message:
          `{"name":"${prefix}..."}, a JSON array of keys, or one key (20 or more characters)`,
      });
      return z.NEVER;
    }
  });
}

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
