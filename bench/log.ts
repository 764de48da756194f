/** A progress line of the benchmark, on stderr so that stdout holds the report alone. */
export function log(message: string) {
  console.error(`[bench] ${message}`);
}
