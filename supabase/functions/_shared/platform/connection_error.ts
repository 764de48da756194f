/** SQLSTATE classes and client error codes that mean "the database is not reachable now". */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string") return false;
  return code.startsWith("08") || code.startsWith("57P") || code === "53300" ||
    ["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT"]
      .includes(code) ||
    code.startsWith("E"); // ECONNREFUSED, ECONNRESET, EPIPE ...
}
