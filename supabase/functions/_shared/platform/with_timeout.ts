/**
 * `promise`, or a rejection after `ms` milliseconds if it has not settled by then: for a health
 * check that must answer even when the database does not. The timer is cleared either way, so it
 * never keeps a process alive.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
