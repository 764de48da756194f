import assert from "node:assert/strict";
import { readFunctionsConfig } from "./functions_config.ts";

Deno.test("readFunctionsConfig", async (t) => {
  await t.step("reads each [functions.<name>] table's verify_jwt and enabled", () => {
    const functions = readFunctionsConfig(`
project_id = "x"
[api]
port = 54321
verify_jwt = false   # not a function's key
[functions.chat]
enabled = true
verify_jwt = false # the chat checks tokens itself
import_map = "./functions/chat/deno.json"
[functions."with-dash"]
verify_jwt = true
[functions.off]
enabled = false
`);
    assert.deepEqual(Object.fromEntries(functions), {
      chat: { verifyJwt: false, enabled: true },
      "with-dash": { verifyJwt: true, enabled: true },
      off: { verifyJwt: true, enabled: false },
    });
  });

  await t.step("a function without verify_jwt gets the CLI's default, true", () => {
    const functions = readFunctionsConfig('[functions.plain]\nentrypoint = "./x.ts"\n');
    assert.deepEqual(functions.get("plain"), { verifyJwt: true, enabled: true });
  });

  await t.step("keys of a function's sub-tables and of later tables are not its own", () => {
    const functions = readFunctionsConfig(`
[functions.docs]
verify_jwt = false
[functions.docs.static_files]
verify_jwt = true
[edge_runtime]
enabled = false
`);
    assert.deepEqual(Object.fromEntries(functions), {
      docs: { verifyJwt: false, enabled: true },
    });
  });

  await t.step("a # inside a string is not a comment", () => {
    const functions = readFunctionsConfig(
      '[functions.a]\nimport_map = "./a#b.json" # note\nverify_jwt = false\n',
    );
    assert.deepEqual(functions.get("a"), { verifyJwt: false, enabled: true });
  });

  await t.step("a value that is not true or false is refused with its line", () => {
    assert.throws(
      () => readFunctionsConfig('[functions.a]\nverify_jwt = "no"\n'),
      {
        name: "TypeError",
        message:
          'Cannot read supabase/config.toml line 2: verify_jwt must be true or false, got "no"',
      },
    );
  });

  await t.step(
    "the project's own config.toml declares the four functions, none behind verify_jwt",
    async () => {
      const text = await Deno.readTextFile(new URL("../../supabase/config.toml", import.meta.url));
      assert.deepEqual(Object.fromEntries(readFunctionsConfig(text)), {
        chat: { verifyJwt: false, enabled: true },
        cleanup: { verifyJwt: false, enabled: true },
        documents: { verifyJwt: false, enabled: true },
        interviewer: { verifyJwt: false, enabled: true },
      });
    },
  );
});
