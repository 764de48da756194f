import { z } from "zod";

export const MAX_AGE_HOURS = { min: 1, max: 8760, default: 24 } as const;
export const BATCH_SIZE = { min: 1, max: 50_000 } as const;

const maxAgeMessage = `must be a number of hours from ${MAX_AGE_HOURS.min} to ${MAX_AGE_HOURS.max}`;
const batchSizeMessage = `must be a whole number from ${BATCH_SIZE.min} to ${BATCH_SIZE.max}`;

/** What a caller may ask of the cleanup function; every field is optional. */
export const cleanupRequestSchema = z.strictObject({
  dryRun: z.boolean({ error: "must be true or false" }).default(false),
  maxAgeHours: z.number({ error: maxAgeMessage })
    .min(MAX_AGE_HOURS.min, { error: maxAgeMessage })
    .max(MAX_AGE_HOURS.max, { error: maxAgeMessage })
    .default(MAX_AGE_HOURS.default),
  batchSize: z.int({ error: batchSizeMessage })
    .min(BATCH_SIZE.min, { error: batchSizeMessage })
    .max(BATCH_SIZE.max, { error: batchSizeMessage })
    .optional(),
}, { error: "must be a JSON object" });

export type CleanupRequest = z.infer<typeof cleanupRequestSchema>;

/** A request body the function refuses; the message is safe to send back. */
export class BodyError extends Error {
  override name = "BodyError";
}

/**
 * Parses a request body: empty means all defaults. Throws a BodyError whose message names the
 * offending field: `Body field "maxAgeHours" is invalid: must be a number of hours from 1 to 8760`.
 */
export function parseCleanupRequest(text: string): CleanupRequest {
  let json: unknown = {};
  if (text.trim() !== "") {
    try {
      json = JSON.parse(text);
    } catch {
      throw new BodyError("Body is not valid JSON");
    }
  }
  const result = cleanupRequestSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const names = issue.keys.map((key) => `"${key}"`).join(", ");
    const what = issue.keys.length === 1 ? `field ${names} is` : `fields ${names} are`;
    return fail(`Body ${what} not allowed: use dryRun, maxAgeHours or batchSize`);
  }
  if (issue.path.length === 0) return fail(`Body ${issue.message}`);
  return fail(`Body field "${String(issue.path[0])}" is invalid: ${issue.message}`);
}

function fail(message: string): never {
  throw new BodyError(message);
}
