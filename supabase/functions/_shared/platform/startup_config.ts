/**
 * A function's configuration at start-up, the same way in every function: a bad environment
 * (ConfigError) ends a local process with its one line and exit code 1. On the Edge Runtime the
 * error is thrown instead, so the platform's boot error and logs carry that line. Any other error
 * is a bug and is thrown as it is.
 */
import { ConfigError } from "./config.ts";

export interface StartupConfigOptions {
  /** The environment to read. Default: the process's. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Whether the process runs on Supabase's Edge Runtime. Default: whether `EdgeRuntime` exists. */
  onEdgeRuntime?: boolean;
}

export function loadStartupConfig<T>(
  load: (env: Readonly<Record<string, string | undefined>>) => T,
  options: StartupConfigOptions = {},
): T {
  const onEdgeRuntime = options.onEdgeRuntime ?? "EdgeRuntime" in globalThis;
  try {
    return load(options.env ?? Deno.env.toObject());
  } catch (error: unknown) {
    if (!(error instanceof ConfigError) || onEdgeRuntime) throw error;
    console.error(error.message);
    Deno.exit(1);
  }
}
