// The reference interviewer started as its own process, for contract and end-to-end tests.
import {
  functionDatabaseEnv,
  type FunctionProcess,
  startFunction,
  withEnvOverrides,
} from "./local_stack.ts";

/** The bearer key test interviewers require. */
export const INTERVIEWER_KEY = "test-interviewer-key-0123456789";

/** The environment an interviewer process needs; `SUPABASE_DB_URL: ""` turns sessions off. */
export function interviewerEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return withEnvOverrides({
    AI_SERVICE_API_KEY: INTERVIEWER_KEY,
    ...functionDatabaseEnv("interviewer"),
    NODE_ENV: "development",
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
  }, overrides);
}

export function startInterviewer(overrides: Record<string, string> = {}): Promise<FunctionProcess> {
  return startFunction("interviewer", interviewerEnv(overrides));
}
