/** The chat's isolate-readings port: what the isolate has used so far, as the budget reads it. */
export interface IsolateReadings {
  /** CPU milliseconds (user + system) used since the process started, or undefined if unknown. */
  cpuMs(): number | undefined;
  /** Megabytes of the isolate's own memory (V8 heap in use + external), or undefined if unknown. */
  heapMb(): number | undefined;
  /** Milliseconds of wall clock since the isolate started. */
  elapsedMs(): number;
}
