import assert from "node:assert/strict";
import { DOWNLOAD_FORMATS } from "../../supabase/functions/documents/download.ts";
import { USAGE } from "./usage.ts";

Deno.test("the usage offers exactly the formats the documents function renders", () => {
  const offered = /--format ([a-z|]+)/.exec(USAGE)?.[1]?.split("|");
  assert.deepEqual(offered, [...DOWNLOAD_FORMATS]);
});
