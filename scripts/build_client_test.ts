import assert from "node:assert/strict";
import { checkImports, importedPackages } from "./build_client.ts";

Deno.test("importedPackages finds bare specifiers, not relative ones", () => {
  const code = `import { z } from "zod";
import type { X } from "./local.ts";
export * from "@supabase/supabase-js";
const lazy = await import("postgres");
import "../side_effect.js";`;
  assert.deepEqual(importedPackages(code), ["@supabase/supabase-js", "postgres", "zod"]);
});

Deno.test("checkImports: nothing at run time, declarations only from dependencies", () => {
  assert.deepEqual(checkImports("const a = 1;", 'import { z } from "zod";', ["zod"]), []);
  assert.deepEqual(
    checkImports('import { createClient } from "@supabase/supabase-js";', 'import "jose";', []),
    [
      'index.js imports "@supabase/supabase-js": the SDK must not import a package at run time',
      'index.d.ts imports "jose", which client/npm_package.json does not list as a dependency',
    ],
  );
});
