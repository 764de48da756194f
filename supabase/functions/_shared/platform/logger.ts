/** Structured logging: one JSON line per event. Never pass tokens or answer text. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  debug(event: string, fields?: Record<string, unknown>): void;
}

export function createLogger(
  options: { debug?: boolean; write?: (line: string) => void; base?: Record<string, unknown> } = {},
): Logger {
  const write = options.write ?? ((line: string) => console.log(line));
  const emit = (level: string) => (event: string, fields: Record<string, unknown> = {}) =>
    write(
      JSON.stringify({ time: new Date().toISOString(), level, event, ...options.base, ...fields }),
    );
  return {
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    debug: options.debug ? emit("debug") : () => {},
  };
}

/** A safe description of an unknown thrown value, for logs. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
