/**
 * What a client does after the server (or the network) closes the socket, by close code
 * (docs/protocol.md). 4000-4499 mean "reconnect", 4500-4999 mean "do not reconnect": among them
 * 4529, a quota reached, which a reconnect would only meet again.
 */
export type CloseAction = "stop" | "reconnect" | "reconnect_slowly" | "refresh_token";

/** Codes that end the interview for good: the client never reconnects after them. */
const FINAL = new Set([
  1000, // interview complete
  1002, // protocol error
  1003, // unsupported data
  1007, // invalid frame payload
  1008, // policy violation: flooding, oversize or repeated invalid frames
  1009, // message too big
  1010, // missing extension
]);

export function closeAction(code: number): CloseAction {
  if (code === 4001) return "refresh_token";
  if (code === 1013) return "reconnect_slowly";
  if (FINAL.has(code) || (code >= 4500 && code <= 4999)) return "stop";
  // 1001 going away, 1005 no status, 1006 abnormal (network, refused handshake), 1011 internal
  // error, 1012 restarting, 1014 bad gateway, 3000-4499 application "try again".
  return "reconnect";
}
