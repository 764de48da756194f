/**
 * What a client does after the server (or the network) closes the socket, by close code. The
 * server's codes and the action for each come from the wire contract's table
 * (`_shared/wire/close_codes.ts`); the rest are the standard WebSocket codes (RFC 6455), which a
 * server or a proxy in between may send too.
 */
import {
  type CloseAction,
  closeCodeEntry,
} from "../supabase/functions/_shared/wire/close_codes.ts";

export type { CloseAction } from "../supabase/functions/_shared/wire/close_codes.ts";

/** The standard codes that say the peer will refuse this connection again, so retrying is futile. */
export const StandardCloseCode = {
  protocolError: 1002,
  unsupportedData: 1003,
  /** Not a code on the wire: browsers report a connection lost without a close frame as 1006. */
  abnormalClosure: 1006,
  invalidPayload: 1007,
  messageTooBig: 1009,
  missingExtension: 1010,
} as const;

/** The code the client closes a socket with when its heartbeat got no answer (reconnects). */
export const HEARTBEAT_TIMEOUT_CODE = 4000;

const FINAL_STANDARD = new Set<number>([
  StandardCloseCode.protocolError,
  StandardCloseCode.unsupportedData,
  StandardCloseCode.invalidPayload,
  StandardCloseCode.messageTooBig,
  StandardCloseCode.missingExtension,
]);

export function closeAction(code: number): CloseAction {
  const entry = closeCodeEntry(code);
  if (entry) return entry.client;
  if (FINAL_STANDARD.has(code) || (code >= 4500 && code <= 4999)) return "stop";
  // 1001 going away, 1005 no status, 1006 abnormal (network, refused handshake), 1014 bad
  // gateway, and 3000-4499 application "try again".
  return "reconnect";
}
