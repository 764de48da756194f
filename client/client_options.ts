/**
 * The ChatClient's options checked at construction, each refusal naming the option, and the URL
 * and token source resolved: given, or else taken from the app's supabase-js client.
 */
import type {
  ChatClientOptions,
  ResolvedChatClientOptions,
  WebSocketFactory,
} from "./chat_client_types.ts";
// The server's own test of a session id (transport/handshake.ts): a malformed one closes with 4522.
import { isUuid } from "../supabase/functions/_shared/platform/uuid.ts";
import { chatUrlOf, sessionTokenSource } from "./supabase_adapter.ts";

/** @throws {TypeError} "Cannot create a chat client: ..." naming the first bad option. */
export function checkedOptions(
  options: ChatClientOptions,
): { resolved: ResolvedChatClientOptions; Socket: WebSocketFactory } {
  if (!options.templateId) throw new TypeError("Cannot create a chat client: no templateId");
  const Socket = options.WebSocket ??
    (globalThis as { WebSocket?: WebSocketFactory }).WebSocket;
  if (!Socket) throw new TypeError("Cannot create a chat client: no WebSocket implementation");
  if (options.protocol !== undefined && options.protocol !== "v1" && options.protocol !== "v2") {
    throw new TypeError(
      `Cannot create a chat client: protocol "${options.protocol}" is not "v1" or "v2"`,
    );
  }
  if (options.sessionId !== undefined && !isUuid(options.sessionId)) {
    throw new TypeError(
      `Cannot create a chat client: sessionId "${options.sessionId}" is not a UUID`,
    );
  }
  if (options.realtime === true && !options.supabase) {
    throw new TypeError("Cannot create a chat client: realtime needs the supabase option");
  }
  return { resolved: resolveOptions(options), Socket };
}

/** The URL and token source, from the options or else from the supabase client. */
function resolveOptions(options: ChatClientOptions): ResolvedChatClientOptions {
  const { supabase } = options;
  const url = options.url ?? (supabase ? chatUrlOf(supabase) : undefined);
  if (url === undefined || url === "") {
    throw new TypeError("Cannot create a chat client: give url or supabase");
  }
  const getToken = options.getToken?.bind(options) ??
    (supabase ? sessionTokenSource(supabase) : undefined);
  if (!getToken) throw new TypeError("Cannot create a chat client: give getToken or supabase");
  return { ...options, url, getToken };
}
