// scripts/supervise.sh: the backoff between restarts, the restarts and their log lines, and a
// SIGTERM that stops the supervised process with its supervisor.
import assert from "node:assert/strict";
import { ROOT } from "../test_support/local_stack.ts";

/** Runs `script` in bash with lib.sh and supervise.sh sourced, as start.sh ($0 "start"). */
function bash(script: string, env: Record<string, string> = {}) {
  return new Deno.Command("bash", {
    args: ["-c", `source scripts/lib.sh; source scripts/supervise.sh; ${script}`, "start"],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  });
}

async function restartDelay(previous: number, ran: number, env: Record<string, string> = {}) {
  const { stdout, success } = await bash(`restart_delay_ms ${previous} ${ran}`, env).output();
  assert.ok(success);
  return Number(new TextDecoder().decode(stdout));
}

Deno.test("restart_delay_ms starts at 0.5 s, doubles to 10 s and resets after a good run", async () => {
  assert.equal(await restartDelay(0, 0), 500);
  assert.equal(await restartDelay(500, 1), 1000);
  assert.equal(await restartDelay(4000, 29), 8000);
  assert.equal(await restartDelay(8000, 0), 10000);
  assert.equal(await restartDelay(10000, 0), 10000);
  assert.equal(await restartDelay(10000, 30), 500);
  assert.equal(await restartDelay(4000, 5, { RESTART_RESET_SECONDS: "5" }), 500);
});

/** The lines of `stream` as they come, with a way to wait for the next one. */
function lines(stream: ReadableStream<Uint8Array>) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  return async function next(): Promise<string> {
    for (;;) {
      const newline = buffered.indexOf("\n");
      if (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        return line;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error(`The stream ended after "${buffered}"`);
      buffered += value;
    }
  };
}

function isRunning(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

Deno.test("supervise restarts a process that exits, with one line each time", async () => {
  const child = bash(`supervise flaky bash -c 'exit 3'; echo "$supervisor_pid"; wait`).spawn();
  const stdout = lines(child.stdout);
  const stderr = lines(child.stderr);
  const supervisor = Number(await stdout());
  try {
    assert.equal(await stderr(), "[start] flaky exited with code 3; restarting in 0.5 s");
    assert.equal(await stderr(), "[start] flaky exited with code 3; restarting in 1 s");
    assert.equal(await stderr(), "[start] flaky exited with code 3; restarting in 2 s");
  } finally {
    Deno.kill(supervisor, "SIGTERM");
  }
  assert.equal((await child.status).code, 0);
});

Deno.test("SIGTERM to a supervisor stops its process and ends it", async () => {
  const child = bash(
    `supervise sleeper bash -c 'echo "sleeper $$"; exec sleep 300'
    echo "supervisor $supervisor_pid"; wait`,
  ).spawn();
  const stdout = lines(child.stdout);
  // The two lines come in either order.
  const pids = Object.fromEntries([await stdout(), await stdout()].map((line) => line.split(" ")));
  const supervisor = Number(pids.supervisor);
  const sleeper = Number(pids.sleeper);
  assert.ok(isRunning(sleeper));
  Deno.kill(supervisor, "SIGTERM");
  assert.equal((await child.status).code, 0);
  assert.equal(isRunning(sleeper), false);
  assert.equal(isRunning(supervisor), false);
  await child.stderr.cancel();
});
