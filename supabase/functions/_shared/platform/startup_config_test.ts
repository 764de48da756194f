import assert from "node:assert/strict";
import { ConfigError } from "./config.ts";
import { loadStartupConfig } from "./startup_config.ts";

const refuse = (): never => {
  throw new ConfigError("Environment variable DB_URL is missing: expected a postgres:// URL");
};

Deno.test("loadStartupConfig", async (t) => {
  await t.step("gives what the loader made of the environment", () => {
    const config = loadStartupConfig((env) => ({ port: Number(env.PORT) }), {
      env: { PORT: "8081" },
    });
    assert.deepEqual(config, { port: 8081 });
  });

  await t.step("throws a bad environment on the Edge Runtime, for its boot error", () => {
    assert.throws(() => loadStartupConfig(refuse, { onEdgeRuntime: true }), ConfigError);
  });

  await t.step("throws any other error as it is, everywhere", () => {
    const bug = () => {
      throw new TypeError("a bug");
    };
    assert.throws(() => loadStartupConfig(bug, { onEdgeRuntime: false }), TypeError);
  });

  await t.step("ends a local process with the line and exit code 1", async () => {
    const script = `
      import { ConfigError } from "${new URL("./config.ts", import.meta.url)}";
      import { loadStartupConfig } from "${new URL("./startup_config.ts", import.meta.url)}";
      loadStartupConfig(() => { throw new ConfigError("Environment variable X is missing"); });
      console.log("still running");`;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(output.code, 1);
    assert.equal(
      new TextDecoder().decode(output.stderr).trim(),
      "Environment variable X is missing",
    );
    assert.doesNotMatch(new TextDecoder().decode(output.stdout), /still running/);
  });
});
